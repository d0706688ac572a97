// A finished job's result from its slots: the representative slot and the multi-tester aggregation.
import {
  allowedMs,
  type AssignmentStatus,
  billableSeconds,
  type ExtractedData,
  type JobStatus,
  type JsonValue,
  type OutputSchema,
} from "@eyeball/core";
import { type Assignment } from "@eyeball/db";

import { limitsOf } from "./job-terms";

export interface JobResult {
  success: boolean;
  explanation: string;
  data: ExtractedData;
}

type SlotRow = Pick<
  Assignment,
  | "id"
  | "slotIndex"
  | "status"
  | "replacedAt"
  | "claimedAt"
  | "submittedAt"
  | "extensionMinutesGranted"
  | "extractedData"
  | "explanation"
  | "rejectReason"
>;

/** Slots that count as testers: neither closed unclaimed nor replaced by a reopened slot. */
export function countedSlotRows<S extends Pick<Assignment, "status" | "replacedAt">>(
  slots: readonly S[],
): S[] {
  return slots.filter((slot) => slot.status !== "closed" && slot.replacedAt === null);
}

/**
 * The slot that speaks for the job: the lowest-index slot whose status is the job's outcome
 * (deriveJobStatus picks the outcome by precedence, so such a slot exists for every outcome but
 * `cancelled`). Its response, duration and tester are what single-result dialects (run(human),
 * TesterArmy) show; every slot stays visible in `JobView.slots`.
 */
export function representativeSlot<S extends SlotRow>(status: JobStatus, slots: readonly S[]): S | null {
  const matching = slots
    .filter((slot) => (slot.status as string) === status)
    .sort(
      (a, b) => Number(a.replacedAt !== null) - Number(b.replacedAt !== null) || a.slotIndex - b.slotIndex,
    );
  return matching[0] ?? null;
}

/** One null per schema field: the shape of `data` when nothing was extracted. */
export function emptyData(schema: OutputSchema | null): ExtractedData {
  const data: ExtractedData = {};
  for (const field of Object.keys(schema ?? {})) data[field] = null;
  return data;
}

function asData(value: unknown, schema: OutputSchema | null): ExtractedData {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return { ...emptyData(schema), ...(value as Record<string, JsonValue>) };
  }
  return emptyData(schema);
}

const OUTCOME_EXPLANATIONS: Partial<Record<AssignmentStatus | JobStatus, string>> = {
  abandoned: "The tester abandoned the test before completing it.",
  error: "A system error occurred while processing the test.",
  cancelled: "The job was cancelled before a tester claimed it.",
};

function slotExplanation(slot: SlotRow | null, status: JobStatus): string {
  if (slot?.explanation) return slot.explanation;
  if (status === "rejected") {
    const reason = slot?.rejectReason?.trim();
    return reason ? `The tester rejected the job: ${reason}` : "The tester rejected the job as impossible.";
  }
  return OUTCOME_EXPLANATIONS[status] ?? `The job ended ${status}.`;
}

/**
 * The job's result once terminal. One tester: that slot's `{success, explanation, data}`.
 * Several testers: `success` is true when the job is `completed` (at least one tester completed —
 * the same precedence deriveJobStatus uses), `data` is the representative slot's, and the
 * explanation opens with how many testers completed; each tester's own result is on its slot.
 */
export function aggregateResult(
  status: JobStatus,
  slots: readonly SlotRow[],
  schema: OutputSchema | null,
): JobResult {
  const slot = representativeSlot(status, slots);
  const explanation = slotExplanation(slot, status);
  const data =
    slot && (slot.status === "completed" || slot.status === "incomplete")
      ? asData(slot.extractedData, schema)
      : emptyData(schema);
  const counted = countedSlotRows(slots).filter((s) => s.status !== "closed");
  if (counted.length <= 1) return { success: status === "completed", explanation, data };
  const completed = counted.filter((s) => s.status === "completed").length;
  return {
    success: status === "completed",
    explanation: `${completed} of ${counted.length} testers completed. ${explanation}`,
    data,
  };
}

/** Billed seconds of a submitted slot: claim to submission, rounded up, capped at the allowed time. */
export function slotDurationSeconds(
  slot: Pick<Assignment, "claimedAt" | "submittedAt" | "extensionMinutesGranted">,
  job: Parameters<typeof limitsOf>[0],
): number | null {
  if (!slot.claimedAt || !slot.submittedAt) return null;
  const worked = Math.max(0, slot.submittedAt.getTime() - slot.claimedAt.getTime());
  return billableSeconds(Math.min(worked, allowedMs(limitsOf(job), slot.extensionMinutesGranted)));
}
