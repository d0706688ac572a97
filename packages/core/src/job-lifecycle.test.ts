import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  type AssignmentEvent,
  type AssignmentStatus,
  assignmentMachine,
  wasClaimed,
} from "./assignment-lifecycle";
import { expectDomainError } from "../test/expect-domain-error";
import {
  JOB_EVENTS,
  JOB_STATUSES,
  type JobEvent,
  type JobStatus,
  TERMINAL_JOB_STATUSES,
  deriveJobChange,
  deriveJobStatus,
  isTerminalJobStatus,
  jobEventBetween,
  jobMachine,
  transitionJob,
} from "./job-lifecycle";
import { decideSlotReopen } from "./slot-reopen";

const LEGAL: readonly (readonly [JobStatus, JobEvent, JobStatus])[] = [
  ["pending", "post", "waiting"],
  ["pending", "cancel", "cancelled"],
  ["pending", "fail", "error"],
  ["waiting", "claim", "working"],
  ["waiting", "cancel", "cancelled"],
  ["waiting", "fail", "error"],
  ["waiting", "complete", "completed"],
  ["waiting", "mark_incomplete", "incomplete"],
  ["waiting", "abandon", "abandoned"],
  ["waiting", "reject", "rejected"],
  ["working", "requeue", "waiting"],
  ["working", "complete", "completed"],
  ["working", "mark_incomplete", "incomplete"],
  ["working", "abandon", "abandoned"],
  ["working", "reject", "rejected"],
  ["working", "fail", "error"],
];

/** run(human)'s own edges for one tester, plus cancel before a claim. */
const RUN_HUMAN_EDGES = new Set([
  "pending>waiting",
  "pending>cancelled",
  "pending>error",
  "waiting>working",
  "waiting>cancelled",
  "waiting>error",
  "working>completed",
  "working>incomplete",
  "working>abandoned",
  "working>rejected",
  "working>error",
]);
/**
 * With slot reopening, an abandoned tester's slot goes back to waiting; if the owner then stops or
 * settles before anyone claims the replacement, the job ends abandoned straight from waiting.
 */
const REOPEN_EDGES = new Set([...RUN_HUMAN_EDGES, "working>waiting", "waiting>abandoned"]);

const slots = (...statuses: AssignmentStatus[]) => statuses.map((status) => ({ status }));

describe("job lifecycle table", () => {
  it.each(LEGAL)("%s --%s--> %s", (from, event, to) => {
    expect(transitionJob(from, event)).toBe(to);
    expect(jobEventBetween(from, to)).toBe(event);
  });

  const pairs = JOB_STATUSES.flatMap((state) => JOB_EVENTS.map((event) => [state, event] as const));
  const illegal = pairs.filter(([s, e]) => !LEGAL.some(([f, le]) => f === s && le === e));
  it.each(illegal)("refuses %s on %s (409)", (state, event) => {
    const error = expectDomainError(
      () => transitionJob(state, event),
      "INVALID_TRANSITION",
      `cannot ${event} a job that is ${state}`,
    );
    expect(error.httpStatus).toBe(409);
  });

  it("has the run(human) terminal set plus cancelled, none of which has a way out", () => {
    expect([...TERMINAL_JOB_STATUSES]).toEqual([
      "completed",
      "incomplete",
      "abandoned",
      "rejected",
      "error",
      "cancelled",
    ]);
    for (const status of JOB_STATUSES) {
      expect(jobMachine.allowedEvents(status).length === 0).toBe(isTerminalJobStatus(status));
    }
  });

  it("allows cancel only before any claim", () => {
    expect(JOB_STATUSES.filter((s) => jobMachine.can(s, "cancel"))).toEqual(["pending", "waiting"]);
  });
});

describe("deriveJobStatus", () => {
  it.each([
    ["pending", slots("open"), "pending"],
    ["waiting", slots("open"), "waiting"],
    ["waiting", slots("working"), "working"],
    ["working", slots("submitted"), "working"],
    ["working", slots("completed"), "completed"],
    ["working", slots("incomplete"), "incomplete"],
    ["working", slots("abandoned"), "abandoned"],
    ["working", slots("rejected"), "rejected"],
    ["working", slots("error"), "error"],
    ["waiting", slots("closed"), "cancelled"],
    ["pending", slots("closed"), "cancelled"],
    ["pending", slots("error"), "error"],
    // one slot working wins over everything
    ["working", slots("completed", "working", "open"), "working"],
    ["waiting", slots("submitted", "open"), "working"],
    // open slots left, nobody working
    ["working", slots("completed", "open"), "waiting"],
    ["working", slots("abandoned", "open"), "waiting"],
    // aggregates
    ["waiting", slots("completed", "closed"), "completed"],
    ["working", slots("abandoned", "completed", "error"), "completed"],
    ["working", slots("abandoned", "incomplete", "error"), "incomplete"],
    ["working", slots("abandoned", "rejected", "error"), "error"],
    ["working", slots("abandoned", "rejected", "closed"), "rejected"],
    ["working", slots("abandoned", "closed", "closed"), "abandoned"],
    ["waiting", slots("closed", "closed"), "cancelled"],
  ] as const)("job %s with slots %j → %s", (status, s, expected) => {
    expect(deriveJobStatus({ status }, s)).toBe(expected);
  });

  it("never changes a terminal job", () => {
    for (const status of TERMINAL_JOB_STATUSES) {
      expect(deriveJobStatus({ status }, slots("working", "open"))).toBe(status);
    }
  });

  it("refuses a job without slots", () => {
    expectDomainError(() => deriveJobStatus({ status: "waiting" }, []), "INTERNAL");
  });

  it("reports the table event for a derived change, and INTERNAL for an impossible one", () => {
    expect(deriveJobChange({ status: "waiting" }, slots("working"))).toEqual({
      status: "working",
      event: "claim",
    });
    expect(deriveJobChange({ status: "working" }, slots("working"))).toEqual({
      status: "working",
      event: null,
    });
    expect(deriveJobChange({ status: "working" }, slots("abandoned", "open"))).toEqual({
      status: "waiting",
      event: "requeue",
    });
    // a claim while the job was never posted is a caller bug
    expect(() => deriveJobChange({ status: "pending" }, slots("working"))).toThrow(/not reachable/);
  });
});

type Action =
  | { kind: "post" }
  | { kind: "slot"; index: number; event: AssignmentEvent }
  | { kind: "add_slot" }
  | { kind: "close_open" };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Action>({ kind: "post" }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("slot" as const),
      index: fc.nat(5),
      event: fc.constantFrom<AssignmentEvent>(
        "claim",
        "claim",
        "submit",
        "extracted_complete",
        "extracted_incomplete",
        "abandon",
        "time_out",
        "reject",
        "fail",
        "close",
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: "add_slot" }) },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: "close_open" }) },
);

/** Drive a job through random slot events the way the services would, deriving after each step. */
function simulate(actions: readonly Action[], options: { multi: boolean; allowReopen: boolean }) {
  let job: JobStatus = "pending";
  let slotStatuses: AssignmentStatus[] = ["open"];
  let reopened = 0;
  const edges: string[] = [];
  for (const step of actions) {
    if (isTerminalJobStatus(job)) break;
    if (step.kind === "post") {
      if (job === "pending") {
        edges.push(`${job}>waiting`);
        job = transitionJob(job, "post");
      }
      continue;
    }
    if (step.kind === "add_slot") {
      if (options.multi) slotStatuses.push("open");
    } else if (step.kind === "close_open") {
      slotStatuses = slotStatuses.map((s) => (s === "open" ? "closed" : s));
    } else {
      const index = step.index % slotStatuses.length;
      const current = slotStatuses[index] ?? "open";
      if (step.event === "claim" && job === "pending") continue; // claims need a posted job
      const next = assignmentMachine.next(current, step.event);
      if (next === null) continue;
      slotStatuses[index] = next;
      if (next === "abandoned") {
        const decision = decideSlotReopen({
          slotStatus: next,
          allowSlotReopen: options.allowReopen,
          control: "active",
          settlement: "unsettled",
          reopenedCount: reopened,
        });
        if (decision.reopen) {
          reopened++;
          slotStatuses.push("open");
        }
      }
    }
    const change = deriveJobChange(
      { status: job },
      slotStatuses.map((status) => ({ status })),
    );
    if (change.event !== null) {
      edges.push(`${job}>${change.status}`);
      expect(transitionJob(job, change.event)).toBe(change.status);
    }
    job = change.status;
  }
  return { job, slots: slotStatuses, edges };
}

describe("derived job status (properties)", () => {
  it("only ever moves along table edges, for any multi-tester history", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), fc.boolean(), (actions, allowReopen) => {
        const { job, slots: s } = simulate(actions, { multi: true, allowReopen });
        // cancelled exactly when the job ended with no slot ever claimed
        if (job === "cancelled") expect(s.every((status) => !wasClaimed(status))).toBe(true);
        if (isTerminalJobStatus(job) && job !== "cancelled") expect(s.some(wasClaimed)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("reproduces run(human) semantics for a single-tester job", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), fc.boolean(), (actions, allowReopen) => {
        const { edges } = simulate(actions, { multi: false, allowReopen });
        for (const edge of edges) expect(allowReopen ? REOPEN_EDGES : RUN_HUMAN_EDGES).toContain(edge);
      }),
      { numRuns: 500 },
    );
  });

  it("never changes a terminal job, whatever the slots say", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TERMINAL_JOB_STATUSES),
        fc.array(fc.constantFrom<AssignmentStatus>("open", "working", "submitted", "completed", "closed"), {
          minLength: 1,
        }),
        (status, s) => {
          expect(
            deriveJobStatus(
              { status },
              s.map((x) => ({ status: x })),
            ),
          ).toBe(status);
        },
      ),
    );
  });
});
