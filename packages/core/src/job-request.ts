// Request schemas for creating jobs: run(human) parameters, Eyeball extras, and TesterArmy runs.
import { z } from "zod";

import { validationError } from "./errors";
import { MAX_TESTER_COUNT } from "./owner-actions";
import { outputSchemaSchema } from "./output-schema";
import { DEFAULT_SCREEN_PRESET, screenSizeInputSchema } from "./screen";
import { parseOrThrow } from "./zod-error";

export const MAX_DESCRIPTION_LENGTH = 20_000;
export const MAX_VALIDATION_INSTRUCTIONS_LENGTH = 10_000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_URL_LENGTH = 2048;
export const MAX_PROMPT_LENGTH = 20_000;
export const MAX_CREDENTIALS = 20;
/** Targets above an hour exceed what one tester session (and its recording) should hold. */
export const TARGET_DURATION_MINUTES = { min: 1, max: 60, default: 5 } as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** An absolute http(s) URL. Other schemes (file:, javascript:, data:) are refused outright. */
export function httpUrlSchema() {
  const message = "must be an absolute http:// or https:// URL";
  return (
    z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
      .trim()
      // abort: an empty or over-long value should not also be reported as "not a URL"
      .min(1, { error: "is required", abort: true })
      .max(MAX_URL_LENGTH, { error: `must be at most ${MAX_URL_LENGTH} characters`, abort: true })
      .refine(isHttpUrl, { error: message })
  );
}

function text(max: number, { required }: { required: boolean }) {
  const base = z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .max(max, { error: `must be at most ${max} characters` });
  return required ? base.trim().min(1, { error: "must not be empty" }) : base;
}

function boolean() {
  return z.boolean({ error: "must be true or false" });
}

function integerBetween(min: number, max: number) {
  const message = `must be between ${min} and ${max}`;
  return z
    .number({ error: "must be a number" })
    .int({ error: `must be an integer ${message.replace("must be ", "")}`, abort: true })
    .min(min, { error: message })
    .max(max, { error: message });
}

const maxExtensionMessage = "must be a positive integer or false (unlimited)";

/** GitHub `owner/repo`: owner up to 39 letters, digits or inner hyphens; repo letters, digits, `.`, `_`, `-`. */
export const REPO_NAME_PATTERN =
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

export const credentialSchema = z.strictObject({
  username: text(500, { required: true }),
  password: z.string({ error: "must be a string" }).max(500, { error: "must be at most 500 characters" }),
});
export type SiteCredential = z.infer<typeof credentialSchema>;

export const credentialsSchema = z
  .array(credentialSchema, { error: "must be an array of {username, password}" })
  .max(MAX_CREDENTIALS, { error: `must hold at most ${MAX_CREDENTIALS} credentials` });

/** Every run(human) request parameter with the reference's ranges and defaults, plus Eyeball extras. */
export const createJobRequestSchema = z
  .strictObject({
    // run(human) reference parameters
    url: httpUrlSchema(),
    description: text(MAX_DESCRIPTION_LENGTH, { required: true }),
    outputSchema: outputSchemaSchema.optional(),
    targetDurationMinutes: integerBetween(TARGET_DURATION_MINUTES.min, TARGET_DURATION_MINUTES.max).default(
      TARGET_DURATION_MINUTES.default,
    ),
    allowDurationExtension: boolean().default(true),
    maxExtensionMinutes: z
      .union(
        [
          z.number().int({ error: maxExtensionMessage }).min(1, { error: maxExtensionMessage }),
          z.literal(false),
        ],
        {
          error: maxExtensionMessage,
        },
      )
      .default(false),
    additionalValidationInstructions: text(MAX_VALIDATION_INSTRUCTIONS_LENGTH, {
      required: false,
    }).optional(),
    screenSize: screenSizeInputSchema.default(DEFAULT_SCREEN_PRESET),
    repoName: z
      .string({ error: "must be a string" })
      .regex(REPO_NAME_PATTERN, { error: 'must be a GitHub repository as "owner/repo"' })
      .optional(),
    canCreateGithubIssues: boolean().default(false),
    // Eyeball / Instahuman / TesterArmy extras
    testerCount: integerBetween(1, MAX_TESTER_COUNT).default(1),
    projectId: text(100, { required: true }).optional(),
    title: text(MAX_TITLE_LENGTH, { required: true }).optional(),
    credentials: credentialsSchema.optional(),
    webhookUrl: httpUrlSchema().optional(),
    allowSlotReopen: boolean().default(true),
  })
  .superRefine((request, ctx) => {
    if (request.canCreateGithubIssues && request.repoName === undefined) {
      ctx.addIssue({ code: "custom", path: ["canCreateGithubIssues"], message: "requires repoName" });
    }
  });
export type CreateJobRequestInput = z.input<typeof createJobRequestSchema>;
export type CreateJobRequest = z.output<typeof createJobRequestSchema>;

/** The typed, defaulted request, or DomainError VALIDATION naming the field path. */
export function parseCreateJobRequest(input: unknown): CreateJobRequest {
  return parseOrThrow(createJobRequestSchema, input);
}

/** TesterArmy `POST /runs`: the prompt carries the URL to test. */
export const createRunRequestSchema = z.strictObject({
  prompt: text(MAX_PROMPT_LENGTH, { required: true }),
  credentials: credentialsSchema.optional(),
  webhookUrl: httpUrlSchema().optional(),
});
export type CreateRunRequest = z.output<typeof createRunRequestSchema>;

export function parseCreateRunRequest(input: unknown): CreateRunRequest {
  return parseOrThrow(createRunRequestSchema, input);
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/i;
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;
const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Strip sentence punctuation and brackets that close around the URL rather than belong to it. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, "");
    const last = url.at(-1);
    const opener = last === undefined ? undefined : CLOSERS[last];
    // "(see https://x.com/a_(b))" keeps the balanced ")" of the URL and drops the sentence's one.
    if (last !== undefined && opener !== undefined && count(url, last) > count(url, opener))
      url = url.slice(0, -1);
    if (url === before) return url;
  }
}

/** The first http(s) URL in a prompt, trailing punctuation trimmed; VALIDATION naming `prompt` if none. */
export function extractUrlFromPrompt(prompt: string): string {
  const match = URL_IN_TEXT.exec(prompt);
  const url = match ? trimUrl(match[0]) : null;
  if (url === null || !isHttpUrl(url))
    throw validationError("prompt", "must include the URL to test (http:// or https://)");
  return url;
}
