import { describe, expect, it } from "vitest";

import { type JobForActions, ownerActionLegality } from "./owner-actions";

const base: JobForActions = {
  status: "waiting",
  control: "active",
  settlement: "unsettled",
  holdMicros: 540_000,
  slots: [{ id: "s1", status: "open", costMicros: 0, replaced: false }],
};

function allowed(job: JobForActions): string[] {
  return Object.entries(ownerActionLegality(job))
    .filter(([, legality]) => legality.allowed)
    .map(([action]) => action);
}

describe("ownerActionLegality", () => {
  it("a waiting job can be paused, stopped and settled", () => {
    expect(allowed(base)).toEqual(["pause", "stop", "settle"]);
  });

  it("a paused job can be resumed instead of paused", () => {
    expect(allowed({ ...base, control: "paused" })).toEqual(["resume", "stop", "settle"]);
  });

  it("a job being worked on cannot be settled, and says why", () => {
    const legality = ownerActionLegality({
      ...base,
      status: "working",
      slots: [{ id: "s1", status: "working", costMicros: 0, replaced: false }],
    });
    expect(legality.settle).toEqual({
      allowed: false,
      reason: "cannot settle a job that is being worked on",
    });
    expect(legality.pause.allowed).toBe(true);
  });

  it("a completed job can only be settled; then approved or disputed", () => {
    const completed: JobForActions = {
      ...base,
      status: "completed",
      slots: [{ id: "s1", status: "completed", costMicros: 396_000, replaced: false }],
    };
    expect(allowed(completed)).toEqual(["settle"]);
    expect(ownerActionLegality(completed).pause).toEqual({
      allowed: false,
      reason: "cannot pause a job that is completed",
    });
    expect(allowed({ ...completed, settlement: "settled", control: "stopped" })).toEqual([
      "approve",
      "dispute",
    ]);
    expect(allowed({ ...completed, settlement: "approved", control: "stopped" })).toEqual([]);
  });

  it("a settled job with no charge has nothing to dispute", () => {
    const legality = ownerActionLegality({
      ...base,
      status: "rejected",
      settlement: "settled",
      control: "stopped",
    });
    expect(legality.dispute.allowed).toBe(false);
    expect(legality.approve.allowed).toBe(true);
  });
});
