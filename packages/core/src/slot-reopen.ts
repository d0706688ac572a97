// Whether an abandoned slot is replaced by a fresh open one (DESIGN: the slot reopens when the job allows).
import { type AssignmentStatus } from "./assignment-lifecycle";
import { type JobControl, type SettlementState } from "./job-control";

/** Guards against a job that every tester abandons cycling forever on the owner's hold. */
export const DEFAULT_MAX_SLOT_REOPENS = 3;

export interface SlotReopenInput {
  /** Status the slot just ended in. */
  readonly slotStatus: AssignmentStatus;
  /** The job's `allowSlotReopen` option. */
  readonly allowSlotReopen: boolean;
  readonly control: JobControl;
  readonly settlement: SettlementState;
  /** Slots this job has already reopened. */
  readonly reopenedCount: number;
  readonly maxReopens?: number;
}

export type SlotReopenReason =
  "not_abandoned" | "reopen_disabled" | "job_stopped" | "job_settled" | "reopen_limit";

export type SlotReopenDecision =
  { readonly reopen: true } | { readonly reopen: false; readonly reason: SlotReopenReason };

/**
 * Only `abandoned` (gave up or timed out) reopens: a rejection is a verdict on the instructions and
 * an error is the platform's fault, so neither is worth another tester's time automatically. A
 * paused job still reopens (the slot waits for resume); a stopped or settled job does not. The
 * replacement reuses the abandoned slot's share of the hold, since an abandoned slot costs nothing.
 */
export function decideSlotReopen(input: SlotReopenInput): SlotReopenDecision {
  if (input.slotStatus !== "abandoned") return { reopen: false, reason: "not_abandoned" };
  if (!input.allowSlotReopen) return { reopen: false, reason: "reopen_disabled" };
  if (input.control === "stopped") return { reopen: false, reason: "job_stopped" };
  if (input.settlement !== "unsettled") return { reopen: false, reason: "job_settled" };
  if (input.reopenedCount >= (input.maxReopens ?? DEFAULT_MAX_SLOT_REOPENS))
    return { reopen: false, reason: "reopen_limit" };
  return { reopen: true };
}
