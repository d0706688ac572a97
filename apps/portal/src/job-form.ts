// The new-job form's pure logic: form state → jobs.create input, checked by core's request schema, and server errors mapped onto fields.
import {
  type CreateJobRequestInput,
  createJobRequestSchema,
  DEFAULT_RATE_MICROS_PER_SECOND,
  flattenZodIssues,
  holdMinutesPerSlot,
  maxHoldMicros,
  type Micros,
  SCREEN_PRESETS,
  type ScreenPreset,
  TARGET_DURATION_MINUTES,
} from "@eyeball/core";

import { buildOutputSchema, type SchemaBuildResult, type SchemaRow } from "./schema-builder";

export type ScreenChoice = ScreenPreset | "custom";

export interface CredentialRow {
  readonly id: string;
  username: string;
  password: string;
}

/** Test: the simulated sandbox tester answers in seconds, free. Live: real testers, billed to live credit. */
export type JobMode = "test" | "live";

export interface JobFormState {
  /** Test unless the owner picks live (the portal cannot see the organisation's live credit). */
  mode: JobMode;
  url: string;
  title: string;
  description: string;
  additionalValidationInstructions: string;
  screen: ScreenChoice;
  customWidth: string;
  customHeight: string;
  targetDurationMinutes: string;
  allowDurationExtension: boolean;
  /** Empty = unlimited. */
  maxExtensionMinutes: string;
  testerCount: string;
  projectId: string;
  /** Targeting: a category id ("" = none) and participant filter ids, from catalogs.list. */
  categoryId: string;
  participantFilterIds: string[];
  webhookUrl: string;
  repoName: string;
  canCreateGithubIssues: boolean;
  allowSlotReopen: boolean;
  credentials: CredentialRow[];
  schemaRows: SchemaRow[];
}

export function initialJobForm(): JobFormState {
  return {
    mode: "test",
    url: "",
    title: "",
    description: "",
    additionalValidationInstructions: "",
    screen: "desktop",
    customWidth: "1280",
    customHeight: "800",
    targetDurationMinutes: String(TARGET_DURATION_MINUTES.default),
    allowDurationExtension: true,
    maxExtensionMinutes: "5",
    testerCount: "1",
    projectId: "",
    categoryId: "",
    participantFilterIds: [],
    webhookUrl: "",
    repoName: "",
    canCreateGithubIssues: false,
    allowSlotReopen: true,
    credentials: [],
    schemaRows: [],
  };
}

/** A number field's text as a number (NaN stays NaN so the schema says "must be a number"). */
function num(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text.trim());
}

/** The viewport a choice stands for; custom sizes may be NaN while typed. */
export function screenOf(form: Pick<JobFormState, "screen" | "customWidth" | "customHeight">): {
  preset: ScreenChoice;
  width: number;
  height: number;
} {
  if (form.screen === "custom")
    return { preset: "custom", width: num(form.customWidth), height: num(form.customHeight) };
  return { preset: form.screen, ...SCREEN_PRESETS[form.screen] };
}

/** The jobs.create input the form describes: blank optional fields are left out. */
export function toCreateInput(
  form: JobFormState,
  schema: SchemaBuildResult["schema"],
): CreateJobRequestInput {
  const opt = (value: string) => (value.trim() === "" ? undefined : value.trim());
  const input: CreateJobRequestInput = {
    url: form.url.trim(),
    description: form.description,
    screenSize:
      form.screen === "custom"
        ? { width: num(form.customWidth), height: num(form.customHeight) }
        : form.screen,
    targetDurationMinutes: num(form.targetDurationMinutes),
    allowDurationExtension: form.allowDurationExtension,
    maxExtensionMinutes:
      !form.allowDurationExtension || form.maxExtensionMinutes.trim() === ""
        ? false
        : num(form.maxExtensionMinutes),
    testerCount: num(form.testerCount),
    allowSlotReopen: form.allowSlotReopen,
    canCreateGithubIssues: form.canCreateGithubIssues,
  };
  const title = opt(form.title);
  if (title !== undefined) input.title = title;
  const extra = opt(form.additionalValidationInstructions);
  if (extra !== undefined) input.additionalValidationInstructions = form.additionalValidationInstructions;
  if (form.projectId) input.projectId = form.projectId;
  const webhookUrl = opt(form.webhookUrl);
  if (webhookUrl !== undefined) input.webhookUrl = webhookUrl;
  const repoName = opt(form.repoName);
  if (repoName !== undefined) input.repoName = repoName;
  if (form.credentials.length > 0)
    input.credentials = form.credentials.map(({ username, password }) => ({ username, password }));
  if (schema !== undefined) input.outputSchema = schema;
  return input;
}

/** Targeting fields jobs.create takes beside core's request (the server checks them against the catalogs). */
export interface TargetingFields {
  categoryId?: string;
  participantFilterIds?: string[];
}

/** What the form sends to jobs.create: the checked request, the targeting and the mode the owner picked. */
export function toCreateCall(
  form: Pick<JobFormState, "mode"> & Partial<Pick<JobFormState, "categoryId" | "participantFilterIds">>,
  input: CreateJobRequestInput,
): CreateJobRequestInput & TargetingFields & { mode: JobMode } {
  return {
    ...input,
    ...(form.categoryId ? { categoryId: form.categoryId } : {}),
    ...(form.participantFilterIds?.length ? { participantFilterIds: [...form.participantFilterIds] } : {}),
    mode: form.mode,
  };
}

/** Toggles one participant filter in the form's selection, keeping the catalog's order of clicks. */
export function toggleFilter(selected: readonly string[], id: string, on: boolean): string[] {
  const rest = selected.filter((value) => value !== id);
  return on ? [...rest, id] : rest;
}

/** Field path (`url`, `screenSize.width`, `outputSchema.total.type`, `credentials.0.username`) → message. */
export type FieldErrors = Record<string, string>;

export interface FormCheck {
  input: CreateJobRequestInput;
  schema: SchemaBuildResult;
  errors: FieldErrors;
  ok: boolean;
}

/** Checks the form with core's request schema (the very one the server uses) and the schema builder. */
export function checkJobForm(form: JobFormState): FormCheck {
  const schema = buildOutputSchema(form.schemaRows);
  const input = toCreateInput(form, schema.schema);
  const errors: FieldErrors = {};
  const parsed = createJobRequestSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of flattenZodIssues(parsed.error.issues)) {
      // Output-schema problems are shown on the rows by the builder.
      if (issue.path.startsWith("outputSchema")) continue;
      errors[issue.path || "form"] ??= issue.message;
    }
  }
  if (form.allowDurationExtension && form.maxExtensionMinutes.trim() !== "" && errors.maxExtensionMinutes)
    errors.maxExtensionMinutes = "must be a whole number of minutes of at least 1, or empty for unlimited";
  const ok = Object.keys(errors).length === 0 && schema.messages.length === 0;
  return { input, schema, errors, ok };
}

/**
 * The server's VALIDATION message names each field: `url: must be …; screenSize.width: must be …`.
 * Returns those as field errors; a message without a known field path is left to the form summary.
 */
export function serverFieldErrors(message: string, known: readonly string[] = KNOWN_FIELDS): FieldErrors {
  const errors: FieldErrors = {};
  for (const part of message.split("; ")) {
    const match = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*): (.+)$/s.exec(part.trim());
    if (!match) continue;
    const [, path = "", text = ""] = match;
    const root = path.split(".")[0] ?? "";
    if (known.includes(root)) errors[path] ??= text;
  }
  return errors;
}

export const KNOWN_FIELDS = [
  "url",
  "title",
  "description",
  "additionalValidationInstructions",
  "screenSize",
  "targetDurationMinutes",
  "allowDurationExtension",
  "maxExtensionMinutes",
  "testerCount",
  "projectId",
  "categoryId",
  "participantFilterIds",
  "webhookUrl",
  "repoName",
  "canCreateGithubIssues",
  "allowSlotReopen",
  "credentials",
  "outputSchema",
] as const satisfies readonly (keyof (CreateJobRequestInput & TargetingFields))[];

export interface CostEstimate {
  /** What is held from credit when the job is created (the most it can cost up front). */
  holdMicros: Micros;
  perTesterMicros: Micros;
  holdMinutesPerTester: number;
  /** Extensions are unlimited, so they are held (and billed) only as they are granted. */
  unlimitedExtensions: boolean;
}

/** The up-front hold core computes for these settings at the default rate; null while the numbers are invalid. */
export function estimateCost(
  form: JobFormState,
  rate: Micros = DEFAULT_RATE_MICROS_PER_SECOND,
): CostEstimate | null {
  const target = num(form.targetDurationMinutes);
  const testers = num(form.testerCount);
  const ext: number | false = form.maxExtensionMinutes.trim() === "" ? false : num(form.maxExtensionMinutes);
  const limits = {
    targetDurationMinutes: target,
    allowDurationExtension: form.allowDurationExtension,
    maxExtensionMinutes: ext,
  };
  try {
    const holdMinutesPerTester = holdMinutesPerSlot(limits);
    return {
      holdMicros: maxHoldMicros({ ...limits, testerCount: testers, rate }),
      perTesterMicros: maxHoldMicros({ ...limits, testerCount: 1, rate }),
      holdMinutesPerTester,
      unlimitedExtensions: form.allowDurationExtension && ext === false,
    };
  } catch {
    return null;
  }
}
