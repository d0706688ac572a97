import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import {
  formatUsd,
  MAX_EXACT_USD_MICROS,
  type Micros,
  addMicros,
  allocate,
  micros,
  microsToUsd,
  multiplyMicros,
  splitByBasisPoints,
  subtractMicros,
  sumMicros,
  usdToMicros,
} from "./money";

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const anyMicros = fc.integer({ min: -MAX_EXACT_USD_MICROS, max: MAX_EXACT_USD_MICROS }).map(micros);

describe("micros", () => {
  it("accepts safe integers only", () => {
    expect(micros(1800)).toBe(1800);
    expect(Object.is(micros(-0), 0)).toBe(true);
    for (const bad of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expectDomainError(() => micros(bad), "VALIDATION");
  });

  it("adds, subtracts and multiplies exactly", () => {
    expect(addMicros(micros(1), micros(2), micros(3))).toBe(6);
    expect(sumMicros([])).toBe(0);
    expect(subtractMicros(micros(5), micros(7))).toBe(-2);
    expect(multiplyMicros(micros(1800), 220)).toBe(396_000);
    expectDomainError(() => multiplyMicros(micros(1800), 1.5), "VALIDATION");
    expectDomainError(() => addMicros(micros(Number.MAX_SAFE_INTEGER), micros(1)), "VALIDATION");
  });
});

describe("allocate", () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [5, [1, 1], [3, 2]],
    [1, [7000, 3000], [1, 0]],
    [3, [7000, 3000], [3, 0]],
    [10, [7000, 3000], [7, 3]],
    [11, [0, 1, 1], [0, 6, 5]],
    [-5, [1, 1], [-3, -2]],
    [0, [1, 2], [0, 0]],
    [396_000, [7000, 3000], [277_200, 118_800]],
  ])("allocates %i by %j → %j", (amount, ratios, expected) => {
    expect(allocate(micros(amount), ratios)).toEqual(expected);
  });

  it("refuses bad ratios", () => {
    expectDomainError(() => allocate(micros(1), []), "VALIDATION");
    expectDomainError(() => allocate(micros(1), [0, 0]), "VALIDATION");
    expectDomainError(() => allocate(micros(1), [-1, 2]), "VALIDATION");
    expectDomainError(() => allocate(micros(1), [0.5]), "VALIDATION");
  });

  it("always sums exactly to the amount, each share within one unit of its exact part (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc
          .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 10 })
          .filter((r) => sum(r) > 0),
        (amount, ratios) => {
          const shares = allocate(micros(amount), ratios);
          expect(shares).toHaveLength(ratios.length);
          expect(sum(shares)).toBe(amount);
          const total = sum(ratios);
          shares.forEach((share, i) => {
            const ratio = ratios[i] ?? 0;
            if (ratio === 0) expect(share).toBe(0);
            expect(Math.abs(share - (amount * ratio) / total)).toBeLessThan(1 + 1e-6 * Math.abs(amount));
            expect(Number.isSafeInteger(share)).toBe(true);
          });
          // deterministic
          expect(allocate(micros(amount), ratios)).toEqual(shares);
        },
      ),
    );
  });
});

describe("splitByBasisPoints", () => {
  it("splits without loss and validates the share", () => {
    expect(splitByBasisPoints(micros(108_000), 7000)).toEqual({ share: 75_600, rest: 32_400 });
    expect(splitByBasisPoints(micros(7), 0)).toEqual({ share: 0, rest: 7 });
    expect(splitByBasisPoints(micros(7), 10_000)).toEqual({ share: 7, rest: 0 });
    expectDomainError(() => splitByBasisPoints(micros(7), 10_001), "VALIDATION");
    fc.assert(
      fc.property(fc.nat(1e12), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        const { share, rest } = splitByBasisPoints(micros(amount), bps);
        expect(share + rest).toBe(amount);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(rest).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("USD conversion", () => {
  it.each([
    [396_000, 0.396],
    [108_000, 0.108],
    [3600, 0.0036],
    [1, 0.000001],
    [1_080_000, 1.08],
    [0, 0],
    [-54_000, -0.054],
  ])("%i µ$ is %f USD at full precision", (m, usd) => {
    expect(microsToUsd(micros(m))).toBe(usd);
    expect(usdToMicros(usd)).toBe(m);
    expect(usdToMicros(String(usd))).toBe(m);
  });

  it("parses decimal strings exactly and refuses sub-micro or malformed amounts", () => {
    expect(usdToMicros("0.396")).toBe(396_000);
    expect(usdToMicros(" 10 ")).toBe(10_000_000);
    expect(usdToMicros("1.")).toBe(1_000_000);
    expect(usdToMicros("0.1000000000")).toBe(100_000);
    expect(usdToMicros("-0.0036")).toBe(-3600);
    expect(usdToMicros("123456789.123456")).toBe(123_456_789_123_456);
    for (const bad of ["0.0000001", "abc", "", "1e3", "1,5", "$1", "NaN"])
      expectDomainError(() => usdToMicros(bad), "VALIDATION");
    for (const bad of [1e-7, Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, 1e300]) {
      expectDomainError(() => usdToMicros(bad), "VALIDATION");
    }
    expectDomainError(() => usdToMicros("99999999999"), "VALIDATION");
  });

  it("round-trips micros → USD → micros for every amount up to the exact bound (property)", () => {
    fc.assert(
      fc.property(anyMicros, (m: Micros) => {
        expect(usdToMicros(microsToUsd(m))).toBe(m);
        expect(usdToMicros(String(microsToUsd(m)))).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("formatUsd", () => {
  it("shows micro-dollars exactly, with at least cents", () => {
    expect(formatUsd(396_000)).toBe("$0.396");
    expect(formatUsd(1_800_000)).toBe("$1.80");
    expect(formatUsd(1800)).toBe("$0.0018");
    expect(formatUsd(1_234_567_891)).toBe("$1,234.567891");
    expect(formatUsd(-500_000)).toBe("−$0.50");
  });
});
