import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import { ASSIGNMENT_STATUSES } from "./assignment-lifecycle";
import {
  DEFAULT_RATE_MICROS_PER_SECOND,
  assertCreditCovers,
  billableSeconds,
  chargeForAssignment,
  costForDurationMicros,
  costMicros,
  extensionHoldIncrease,
  holdMinutesPerSlot,
  maxHoldMicros,
  requireExtensionHold,
  resolveRate,
  settleHold,
  slotHoldMicros,
  testerEarnings,
  resolveTesterShareBps,
  DEFAULT_TESTER_SHARE_BPS,
} from "./cost";
import { micros, microsToUsd } from "./money";

describe("the reference cost table", () => {
  it.each([
    [60, 0.108],
    [120, 0.216],
    [300, 0.54],
    [600, 1.08],
    [220, 0.396],
    [30, 0.054],
    [2, 0.0036],
    [100, 0.18],
  ])("%i seconds cost $%f", (seconds, usd) => {
    expect(microsToUsd(costMicros(seconds))).toBe(usd);
    expect(microsToUsd(costForDurationMicros(seconds * 1000))).toBe(usd);
  });

  it("bills $0.0018 per second by default: 1 s = 1800 µ$", () => {
    expect(DEFAULT_RATE_MICROS_PER_SECOND).toBe(1800);
    expect(costMicros(1)).toBe(1800);
  });
});

describe("billableSeconds", () => {
  it.each([
    [0, 0],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [61_000, 61],
    [61_200, 62],
    [61_999.5, 62],
    [220_000, 220],
  ])("%i ms → %i s", (ms, s) => {
    expect(billableSeconds(ms)).toBe(s);
  });

  it("61 s and 61.2 s differ but 61.2 s and 62 s cost the same (Math.ceil)", () => {
    expect(costForDurationMicros(61_200)).toBe(costForDurationMicros(62_000));
    expect(costForDurationMicros(61_000)).toBeLessThan(costForDurationMicros(61_200));
  });

  it("refuses negative or non-finite durations", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expectDomainError(() => billableSeconds(bad), "VALIDATION");
    expectDomainError(() => costMicros(1.5), "VALIDATION");
    expectDomainError(() => costMicros(-1), "VALIDATION");
  });

  it("is the smallest whole number of seconds covering the duration (property)", () => {
    fc.assert(
      fc.property(fc.nat(10 ** 9), (ms) => {
        const s = billableSeconds(ms);
        expect(Number.isInteger(s)).toBe(true);
        expect(s * 1000).toBeGreaterThanOrEqual(ms);
        expect((s - 1) * 1000).toBeLessThan(ms === 0 ? 1 : ms);
      }),
    );
  });

  it("cost is monotone in duration and in rate (property)", () => {
    fc.assert(
      fc.property(fc.nat(10 ** 8), fc.nat(10 ** 8), fc.nat(100_000), fc.nat(100_000), (a, b, r1, r2) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(costForDurationMicros(short, micros(low))).toBeLessThanOrEqual(
          costForDurationMicros(long, micros(low)),
        );
        expect(costForDurationMicros(short, micros(low))).toBeLessThanOrEqual(
          costForDurationMicros(short, micros(high)),
        );
      }),
    );
  });
});

describe("rates", () => {
  it("uses the org override when present", () => {
    expect(resolveRate()).toBe(1800);
    expect(resolveRate(null)).toBe(1800);
    expect(resolveRate(2500)).toBe(2500);
    expect(resolveRate(0)).toBe(0);
    expectDomainError(() => resolveRate(-1), "VALIDATION");
    expectDomainError(() => resolveRate(1.5), "VALIDATION");
    expect(costMicros(10, resolveRate(2500))).toBe(25_000);
  });
});

describe("chargeForAssignment", () => {
  it.each([
    ["completed", 220_000, 396_000],
    ["incomplete", 61_200, 111_600],
    ["abandoned", 220_000, 0],
    ["rejected", 220_000, 0],
    ["error", 220_000, 0],
    ["closed", 0, 0],
  ] as const)("a %s slot after %i ms costs %i µ$", (status, ms, expected) => {
    expect(chargeForAssignment(status, ms)).toBe(expected);
  });

  it("refuses to charge a slot that has not ended", () => {
    for (const status of ["open", "working", "submitted"] as const) {
      expectDomainError(
        () => chargeForAssignment(status, 1000),
        "INVALID_TRANSITION",
        `cannot charge an assignment that is ${status}`,
      );
    }
  });

  it("caps billed time at the allowed limit, so grace is never billed", () => {
    const fiveMinutes = 5 * 60_000;
    expect(
      chargeForAssignment("completed", fiveMinutes + 45_000, DEFAULT_RATE_MICROS_PER_SECOND, fiveMinutes),
    ).toBe(540_000);
    expect(chargeForAssignment("completed", 100_500, DEFAULT_RATE_MICROS_PER_SECOND, fiveMinutes)).toBe(
      181_800,
    );
  });

  it("never charges more than the cap allows and is zero for unbilled endings (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ASSIGNMENT_STATUSES),
        fc.nat(10 ** 8),
        fc.integer({ min: 1, max: 120 }),
        (status, ms, minutes) => {
          if (status === "open" || status === "working" || status === "submitted") return;
          const charge = chargeForAssignment(status, ms, DEFAULT_RATE_MICROS_PER_SECOND, minutes * 60_000);
          expect(charge).toBeLessThanOrEqual(costMicros(minutes * 60));
          if (status !== "completed" && status !== "incomplete") expect(charge).toBe(0);
        },
      ),
    );
  });
});

describe("holds", () => {
  it.each([
    // target, allowExt, maxExt, testers, expected µ$
    [5, true, false, 1, 540_000], // unlimited: target only
    [5, true, 5, 1, 1_080_000],
    [5, false, 5, 1, 540_000], // extensions off: the cap is irrelevant
    [5, true, 5, 3, 3_240_000],
    [60, true, 60, 50, 120 * 60 * 1800 * 50],
    [1, true, 0, 1, 108_000],
  ] as const)(
    "target %i min, extension %s/%s, %i testers → %i µ$",
    (target, allow, max, testers, expected) => {
      expect(
        maxHoldMicros({
          targetDurationMinutes: target,
          allowDurationExtension: allow,
          maxExtensionMinutes: max,
          testerCount: testers,
        }),
      ).toBe(expected);
    },
  );

  it("uses the given rate and validates counts", () => {
    const limits = {
      targetDurationMinutes: 2,
      allowDurationExtension: true,
      maxExtensionMinutes: 1,
    } as const;
    expect(holdMinutesPerSlot(limits)).toBe(3);
    expect(slotHoldMicros(limits, micros(1000))).toBe(180_000);
    expect(maxHoldMicros({ ...limits, testerCount: 2, rate: micros(1000) })).toBe(360_000);
    expectDomainError(() => maxHoldMicros({ ...limits, testerCount: 0 }), "VALIDATION");
    expectDomainError(
      () => maxHoldMicros({ ...limits, targetDurationMinutes: 0, testerCount: 1 }),
      "VALIDATION",
    );
  });

  it("raises the hold for an extension only when extensions are unlimited", () => {
    expect(
      extensionHoldIncrease({
        allowDurationExtension: true,
        maxExtensionMinutes: false,
        extensionMinutes: 3,
      }),
    ).toBe(324_000);
    expect(
      extensionHoldIncrease({ allowDurationExtension: true, maxExtensionMinutes: 10, extensionMinutes: 3 }),
    ).toBe(0);
    expectDomainError(
      () =>
        extensionHoldIncrease({
          allowDurationExtension: false,
          maxExtensionMinutes: false,
          extensionMinutes: 3,
        }),
      "INVALID_TRANSITION",
    );
    expectDomainError(
      () =>
        extensionHoldIncrease({
          allowDurationExtension: true,
          maxExtensionMinutes: false,
          extensionMinutes: 0,
        }),
      "VALIDATION",
    );
  });

  it("refuses an extension with INSUFFICIENT_CREDIT (402) when credit does not cover the raise", () => {
    const input = { allowDurationExtension: true, maxExtensionMinutes: false, extensionMinutes: 3 } as const;
    expect(requireExtensionHold({ ...input, availableCreditMicros: micros(324_000) })).toBe(324_000);
    const error = expectDomainError(
      () => requireExtensionHold({ ...input, availableCreditMicros: micros(323_999) }),
      "INSUFFICIENT_CREDIT",
    );
    expect(error.httpStatus).toBe(402);
    expect(error.details).toEqual({ requiredMicros: 324_000, availableMicros: 323_999 });
    expect(() => {
      assertCreditCovers(micros(0), micros(0));
    }).not.toThrow();
  });
});

describe("settleHold", () => {
  it("captures the charge and releases the rest", () => {
    expect(settleHold(micros(1_080_000), micros(396_000))).toEqual({
      capture: 396_000,
      release: 684_000,
      shortfall: 0,
    });
    expect(settleHold(micros(540_000), micros(0))).toEqual({ capture: 0, release: 540_000, shortfall: 0 });
    expect(settleHold(micros(100), micros(150))).toEqual({ capture: 100, release: 0, shortfall: 50 });
    expectDomainError(() => settleHold(micros(-1), micros(0)), "VALIDATION");
  });

  it("capture + release == hold, neither negative (property)", () => {
    fc.assert(
      fc.property(fc.nat(1e13), fc.nat(1e13), (hold, charged) => {
        const { capture, release, shortfall } = settleHold(micros(hold), micros(charged));
        expect(capture + release).toBe(hold);
        expect(capture + shortfall).toBe(charged);
        expect(capture).toBeGreaterThanOrEqual(0);
        expect(release).toBeGreaterThanOrEqual(0);
        expect(shortfall).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("resolveTesterShareBps", () => {
  it("takes the tester's share, else the organisation's, else the deployment's, else 70 %", () => {
    expect(resolveTesterShareBps({ testerBps: 8000, orgBps: 6000, defaultBps: 7500 })).toBe(8000);
    expect(resolveTesterShareBps({ testerBps: 0, orgBps: 6000 })).toBe(0);
    expect(resolveTesterShareBps({ testerBps: null, orgBps: 6000, defaultBps: 7500 })).toBe(6000);
    expect(resolveTesterShareBps({ testerBps: null, orgBps: null, defaultBps: 7500 })).toBe(7500);
    expect(resolveTesterShareBps({})).toBe(DEFAULT_TESTER_SHARE_BPS);
  });

  it("refuses an out-of-range override, naming which one", () => {
    expect(() => resolveTesterShareBps({ testerBps: 10_001 })).toThrow(/^testerShareBps: /);
    expect(() => resolveTesterShareBps({ orgBps: 1.5 })).toThrow(/^orgShareBps: /);
  });
});

describe("testerEarnings", () => {
  it("gives the tester 70 % by default, losing nothing", () => {
    expect(testerEarnings(micros(396_000))).toEqual({ tester: 277_200, platform: 118_800 });
    expect(testerEarnings(micros(1), 7000)).toEqual({ tester: 1, platform: 0 });
    expect(testerEarnings(micros(1800), 5000)).toEqual({ tester: 900, platform: 900 });
    fc.assert(
      fc.property(fc.nat(1e12), fc.integer({ min: 0, max: 10_000 }), (charged, bps) => {
        const { tester, platform } = testerEarnings(micros(charged), bps);
        expect(tester + platform).toBe(charged);
      }),
    );
  });
});
