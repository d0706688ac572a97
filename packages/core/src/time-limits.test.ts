import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import {
  DEFAULT_GRACE_MS,
  allowedMinutes,
  assertExtensionAllowed,
  billableWorkedMs,
  deadlineAt,
  extensionDecision,
  isTimedOut,
  remainingExtensionMinutes,
  timeStatus,
} from "./time-limits";

const capped = { targetDurationMinutes: 5, allowDurationExtension: true, maxExtensionMinutes: 10 } as const;
const unlimited = {
  targetDurationMinutes: 5,
  allowDurationExtension: true,
  maxExtensionMinutes: false,
} as const;
const none = { targetDurationMinutes: 5, allowDurationExtension: false, maxExtensionMinutes: 10 } as const;
const T0 = 1_700_000_000_000;
const MIN = 60_000;

describe("deadlines", () => {
  it("is claim time plus target plus granted extensions", () => {
    expect(allowedMinutes(capped, 0)).toBe(5);
    expect(allowedMinutes(capped, 3)).toBe(8);
    expect(deadlineAt(T0, capped, 0)).toBe(T0 + 5 * MIN);
    expect(deadlineAt(T0, capped, 3)).toBe(T0 + 8 * MIN);
    expectDomainError(() => allowedMinutes(capped, -1), "VALIDATION");
  });

  it("times out only after the limit plus grace (default 60 s)", () => {
    const clock = { claimedAt: T0, grantedExtensionMinutes: 0 };
    expect(DEFAULT_GRACE_MS).toBe(60_000);
    expect(isTimedOut(T0 + 5 * MIN, clock, capped)).toBe(false);
    expect(isTimedOut(T0 + 6 * MIN, clock, capped)).toBe(false);
    expect(isTimedOut(T0 + 6 * MIN + 1, clock, capped)).toBe(true);
    expect(isTimedOut(T0 + 5 * MIN + 1, clock, capped, 0)).toBe(true);
    expect(timeStatus(T0 + 5 * MIN + 30_000, clock, capped)).toEqual({
      deadlineAt: T0 + 5 * MIN,
      timeoutAt: T0 + 6 * MIN,
      remainingMs: -30_000,
      overLimit: true,
      timedOut: false,
    });
    expectDomainError(() => timeStatus(T0, clock, capped, -1), "VALIDATION");
  });

  it("a granted extension pushes the time-out back", () => {
    expect(isTimedOut(T0 + 7 * MIN, { claimedAt: T0, grantedExtensionMinutes: 0 }, unlimited)).toBe(true);
    expect(isTimedOut(T0 + 7 * MIN, { claimedAt: T0, grantedExtensionMinutes: 2 }, unlimited)).toBe(false);
  });

  it("bills claim to submission, capped at the limit", () => {
    const clock = { claimedAt: T0, grantedExtensionMinutes: 1 };
    expect(billableWorkedMs(clock, T0 + 220_000, capped)).toBe(220_000);
    expect(billableWorkedMs(clock, T0 + 6 * MIN + 59_000, capped)).toBe(6 * MIN);
    expect(billableWorkedMs(clock, T0 - 5, capped)).toBe(0);
  });

  it("is monotone: later is never less timed out (property)", () => {
    fc.assert(
      fc.property(fc.nat(10 ** 8), fc.nat(10 ** 8), fc.nat(30), fc.nat(600_000), (a, b, granted, grace) => {
        const clock = { claimedAt: T0, grantedExtensionMinutes: granted };
        const [early, late] = a <= b ? [a, b] : [b, a];
        if (isTimedOut(T0 + early, clock, unlimited, grace))
          expect(isTimedOut(T0 + late, clock, unlimited, grace)).toBe(true);
        expect(billableWorkedMs(clock, T0 + late, unlimited)).toBeLessThanOrEqual((5 + granted) * MIN);
      }),
    );
  });
});

describe("extensions", () => {
  it("reports what remains", () => {
    expect(remainingExtensionMinutes(capped, 0)).toBe(10);
    expect(remainingExtensionMinutes(capped, 7)).toBe(3);
    expect(remainingExtensionMinutes(capped, 12)).toBe(0);
    expect(remainingExtensionMinutes(unlimited, 500)).toBeNull();
    expect(remainingExtensionMinutes(none, 0)).toBe(0);
  });

  it.each([
    [capped, 0, 10, { allowed: true }],
    [capped, 7, 3, { allowed: true }],
    [capped, 7, 4, { allowed: false, reason: "exceeds_cap", remainingMinutes: 3 }],
    [capped, 10, 1, { allowed: false, reason: "cap_reached", remainingMinutes: 0 }],
    [unlimited, 1000, 60, { allowed: true }],
    [none, 0, 1, { allowed: false, reason: "extensions_disabled", remainingMinutes: 0 }],
  ] as const)("limits %j, granted %i, asking %i → %j", (limits, granted, asked, expected) => {
    expect(extensionDecision(limits, granted, asked)).toEqual(expected);
  });

  it("throws 409 when extensions are off or exhausted, 400 when asking too much", () => {
    expectDomainError(
      () => {
        assertExtensionAllowed(none, 0, 1);
      },
      "INVALID_TRANSITION",
      "cannot extend a job that is not extendable",
    );
    expectDomainError(() => {
      assertExtensionAllowed(capped, 10, 1);
    }, "INVALID_TRANSITION");
    expectDomainError(
      () => {
        assertExtensionAllowed(capped, 7, 4);
      },
      "VALIDATION",
      "minutes: at most 3 more minutes can be granted",
    );
    expectDomainError(() => {
      assertExtensionAllowed(capped, 0, 0);
    }, "VALIDATION");
    expect(() => {
      assertExtensionAllowed(unlimited, 0, 5);
    }).not.toThrow();
  });

  it("never lets granted extensions exceed the cap (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(60),
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 20 }),
        (cap, requests) => {
          const limits = { targetDurationMinutes: 5, allowDurationExtension: true, maxExtensionMinutes: cap };
          let granted = 0;
          for (const minutes of requests)
            if (extensionDecision(limits, granted, minutes).allowed) granted += minutes;
          expect(granted).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });
});
