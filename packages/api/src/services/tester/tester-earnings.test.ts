import { describe, expect, it } from "vitest";

import { assignmentEarnings, lastMonths, titleOf } from "./tester-earnings";

const slot = (overrides: Partial<Parameters<typeof assignmentEarnings>[0]> = {}) => ({
  status: "completed" as const,
  costMicros: 396_000n,
  earningsMicros: 0n,
  job: { mode: "live" as const, settlementState: "settled" as const },
  dispute: null,
  ...overrides,
});

describe("tester earnings rules", () => {
  it("before approval: the tester share of the charge; after: the released amount on the row", () => {
    expect(assignmentEarnings(slot(), 7000)).toEqual({ micros: 277_200, released: false });
    expect(
      assignmentEarnings(
        slot({ earningsMicros: 200_000n, job: { mode: "live", settlementState: "approved" } }),
        7000,
      ),
    ).toEqual({ micros: 200_000, released: true });
  });

  it("unpaid endings, test mode and refunded disputes earn nothing", () => {
    expect(assignmentEarnings(slot({ status: "abandoned" }), 7000).micros).toBe(0);
    expect(assignmentEarnings(slot({ job: { mode: "test", settlementState: "settled" } }), 7000).micros).toBe(
      0,
    );
    expect(assignmentEarnings(slot({ dispute: { status: "refunded" } }), 7000).micros).toBe(0);
    expect(assignmentEarnings(slot({ dispute: { status: "upheld" } }), 7000).micros).toBe(277_200);
  });

  it("titles fall back to the URL's host", () => {
    expect(titleOf({ title: "Checkout", url: "https://a.example" })).toBe("Checkout");
    expect(titleOf({ title: "  ", url: "https://shop.example.com:8443/cart" })).toBe("shop.example.com:8443");
    expect(titleOf({ title: null, url: "not a url" })).toBe("not a url");
  });

  it("lists the last months oldest first across a year boundary", () => {
    expect(lastMonths(new Date(Date.UTC(2026, 1, 28, 23)), 3)).toEqual(["2025-12", "2026-01", "2026-02"]);
    expect(lastMonths(new Date(Date.UTC(2026, 11, 1)), 12)).toHaveLength(12);
  });
});
