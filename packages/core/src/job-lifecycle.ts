// The job lifecycle (run(human) statuses plus TesterArmy's cancelled) and its derivation from slots.
import { type AssignmentStatus } from "./assignment-lifecycle";
import { DomainError } from "./errors";
import { defineMachine } from "./state-machine";

/** Job states; the database and the REST API use these exact strings. */
export const JOB_STATUSES = [
  "pending", // created, queued for posting to testers
  "waiting", // posted, awaiting a tester claim
  "working", // a tester claimed and is testing
  "completed",
  "incomplete",
  "abandoned",
  "rejected",
  "error",
  "cancelled", // TesterArmy: stopped before any tester claimed
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES = [
  "completed",
  "incomplete",
  "abandoned",
  "rejected",
  "error",
  "cancelled",
] as const satisfies readonly JobStatus[];

/** The statuses of a job still waiting for or with testers. */
export const OPEN_JOB_STATUSES: JobStatus[] = JOB_STATUSES.filter(
  (status) => !(TERMINAL_JOB_STATUSES as readonly JobStatus[]).includes(status),
);

export const JOB_EVENTS = [
  "post",
  "claim",
  "requeue",
  "complete",
  "mark_incomplete",
  "abandon",
  "reject",
  "fail",
  "cancel",
] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

/**
 * run(human): pending → waiting → working → terminal. `cancel` exists only before any claim.
 * `requeue` (working → waiting) happens when a slot reopens after an abandonment, or when a
 * multi-tester job has finished slots and still-open ones but nobody working. The outcome events
 * from `waiting` exist for multi-tester jobs only: the last open slot closes (stop, resize down,
 * settle) after other slots already finished. A single-slot job never takes them.
 */
export const jobMachine = defineMachine<JobStatus, JobEvent>({
  subject: "a job",
  states: JOB_STATUSES,
  events: JOB_EVENTS,
  terminal: TERMINAL_JOB_STATUSES,
  table: {
    pending: { post: "waiting", cancel: "cancelled", fail: "error" },
    waiting: {
      claim: "working",
      cancel: "cancelled",
      fail: "error",
      complete: "completed",
      mark_incomplete: "incomplete",
      abandon: "abandoned",
      reject: "rejected",
    },
    working: {
      requeue: "waiting",
      complete: "completed",
      mark_incomplete: "incomplete",
      abandon: "abandoned",
      reject: "rejected",
      fail: "error",
    },
    completed: {},
    incomplete: {},
    abandoned: {},
    rejected: {},
    error: {},
    cancelled: {},
  },
});

/** Pure: the job's next status, or DomainError INVALID_TRANSITION (409). */
export function transitionJob(status: JobStatus, event: JobEvent): JobStatus {
  return jobMachine.transition(status, event);
}

export function isTerminalJobStatus(status: JobStatus): boolean {
  return jobMachine.isTerminal(status);
}

/** The smallest view of a slot that status derivation needs. */
export interface SlotStatusView {
  readonly status: AssignmentStatus;
}

/**
 * Terminal outcome precedence when every slot has ended: one good result is a result, so
 * completed beats incomplete; among failures a system error is the most actionable, then a tester's
 * verdict that the instructions are impossible, then a plain abandonment.
 */
const OUTCOME_PRECEDENCE = [
  ["completed", "completed"],
  ["incomplete", "incomplete"],
  ["error", "error"],
  ["rejected", "rejected"],
  ["abandoned", "abandoned"],
] as const satisfies readonly (readonly [AssignmentStatus, JobStatus])[];

/**
 * The job's status from its slots (Instahuman multi-tester jobs; a run(human) job is one slot).
 *
 * - A terminal job never changes.
 * - Any slot working or submitted → `working`.
 * - Else any open slot → `waiting`, or `pending` while the job has not been posted.
 * - Else every slot is terminal → the best outcome by OUTCOME_PRECEDENCE.
 * - Else every slot is `closed` (nobody ever claimed) → `cancelled`: no work was done and nothing is
 *   charged, which is exactly TesterArmy's cancelled ("stopped before a tester claimed").
 */
export function deriveJobStatus(
  job: { readonly status: JobStatus },
  slots: readonly SlotStatusView[],
): JobStatus {
  if (isTerminalJobStatus(job.status)) return job.status;
  if (slots.length === 0) {
    throw new DomainError("INTERNAL", "a job has at least one slot", { details: { status: job.status } });
  }
  if (slots.some((slot) => slot.status === "working" || slot.status === "submitted")) return "working";
  if (slots.some((slot) => slot.status === "open")) return job.status === "pending" ? "pending" : "waiting";
  for (const [slotStatus, jobStatus] of OUTCOME_PRECEDENCE) {
    if (slots.some((slot) => slot.status === slotStatus)) return jobStatus;
  }
  return "cancelled";
}

/** The event that moves a job from one status to another, or null when the table has no such edge. */
export function jobEventBetween(from: JobStatus, to: JobStatus): JobEvent | null {
  return JOB_EVENTS.find((event) => jobMachine.next(from, event) === to) ?? null;
}

export interface DerivedJobChange {
  readonly status: JobStatus;
  /** The table event that explains the change; null when the status did not change. */
  readonly event: JobEvent | null;
}

/**
 * Derive the status and check the change against the job table, so a stored status only ever
 * moves along a legal edge. A derived move with no edge is a bug, reported as INTERNAL.
 */
export function deriveJobChange(
  job: { readonly status: JobStatus },
  slots: readonly SlotStatusView[],
): DerivedJobChange {
  const status = deriveJobStatus(job, slots);
  if (status === job.status) return { status, event: null };
  const event = jobEventBetween(job.status, status);
  if (event === null) {
    throw new DomainError("INTERNAL", `derived job status ${status} is not reachable from ${job.status}`, {
      details: { from: job.status, to: status },
    });
  }
  return { status, event };
}
