import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  ASSIGNMENT_EVENTS,
  ASSIGNMENT_STATUSES,
  type AssignmentEvent,
  type AssignmentStatus,
  TERMINAL_ASSIGNMENT_STATUSES,
  assignmentMachine,
  isActiveAssignmentStatus,
  isTerminalAssignmentStatus,
  transitionAssignment,
  wasClaimed,
} from "./assignment-lifecycle";
import { DomainError } from "./errors";

/** The legal moves, written out independently of the table so a typo in either shows up. */
const LEGAL: readonly (readonly [AssignmentStatus, AssignmentEvent, AssignmentStatus])[] = [
  ["open", "claim", "working"],
  ["open", "close", "closed"],
  ["open", "fail", "error"],
  ["working", "submit", "submitted"],
  ["working", "abandon", "abandoned"],
  ["working", "time_out", "abandoned"],
  ["working", "reject", "rejected"],
  ["working", "fail", "error"],
  ["submitted", "extracted_complete", "completed"],
  ["submitted", "extracted_incomplete", "incomplete"],
  ["submitted", "fail", "error"],
];

const ALL_PAIRS = ASSIGNMENT_STATUSES.flatMap((state) =>
  ASSIGNMENT_EVENTS.map((event) => [state, event] as const),
);

describe("assignment lifecycle", () => {
  it.each(LEGAL)("%s --%s--> %s", (from, event, to) => {
    expect(transitionAssignment(from, event)).toBe(to);
    expect(assignmentMachine.can(from, event)).toBe(true);
  });

  const illegal = ALL_PAIRS.filter(([state, event]) => !LEGAL.some(([f, e]) => f === state && e === event));
  it.each(illegal)("refuses %s on %s with INVALID_TRANSITION", (state, event) => {
    expect(() => transitionAssignment(state, event)).toThrow(DomainError);
    try {
      transitionAssignment(state, event);
    } catch (error) {
      expect(error).toMatchObject({
        code: "INVALID_TRANSITION",
        httpStatus: 409,
        message: `cannot ${event} an assignment that is ${state}`,
        details: { event, state },
      });
    }
  });

  it("covers every pair exactly once (legal + illegal)", () => {
    expect(LEGAL.length + illegal.length).toBe(ASSIGNMENT_STATUSES.length * ASSIGNMENT_EVENTS.length);
  });

  it("classifies statuses", () => {
    expect([...TERMINAL_ASSIGNMENT_STATUSES].sort()).toEqual(
      ["abandoned", "closed", "completed", "error", "incomplete", "rejected"].sort(),
    );
    for (const status of ASSIGNMENT_STATUSES) {
      expect(isTerminalAssignmentStatus(status)).toBe(
        (TERMINAL_ASSIGNMENT_STATUSES as readonly string[]).includes(status),
      );
      // A terminal state has no way out, a non-terminal one has at least one.
      expect(assignmentMachine.allowedEvents(status).length === 0).toBe(isTerminalAssignmentStatus(status));
    }
    expect(ASSIGNMENT_STATUSES.filter(isActiveAssignmentStatus)).toEqual(["working", "submitted"]);
    expect(ASSIGNMENT_STATUSES.filter((s) => !wasClaimed(s))).toEqual(["open", "closed"]);
  });

  it("never leaves a terminal state and only ever follows table edges (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ASSIGNMENT_EVENTS), { maxLength: 30 }), (events) => {
        let state: AssignmentStatus = "open";
        let claims = 0;
        for (const event of events) {
          const next = assignmentMachine.next(state, event);
          if (isTerminalAssignmentStatus(state)) expect(next).toBeNull();
          if (next === null) {
            expect(() => transitionAssignment(state, event)).toThrow(/^cannot /);
            continue;
          }
          if (event === "claim") claims++;
          state = next;
        }
        expect(claims).toBeLessThanOrEqual(1);
        // `closed` means nobody ever claimed; every claimed ending went through `working`.
        if (state === "closed") expect(claims).toBe(0);
        if (wasClaimed(state) && state !== "error") expect(claims).toBe(1);
      }),
    );
  });
});
