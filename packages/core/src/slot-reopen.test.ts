import { describe, expect, it } from "vitest";

import { ASSIGNMENT_STATUSES } from "./assignment-lifecycle";
import { DEFAULT_MAX_SLOT_REOPENS, decideSlotReopen } from "./slot-reopen";

const base = {
  slotStatus: "abandoned",
  allowSlotReopen: true,
  control: "active",
  settlement: "unsettled",
  reopenedCount: 0,
} as const;

describe("decideSlotReopen", () => {
  it("reopens an abandoned slot of a live job that allows it", () => {
    expect(decideSlotReopen(base)).toEqual({ reopen: true });
    expect(decideSlotReopen({ ...base, control: "paused" })).toEqual({ reopen: true });
  });

  it("reopens nothing but abandoned slots", () => {
    for (const slotStatus of ASSIGNMENT_STATUSES.filter((s) => s !== "abandoned")) {
      expect(decideSlotReopen({ ...base, slotStatus })).toEqual({ reopen: false, reason: "not_abandoned" });
    }
  });

  it.each([
    [{ allowSlotReopen: false }, "reopen_disabled"],
    [{ control: "stopped" }, "job_stopped"],
    [{ settlement: "settled" }, "job_settled"],
    [{ reopenedCount: DEFAULT_MAX_SLOT_REOPENS }, "reopen_limit"],
    [{ reopenedCount: 1, maxReopens: 1 }, "reopen_limit"],
  ] as const)("refuses when %j (%s)", (override, reason) => {
    expect(decideSlotReopen({ ...base, ...override })).toEqual({ reopen: false, reason });
  });

  it("honours a larger limit", () => {
    expect(decideSlotReopen({ ...base, reopenedCount: 5, maxReopens: 6 })).toEqual({ reopen: true });
  });
});
