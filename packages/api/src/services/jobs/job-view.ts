// JobView: the plain domain view of a job that every transport maps to its own dialect.
import {
  type AssignmentStatus,
  type ExtractedData,
  type JobControl,
  type JobStatus,
  type OutputSchema,
  type ScreenPreset,
  type SettlementState,
} from "@eyeball/core";
import { type Prisma } from "@eyeball/db";

import { type Mode } from "../types";
import { type JobResult, representativeSlot, slotDurationSeconds } from "./job-result";
import { type CatalogRef } from "./job-targeting";

/** What a job is loaded with to build its view. */
export const jobViewInclude = {
  assignments: { orderBy: { slotIndex: "asc" }, include: { tester: true, dispute: true } },
  category: { select: { id: true, slug: true, name: true } },
  participantFilters: {
    select: { id: true, slug: true, name: true },
    orderBy: [{ sort: "asc" }, { slug: "asc" }],
  },
} satisfies Prisma.JobInclude;
export type JobWithSlots = Prisma.JobGetPayload<{ include: typeof jobViewInclude }>;

export type JobSource = "runhuman" | "testerarmy" | "instahuman" | "portal";

/** The public face of a tester: anonymised alias, avatar and colour (run(human) testerAlias…). */
export interface TesterIdentity {
  id: string;
  alias: string;
  avatarUrl: string | null;
  color: string | null;
}

export interface SlotView {
  id: string;
  slotIndex: number;
  status: AssignmentStatus;
  tester: TesterIdentity | null;
  claimedAt: Date | null;
  submittedAt: Date | null;
  finishedAt: Date | null;
  extensionMinutesGranted: number;
  /** Billed seconds (claim → submission, rounded up, capped); null until submitted. */
  durationSeconds: number | null;
  costMicros: number;
  testerResponse: string | null;
  /** The slot's extraction; null unless it ended completed or incomplete. */
  result: JobResult | null;
  rejectReason: string | null;
  /** An abandoned slot that was reopened as a new slot; it no longer counts as a tester. */
  replaced: boolean;
  /** The owner's dispute of this slot's charge and, once an admin decided, the outcome; null when undisputed. */
  dispute: SlotDisputeView | null;
}

export interface SlotDisputeView {
  id: string;
  status: "open" | "upheld" | "refunded";
  reason: string;
  createdAt: Date;
  resolvedAt: Date | null;
  /** The admin's note to the owner on the decision. */
  resolutionNote: string | null;
}

export interface JobView {
  id: string;
  orgId: string;
  projectId: string | null;
  /** Instahuman targeting: the job's category and participant filters (catalog entries). */
  category: CatalogRef | null;
  participantFilters: CatalogRef[];
  mode: Mode;
  source: JobSource;
  status: JobStatus;
  control: JobControl;
  settlement: SettlementState;
  url: string;
  description: string;
  title: string | null;
  outputSchema: OutputSchema | null;
  targetDurationMinutes: number;
  allowDurationExtension: boolean;
  maxExtensionMinutes: number | false;
  additionalValidationInstructions: string | null;
  screenSize: { preset: ScreenPreset | "custom"; width: number; height: number };
  repoName: string | null;
  canCreateGithubIssues: boolean;
  testerCount: number;
  allowSlotReopen: boolean;
  webhookUrl: string | null;
  /** Whether site credentials were given; the credentials themselves are never in a view. */
  hasCredentials: boolean;
  /** Set once the job is terminal (see aggregateResult). */
  result: JobResult | null;
  /** Charged so far, integer micro-dollars (the API edge converts to costUsd). */
  costMicros: number;
  /** Still held on the owner's credits for this job. */
  holdMicros: number;
  /** The representative slot's billed seconds, once the job is terminal and it was submitted. */
  testDurationSeconds: number | null;
  testerResponse: string | null;
  /** The slot whose result, response and recording speak for the job (see representativeSlot); null until one does. */
  representativeSlotId: string | null;
  /** The representative tester (the one who produced the result), or the first who claimed. */
  tester: TesterIdentity | null;
  slots: SlotView[];
  createdAt: Date;
  updatedAt: Date;
  postedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

function testerIdentity(tester: JobWithSlots["assignments"][number]["tester"]): TesterIdentity | null {
  if (!tester) return null;
  return { id: tester.id, alias: tester.alias, avatarUrl: tester.avatarUrl, color: tester.color };
}

function isJobResult(value: unknown): value is JobResult {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { success?: unknown }).success === "boolean" &&
    typeof (value as { explanation?: unknown }).explanation === "string"
  );
}

function screenPreset(value: string | null): ScreenPreset | "custom" {
  return value === "desktop" || value === "laptop" || value === "tablet" || value === "mobile"
    ? value
    : "custom";
}

export function toSlotView(slot: JobWithSlots["assignments"][number], job: JobWithSlots): SlotView {
  const extracted = slot.status === "completed" || slot.status === "incomplete";
  return {
    id: slot.id,
    slotIndex: slot.slotIndex,
    status: slot.status,
    tester: testerIdentity(slot.tester),
    claimedAt: slot.claimedAt,
    submittedAt: slot.submittedAt,
    finishedAt: slot.finishedAt,
    extensionMinutesGranted: slot.extensionMinutesGranted,
    durationSeconds: slotDurationSeconds(slot, job),
    costMicros: Number(slot.costMicros),
    testerResponse: slot.testerResponse,
    result: extracted
      ? {
          success: slot.status === "completed",
          explanation: slot.explanation ?? "",
          data: (slot.extractedData ?? {}) as ExtractedData,
        }
      : null,
    rejectReason: slot.rejectReason,
    replaced: slot.replacedAt !== null,
    dispute: slot.dispute
      ? {
          id: slot.dispute.id,
          status: slot.dispute.status,
          reason: slot.dispute.reason,
          createdAt: slot.dispute.createdAt,
          resolvedAt: slot.dispute.resolvedAt,
          resolutionNote: slot.dispute.resolutionNote,
        }
      : null,
  };
}

export function toJobView(job: JobWithSlots): JobView {
  const representative = representativeSlot(job.status, job.assignments);
  const firstClaimed = job.assignments.find((slot) => slot.tester !== null) ?? null;
  const face = representative ?? firstClaimed;
  return {
    id: job.id,
    orgId: job.orgId,
    projectId: job.projectId,
    category: job.category,
    participantFilters: job.participantFilters,
    mode: job.mode,
    source: job.source,
    status: job.status,
    control: job.control,
    settlement: job.settlementState,
    url: job.url,
    description: job.description,
    title: job.title,
    outputSchema: (job.outputSchema ?? null) as OutputSchema | null,
    targetDurationMinutes: job.targetDurationMinutes,
    allowDurationExtension: job.allowDurationExtension,
    maxExtensionMinutes: job.maxExtensionMinutes ?? false,
    additionalValidationInstructions: job.additionalValidationInstructions,
    screenSize: { preset: screenPreset(job.screenPreset), width: job.screenWidth, height: job.screenHeight },
    repoName: job.repoName,
    canCreateGithubIssues: job.canCreateGithubIssues,
    testerCount: job.testerCount,
    allowSlotReopen: job.allowSlotReopen,
    webhookUrl: job.webhookUrl,
    hasCredentials: job.credentialsEncrypted !== null,
    result: isJobResult(job.result) ? job.result : null,
    costMicros: Number(job.costMicros),
    holdMicros: Number(job.holdMicros),
    testDurationSeconds: representative ? slotDurationSeconds(representative, job) : null,
    testerResponse: representative?.testerResponse ?? null,
    representativeSlotId: representative?.id ?? null,
    tester: face ? testerIdentity(face.tester) : null,
    slots: job.assignments.map((slot) => toSlotView(slot, job)),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    postedAt: job.postedAt,
    startedAt: job.startedAt,
    completedAt: job.completedAt,
    cancelledAt: job.cancelledAt,
  };
}
