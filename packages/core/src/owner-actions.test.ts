import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import { type AssignmentEvent, assignmentMachine } from "./assignment-lifecycle";
import { chargeForAssignment } from "./cost";
import { type DisputeView } from "./dispute";
import { isDomainError } from "./errors";
import { deriveJobChange } from "./job-lifecycle";
import { type Micros, micros } from "./money";
import {
  DEFAULT_DISPUTE_WINDOW_MS,
  type OwnerActionResult,
  type OwnerEffect,
  type OwnerJobState,
  type OwnerSlotView,
  applySlotEffects,
  approveJob,
  assertCanClaimSlot,
  canClaimSlot,
  cancelJob,
  disputeJob,
  pauseJob,
  resizeJob,
  resumeJob,
  settleJob,
  stopJob,
} from "./owner-actions";

const SLOT_HOLD = micros(540_000); // 5 minutes at $0.0018/s
const NOW = 1_700_000_000_000;
const RICH = { availableCreditMicros: micros(10 ** 12) };

function slot(id: string, status: OwnerSlotView["status"], charged = 0, replaced = false): OwnerSlotView {
  return { id, status, chargedMicros: micros(charged), replaced };
}

function job(overrides: Partial<OwnerJobState> = {}): OwnerJobState {
  const slots = overrides.slots ?? [slot("asg_1", "open")];
  return {
    status: "waiting",
    control: "active",
    settlement: "unsettled",
    slots,
    holdMicros: micros(SLOT_HOLD * slots.length),
    slotHoldMicros: SLOT_HOLD,
    settledAt: null,
    disputes: [],
    ...overrides,
  };
}

describe("pause and resume", () => {
  it("pauses an active job and resumes a paused one, without effects", () => {
    expect(pauseJob(job())).toEqual({
      next: {
        status: "waiting",
        control: "paused",
        settlement: "unsettled",
        holdMicros: SLOT_HOLD,
        settledAt: null,
        testerCount: 1,
      },
      effects: [],
    });
    expect(resumeJob(job({ control: "paused" })).next.control).toBe("active");
  });

  it("keeps a working tester working while paused", () => {
    const paused = pauseJob(job({ status: "working", slots: [slot("asg_1", "working")] }));
    expect(paused.next).toMatchObject({ status: "working", control: "paused" });
  });

  it.each([
    [pauseJob, { control: "paused" }, "cannot pause a job that is paused"],
    [pauseJob, { control: "stopped" }, "cannot pause a job that is stopped"],
    [pauseJob, { status: "completed" }, "cannot pause a job that is completed"],
    [pauseJob, { settlement: "settled" }, "cannot pause a job that is settled"],
    [resumeJob, { control: "active" }, "cannot resume a job that is active"],
    [resumeJob, { control: "stopped" }, "cannot resume a job that is stopped"],
    [resumeJob, { control: "paused", status: "cancelled" }, "cannot resume a job that is cancelled"],
  ] as const)("%o refuses %j: %s", (action, overrides, message) => {
    expectDomainError(() => action(job(overrides)), "INVALID_TRANSITION", message);
  });
});

describe("claims", () => {
  it("are open only on a posted, active, unsettled job with an open slot", () => {
    expect(canClaimSlot(job())).toBe(true);
    expect(canClaimSlot(job({ status: "pending" }))).toBe(false);
    expect(canClaimSlot(job({ control: "paused" }))).toBe(false);
    expect(canClaimSlot(job({ slots: [slot("asg_1", "working")], status: "working" }))).toBe(false);
    expectDomainError(
      () => {
        assertCanClaimSlot(job({ control: "paused" }));
      },
      "INVALID_TRANSITION",
      "cannot claim a job that is paused",
    );
    expectDomainError(
      () => {
        assertCanClaimSlot(job({ slots: [slot("asg_1", "working")], status: "working" }));
      },
      "INVALID_TRANSITION",
      "cannot claim a job that is fully claimed",
    );
    expectDomainError(
      () => {
        assertCanClaimSlot(job({ status: "pending" }));
      },
      "INVALID_TRANSITION",
      "cannot claim a job that is pending",
    );
  });
});

describe("stop", () => {
  it("closes open slots, releases their hold, lets working testers finish", () => {
    const state = job({
      status: "working",
      slots: [slot("asg_1", "working"), slot("asg_2", "open"), slot("asg_3", "open")],
    });
    expect(stopJob(state)).toEqual({
      next: {
        status: "working",
        control: "stopped",
        settlement: "unsettled",
        holdMicros: SLOT_HOLD,
        settledAt: null,
        testerCount: 1,
      },
      effects: [{ type: "close_open_slots" }, { type: "release_hold", micros: 2 * SLOT_HOLD }],
    });
  });

  it("turns a waiting job with nobody claimed into cancelled, and a paused one can be stopped", () => {
    expect(stopJob(job()).next.status).toBe("cancelled");
    expect(stopJob(job({ control: "paused" })).next.control).toBe("stopped");
    expectDomainError(
      () => stopJob(job({ control: "stopped" })),
      "INVALID_TRANSITION",
      "cannot stop a job that is stopped",
    );
    expectDomainError(() => stopJob(job({ status: "completed" })), "INVALID_TRANSITION");
  });
});

describe("cancel (TesterArmy)", () => {
  it("cancels a pending or waiting job nobody claimed, releasing the whole hold", () => {
    for (const status of ["pending", "waiting"] as const) {
      expect(cancelJob(job({ status }))).toEqual({
        next: {
          status: "cancelled",
          control: "stopped",
          settlement: "unsettled",
          holdMicros: 0,
          settledAt: null,
          testerCount: 0,
        },
        effects: [{ type: "close_open_slots" }, { type: "release_hold", micros: SLOT_HOLD }],
      });
    }
  });

  it("refuses once anybody claimed", () => {
    expectDomainError(
      () => cancelJob(job({ status: "working", slots: [slot("a", "working")] })),
      "INVALID_TRANSITION",
      "cannot cancel a job that is working",
    );
    expectDomainError(
      () =>
        cancelJob(job({ status: "waiting", slots: [slot("a", "abandoned", 0, true), slot("b", "open")] })),
      "INVALID_TRANSITION",
      "cannot cancel a job that is already claimed",
    );
    expectDomainError(() => cancelJob(job({ status: "completed" })), "INVALID_TRANSITION");
  });
});

describe("settle", () => {
  it("closes open slots, captures the charges and releases the rest", () => {
    const state = job({
      status: "waiting",
      slots: [slot("asg_1", "completed", 396_000), slot("asg_2", "abandoned"), slot("asg_3", "open")],
      holdMicros: micros(3 * SLOT_HOLD),
    });
    expect(settleJob(state, NOW)).toEqual({
      next: {
        status: "completed",
        control: "stopped",
        settlement: "settled",
        holdMicros: 0,
        settledAt: NOW,
        testerCount: 2,
      },
      effects: [
        { type: "close_open_slots" },
        { type: "capture_charge", micros: 396_000 },
        { type: "release_hold", micros: 3 * SLOT_HOLD - 396_000 },
      ],
    });
  });

  it("refuses while a tester is working or being extracted, and twice", () => {
    expectDomainError(
      () => settleJob(job({ status: "working", slots: [slot("a", "working")] }), NOW),
      "INVALID_TRANSITION",
      "cannot settle a job that is being worked on",
    );
    expectDomainError(
      () => settleJob(job({ status: "working", slots: [slot("a", "submitted")] }), NOW),
      "INVALID_TRANSITION",
      "cannot settle a job that is being extracted",
    );
    expectDomainError(
      () => settleJob(job({ settlement: "settled" }), NOW),
      "INVALID_TRANSITION",
      "cannot settle a job that is settled",
    );
    expectDomainError(() => settleJob(job({ settlement: "approved" }), NOW), "INVALID_TRANSITION");
  });

  it("reports a charge beyond the hold as a debit instead of hiding it", () => {
    const state = job({
      status: "completed",
      slots: [slot("a", "completed", 600_000)],
      holdMicros: micros(540_000),
    });
    expect(settleJob(state, NOW).effects).toEqual([
      { type: "capture_charge", micros: 540_000 },
      { type: "debit_credit", micros: 60_000 },
    ]);
  });
});

function settled(overrides: Partial<OwnerJobState> = {}): OwnerJobState {
  return job({
    status: "completed",
    control: "stopped",
    settlement: "settled",
    settledAt: NOW,
    holdMicros: micros(0),
    slots: [
      slot("asg_1", "completed", 396_000),
      slot("asg_2", "incomplete", 108_000),
      slot("asg_3", "abandoned"),
    ],
    ...overrides,
  });
}

describe("dispute", () => {
  it("opens a dispute on charged assignments within the window", () => {
    const result = disputeJob(
      settled(),
      { assignmentIds: ["asg_2"], reason: "  tester skipped step 3 " },
      NOW + 1000,
    );
    expect(result.dispute).toEqual({
      status: "open",
      assignmentIds: ["asg_2"],
      reason: "tester skipped step 3",
      micros: 108_000,
      openedAt: NOW + 1000,
    });
    expect(result.effects).toEqual([
      { type: "open_dispute", assignmentIds: ["asg_2"], reason: "tester skipped step 3", micros: 108_000 },
    ]);
    expect(result.next.settlement).toBe("settled");
    const both = disputeJob(
      settled(),
      { assignmentIds: ["asg_1", "asg_2"], reason: "x" },
      NOW + DEFAULT_DISPUTE_WINDOW_MS,
    );
    expect(both.dispute.micros).toBe(504_000);
  });

  it("refuses outside the window, before settlement and after approval (409)", () => {
    const request = { assignmentIds: ["asg_1"], reason: "bad" };
    expectDomainError(
      () => disputeJob(settled(), request, NOW + DEFAULT_DISPUTE_WINDOW_MS + 1),
      "INVALID_TRANSITION",
      "cannot dispute a job that is past its dispute window",
    );
    expectDomainError(
      () => disputeJob(settled(), request, NOW + 5000, { windowMs: 1000 }),
      "INVALID_TRANSITION",
    );
    expectDomainError(
      () => disputeJob(job(), request, NOW),
      "INVALID_TRANSITION",
      "cannot dispute a job that is unsettled",
    );
    expectDomainError(
      () => disputeJob(settled({ settlement: "approved" }), request, NOW),
      "INVALID_TRANSITION",
      "cannot dispute a job that is approved",
    );
  });

  it("validates the reason and the chosen assignments", () => {
    const d =
      (assignmentIds: string[], reason = "why") =>
      () =>
        disputeJob(settled(), { assignmentIds, reason }, NOW);
    expectDomainError(d(["asg_1"], "   "), "VALIDATION", "reason: must not be empty");
    expectDomainError(d(["asg_1"], "x".repeat(2001)), "VALIDATION", /^reason: /);
    expectDomainError(d([]), "VALIDATION", /^assignmentIds: /);
    expectDomainError(d(["asg_1", "asg_1"]), "VALIDATION", "assignmentIds: must not repeat an assignment");
    expectDomainError(d(["asg_3"]), "VALIDATION", "assignmentIds: asg_3 was not charged");
    expectDomainError(d(["asg_9"]), "NOT_FOUND", "assignment asg_9 not found on this job");
  });

  it("allows each assignment to be disputed once (409 CONFLICT)", () => {
    const disputes: DisputeView[] = [
      { id: "dsp_1", status: "upheld", assignmentIds: ["asg_1"], micros: micros(396_000) },
    ];
    expectDomainError(
      () => disputeJob(settled({ disputes }), { assignmentIds: ["asg_2", "asg_1"], reason: "again" }, NOW),
      "CONFLICT",
      "assignment asg_1 is already disputed",
    );
  });
});

describe("approve", () => {
  it("approves a settlement and releases tester earnings (70 %)", () => {
    expect(approveJob(settled())).toEqual({
      next: {
        status: "completed",
        control: "stopped",
        settlement: "approved",
        holdMicros: 0,
        settledAt: NOW,
        testerCount: 3,
      },
      effects: [
        {
          type: "release_tester_earnings",
          payouts: [
            { assignmentId: "asg_1", micros: 277_200 },
            { assignmentId: "asg_2", micros: 75_600 },
          ],
          platformMicros: 118_800 + 32_400,
        },
      ],
    });
    expect(approveJob(settled(), { testerShareBps: 10_000 }).effects).toEqual([
      {
        type: "release_tester_earnings",
        payouts: [
          { assignmentId: "asg_1", micros: 396_000 },
          { assignmentId: "asg_2", micros: 108_000 },
        ],
        platformMicros: 0,
      },
    ]);
  });

  it("uses each assignment's own share where given, the job-wide share elsewhere", () => {
    const shares = new Map([["asg_2", 5_000]]);
    expect(approveJob(settled(), { testerShareBps: 10_000, shareBpsByAssignment: shares }).effects).toEqual([
      {
        type: "release_tester_earnings",
        payouts: [
          { assignmentId: "asg_1", micros: 396_000 },
          { assignmentId: "asg_2", micros: 54_000 },
        ],
        platformMicros: 54_000,
      },
    ]);
  });

  it("pays nothing for refunded assignments", () => {
    const disputes: DisputeView[] = [
      { id: "dsp_1", status: "refunded", assignmentIds: ["asg_1"], micros: micros(396_000) },
    ];
    expect(approveJob(settled({ disputes })).effects).toEqual([
      {
        type: "release_tester_earnings",
        payouts: [{ assignmentId: "asg_2", micros: 75_600 }],
        platformMicros: 32_400,
      },
    ]);
  });

  it("refuses while a dispute is open, before settlement, and twice", () => {
    const disputes: DisputeView[] = [
      { id: "dsp_1", status: "open", assignmentIds: ["asg_1"], micros: micros(396_000) },
    ];
    expectDomainError(
      () => approveJob(settled({ disputes })),
      "INVALID_TRANSITION",
      "cannot approve a job that is under dispute",
    );
    expectDomainError(
      () => approveJob(job()),
      "INVALID_TRANSITION",
      "cannot approve a job that is unsettled",
    );
    expectDomainError(
      () => approveJob(settled({ settlement: "approved" })),
      "INVALID_TRANSITION",
      "cannot approve a job that is approved",
    );
  });
});

describe("resize", () => {
  const three = () =>
    job({
      status: "working",
      slots: [slot("asg_1", "working"), slot("asg_2", "open"), slot("asg_3", "open")],
      holdMicros: micros(3 * SLOT_HOLD),
    });

  it("opens slots and raises the hold when growing", () => {
    expect(resizeJob(three(), 5, RICH)).toEqual({
      next: {
        status: "working",
        control: "active",
        settlement: "unsettled",
        holdMicros: 5 * SLOT_HOLD,
        settledAt: null,
        testerCount: 5,
      },
      effects: [
        { type: "open_slots", count: 2 },
        { type: "raise_hold", micros: 2 * SLOT_HOLD },
      ],
    });
  });

  it("refuses growing beyond available credit (402)", () => {
    const error = expectDomainError(
      () => resizeJob(three(), 5, { availableCreditMicros: micros(2 * SLOT_HOLD - 1) }),
      "INSUFFICIENT_CREDIT",
    );
    expect(error.httpStatus).toBe(402);
  });

  it("closes the latest open slots and releases their hold when shrinking", () => {
    expect(resizeJob(three(), 2, RICH).effects).toEqual([
      { type: "close_slots", assignmentIds: ["asg_3"] },
      { type: "release_hold", micros: SLOT_HOLD },
    ]);
    expect(resizeJob(three(), 1, RICH)).toEqual({
      next: {
        status: "working",
        control: "active",
        settlement: "unsettled",
        holdMicros: SLOT_HOLD,
        settledAt: null,
        testerCount: 1,
      },
      effects: [
        { type: "close_slots", assignmentIds: ["asg_2", "asg_3"] },
        { type: "release_hold", micros: 2 * SLOT_HOLD },
      ],
    });
  });

  it("is a no-op at the current size", () => {
    expect(resizeJob(three(), 3, RICH).effects).toEqual([]);
  });

  it("refuses to go below the slots already claimed (409)", () => {
    const state = job({
      status: "working",
      slots: [slot("a", "working"), slot("b", "completed", 1800), slot("c", "open")],
    });
    const error = expectDomainError(
      () => resizeJob(state, 1, RICH),
      "INVALID_TRANSITION",
      "cannot resize a job to 1 testers: 2 slots are already claimed",
    );
    expect(error.httpStatus).toBe(409);
  });

  it("does not count replaced or closed slots as testers", () => {
    const state = job({ slots: [slot("a", "abandoned", 0, true), slot("b", "open"), slot("c", "closed")] });
    expect(resizeJob(state, 1, RICH).effects).toEqual([]);
    expect(resizeJob(state, 2, RICH).effects[0]).toEqual({ type: "open_slots", count: 1 });
  });

  it("refuses after settlement, stop or a terminal status, and bad counts", () => {
    expectDomainError(
      () => resizeJob(settled(), 2, RICH),
      "INVALID_TRANSITION",
      "cannot resize a job that is settled",
    );
    expectDomainError(
      () => resizeJob(job({ control: "stopped" }), 2, RICH),
      "INVALID_TRANSITION",
      "cannot resize a job that is stopped",
    );
    expectDomainError(
      () => resizeJob(job({ status: "cancelled" }), 2, RICH),
      "INVALID_TRANSITION",
      "cannot resize a job that is cancelled",
    );
    for (const bad of [0, 51, 1.5])
      expectDomainError(() => resizeJob(job(), bad, RICH), "VALIDATION", /^testerCount: /);
  });

  it("a resize down that closes the last open slot finishes the job", () => {
    const state = job({ status: "waiting", slots: [slot("a", "completed", 1800), slot("b", "open")] });
    expect(resizeJob(state, 1, RICH).next.status).toBe("completed");
  });
});

describe("applySlotEffects", () => {
  it("closes and opens slots as the effects say", () => {
    const slots = [slot("a", "open"), slot("b", "working"), slot("c", "open")];
    expect(
      applySlotEffects(slots, [{ type: "close_slots", assignmentIds: ["c", "b"] }]).map((s) => s.status),
    ).toEqual(["open", "working", "closed"]);
    expect(
      applySlotEffects(slots, [{ type: "close_open_slots" }, { type: "open_slots", count: 1 }]).map(
        (s) => s.status,
      ),
    ).toEqual(["closed", "working", "closed", "open"]);
  });
});

// ---------------------------------------------------------------- properties

type Step =
  | { kind: "owner"; action: "pause" | "resume" | "stop" | "cancel" | "settle" | "approve" }
  | { kind: "resize"; n: number }
  | { kind: "dispute"; pick: number }
  | { kind: "slot"; index: number; event: AssignmentEvent };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("owner" as const),
    action: fc.constantFrom("pause", "resume", "stop", "cancel", "settle", "approve"),
  }),
  fc.record({ kind: fc.constant("resize" as const), n: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ kind: fc.constant("dispute" as const), pick: fc.nat(7) }),
  fc.record({
    kind: fc.constant("slot" as const),
    index: fc.nat(7),
    event: fc.constantFrom<AssignmentEvent>(
      "claim",
      "submit",
      "extracted_complete",
      "extracted_incomplete",
      "abandon",
      "reject",
      "fail",
    ),
  }),
);

interface Ledger {
  held: number;
  captured: number;
  released: number;
  debited: number;
}

function applyMoney(ledger: Ledger, effects: readonly OwnerEffect[]): void {
  for (const effect of effects) {
    if ("micros" in effect) expect(effect.micros).toBeGreaterThan(0);
    if (effect.type === "raise_hold") ledger.held += effect.micros;
    if (effect.type === "release_hold") ledger.released += effect.micros;
    if (effect.type === "capture_charge") ledger.captured += effect.micros;
    if (effect.type === "debit_credit") ledger.debited += effect.micros;
  }
}

describe("owner actions (properties)", () => {
  it("keep the hold consistent, never reopen a finished job, and fail only with DomainError", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 50 }),
        fc.nat(5000),
        (initial, steps, credit) => {
          let counter = 0;
          let state = job({
            slots: Array.from({ length: initial }, () => slot(`asg_${String(++counter)}`, "open")),
            holdMicros: micros(initial * SLOT_HOLD),
          });
          const ledger: Ledger = { held: initial * SLOT_HOLD, captured: 0, released: 0, debited: 0 };
          const available: Micros = micros(credit * 1000);

          const commit = (result: OwnerActionResult) => {
            applyMoney(ledger, result.effects);
            const slots = applySlotEffects(state.slots, result.effects).map((s) =>
              s.id.startsWith("(new") ? { ...s, id: `asg_${String(++counter)}` } : s,
            );
            const dispute = result.effects.find((e) => e.type === "open_dispute");
            const disputes: DisputeView[] = dispute
              ? [
                  ...state.disputes,
                  {
                    id: `dsp_${String(counter)}`,
                    status: "open",
                    assignmentIds: dispute.assignmentIds,
                    micros: dispute.micros,
                  },
                ]
              : [...state.disputes];
            if (result.effects.some((e) => e.type === "release_tester_earnings")) {
              expect(state.settlement).toBe("settled");
            }
            expect(result.next.holdMicros).toBe(ledger.held - ledger.released - ledger.captured);
            state = { ...state, ...result.next, slots, disputes };
          };

          for (const s of steps) {
            const before = state;
            try {
              if (s.kind === "owner") {
                if (s.action === "pause") commit(pauseJob(state));
                if (s.action === "resume") commit(resumeJob(state));
                if (s.action === "stop") commit(stopJob(state));
                if (s.action === "cancel") commit(cancelJob(state));
                if (s.action === "settle") commit(settleJob(state, NOW));
                if (s.action === "approve") commit(approveJob(state));
              } else if (s.kind === "resize") {
                commit(resizeJob(state, s.n, { availableCreditMicros: available }));
              } else if (s.kind === "dispute") {
                const target = state.slots[s.pick % state.slots.length];
                commit(disputeJob(state, { assignmentIds: target ? [target.id] : [], reason: "r" }, NOW + 1));
              } else {
                // a tester or the system acts on a slot, as the services would
                const target = state.slots[s.index % state.slots.length];
                if (!target) continue;
                if (s.event === "claim") assertCanClaimSlot(state);
                const next = assignmentMachine.next(target.status, s.event);
                if (next === null || state.settlement !== "unsettled") continue;
                const charged =
                  next === "completed" || next === "incomplete"
                    ? chargeForAssignment(next, 61_200)
                    : target.chargedMicros;
                const slots = state.slots.map((x) =>
                  x.id === target.id ? { ...x, status: next, chargedMicros: charged } : x,
                );
                const change = deriveJobChange(state, slots);
                state = { ...state, slots, status: change.status };
              }
            } catch (error) {
              expect(isDomainError(error)).toBe(true);
              expect(state).toBe(before);
            }
            expect(state.holdMicros).toBeGreaterThanOrEqual(0);
            if (before.settlement === "approved") expect(state.settlement).toBe("approved");
            if (before.settlement === "settled") expect(state.settlement).not.toBe("unsettled");
            if (before.control === "stopped") expect(state.control).toBe("stopped");
          }
          if (state.settlement !== "unsettled") {
            // every micro-dollar ever held was either captured or released
            expect(ledger.captured + ledger.released).toBe(ledger.held);
            expect(state.slots.some((s) => s.status === "open")).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
