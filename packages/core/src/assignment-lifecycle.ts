// The lifecycle of one tester slot (an assignment) as a transition table.
import { defineMachine } from "./state-machine";

/** Slot states; the database stores these exact strings. */
export const ASSIGNMENT_STATUSES = [
  "open", // awaiting a tester
  "working", // claimed, the tester is testing
  "submitted", // final "done" message received, extraction pending
  "completed",
  "incomplete",
  "abandoned", // tester gave up or timed out
  "rejected", // tester says the instructions are invalid or impossible
  "error", // system error
  "closed", // an open slot closed before anyone claimed it (stop, settle, resize down, cancel)
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const TERMINAL_ASSIGNMENT_STATUSES = [
  "completed",
  "incomplete",
  "abandoned",
  "rejected",
  "error",
  "closed",
] as const satisfies readonly AssignmentStatus[];

export const ASSIGNMENT_EVENTS = [
  "claim",
  "submit",
  "extracted_complete",
  "extracted_incomplete",
  "abandon",
  "time_out",
  "reject",
  "fail",
  "close",
] as const;
export type AssignmentEvent = (typeof ASSIGNMENT_EVENTS)[number];

/**
 * Working time runs from `claim` to `submit`; `time_out` ends as `abandoned` because, for the
 * integrator, a tester who ran out of time is indistinguishable from one who gave up. Only an
 * unclaimed slot can be `close`d: a working tester always finishes (stop lets them). `fail` is
 * possible anywhere before a terminal state, since system errors do not wait for a good moment.
 */
export const assignmentMachine = defineMachine<AssignmentStatus, AssignmentEvent>({
  subject: "an assignment",
  states: ASSIGNMENT_STATUSES,
  events: ASSIGNMENT_EVENTS,
  terminal: TERMINAL_ASSIGNMENT_STATUSES,
  table: {
    open: { claim: "working", close: "closed", fail: "error" },
    working: {
      submit: "submitted",
      abandon: "abandoned",
      time_out: "abandoned",
      reject: "rejected",
      fail: "error",
    },
    submitted: { extracted_complete: "completed", extracted_incomplete: "incomplete", fail: "error" },
    completed: {},
    incomplete: {},
    abandoned: {},
    rejected: {},
    error: {},
    closed: {},
  },
});

/** Pure: the slot's next status, or DomainError INVALID_TRANSITION (409). */
export function transitionAssignment(status: AssignmentStatus, event: AssignmentEvent): AssignmentStatus {
  return assignmentMachine.transition(status, event);
}

export function isTerminalAssignmentStatus(status: AssignmentStatus): boolean {
  return assignmentMachine.isTerminal(status);
}

/** A tester is on the slot right now (their time is running or their result is being extracted). */
export function isActiveAssignmentStatus(status: AssignmentStatus): boolean {
  return status === "working" || status === "submitted";
}

/** The slot was claimed at some point: anything but `open` and `closed`. */
export function wasClaimed(status: AssignmentStatus): boolean {
  return status !== "open" && status !== "closed";
}
