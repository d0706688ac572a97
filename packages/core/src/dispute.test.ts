import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import { disputeMachine, resolveDispute } from "./dispute";
import { micros } from "./money";

const open = { id: "dsp_1", status: "open", assignmentIds: ["asg_1", "asg_2"], micros: micros(500) } as const;

describe("disputes", () => {
  it("resolves an open dispute by refund or uphold", () => {
    expect(resolveDispute(open, "refund")).toEqual({
      status: "refunded",
      effects: [{ type: "refund", disputeId: "dsp_1", assignmentIds: ["asg_1", "asg_2"], micros: 500 }],
    });
    expect(resolveDispute(open, "uphold")).toEqual({
      status: "upheld",
      effects: [{ type: "uphold_charge", disputeId: "dsp_1", assignmentIds: ["asg_1", "asg_2"] }],
    });
  });

  it("never resolves twice (409)", () => {
    for (const status of ["upheld", "refunded"] as const) {
      for (const event of ["refund", "uphold"] as const) {
        expectDomainError(
          () => resolveDispute({ ...open, status }, event),
          "INVALID_TRANSITION",
          `cannot ${event} a dispute that is ${status}`,
        );
      }
    }
    expect(disputeMachine.terminal).toEqual(["upheld", "refunded"]);
  });
});
