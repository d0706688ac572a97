import { describe, expect, it } from "vitest";

import { type JobForActions, ownerActionLegality, resizeBounds } from "./owner-actions";

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
    expect(allowed(base)).toEqual(["pause", "stop", "settle", "resize"]);
  });

  it("a paused job can be resumed instead of paused", () => {
    expect(allowed({ ...base, control: "paused" })).toEqual(["resume", "stop", "settle", "resize"]);
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
    expect(legality.resize.allowed).toBe(true);
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

  it("a stopped or completed job cannot be resized, with core's reason", () => {
    expect(ownerActionLegality({ ...base, control: "stopped" }).resize).toEqual({
      allowed: false,
      reason: "cannot resize a job that is stopped",
    });
    expect(
      ownerActionLegality({
        ...base,
        status: "completed",
        slots: [{ id: "s1", status: "completed", costMicros: 396_000, replaced: false }],
      }).resize,
    ).toEqual({ allowed: false, reason: "cannot resize a job that is completed" });
  });
});

describe("resizeBounds", () => {
  it("counts open and claimed slots, not closed or replaced ones, and bounds by core's maximum", () => {
    const job: JobForActions = {
      ...base,
      status: "working",
      slots: [
        { id: "s1", status: "working", costMicros: 0, replaced: false },
        { id: "s2", status: "completed", costMicros: 100, replaced: false },
        { id: "s3", status: "open", costMicros: 0, replaced: false },
        { id: "s4", status: "closed", costMicros: 0, replaced: false },
        { id: "s5", status: "abandoned", costMicros: 0, replaced: true },
      ],
    };
    expect(resizeBounds(job)).toEqual({ current: 3, claimed: 2, min: 2, max: 50 });
  });

  it("never goes below one tester", () => {
    expect(resizeBounds(base)).toEqual({ current: 1, claimed: 0, min: 1, max: 50 });
  });
});
