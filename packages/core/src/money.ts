// Money as integer micro-dollars (1 USD = 1,000,000 µ$), with dinero-style allocation.
import { DomainError } from "./errors";

declare const microsBrand: unique symbol;
/** An amount in micro-dollars: always a safe integer. The brand stops plain numbers (or dollars) mixing in. */
export type Micros = number & { readonly [microsBrand]: true };

export const MICROS_PER_USD = 1_000_000;
/** Exact round trips between micros and USD numbers are guaranteed up to this amount (15 digits). */
export const MAX_EXACT_USD_MICROS = 999_999_999_999_999;

/** Brand a number as micros; throws VALIDATION when it is not a safe integer. */
export function micros(value: number): Micros {
  if (!Number.isSafeInteger(value)) {
    throw new DomainError(
      "VALIDATION",
      `amount must be a safe integer number of micro-dollars, got ${String(value)}`,
      {
        details: { value: String(value) },
      },
    );
  }
  // -0 would print as "0" but compare oddly in Object.is; normalise it.
  return (value === 0 ? 0 : value) as Micros;
}

export const ZERO_MICROS: Micros = micros(0);

export function isMicros(value: unknown): value is Micros {
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function addMicros(...amounts: readonly Micros[]): Micros {
  return micros(amounts.reduce<number>((sum, amount) => sum + amount, 0));
}

export function sumMicros(amounts: readonly Micros[]): Micros {
  return addMicros(...amounts);
}

export function subtractMicros(a: Micros, b: Micros): Micros {
  return micros(a - b);
}

/** Multiply by an integer factor (seconds, testers); a fractional factor would mint fractions of a micro. */
export function multiplyMicros(amount: Micros, factor: number): Micros {
  if (!Number.isSafeInteger(factor)) {
    throw new DomainError("VALIDATION", `factor must be an integer, got ${String(factor)}`);
  }
  return micros(amount * factor);
}

export function minMicros(a: Micros, b: Micros): Micros {
  return a <= b ? a : b;
}

export function maxMicros(a: Micros, b: Micros): Micros {
  return a >= b ? a : b;
}

/**
 * Split an amount by integer ratios without losing a unit (dinero.js `allocate`): each share gets
 * floor(amount × ratio / total); the leftover units go one each to the shares with a non-zero ratio,
 * in order, so the result is deterministic and always sums to the amount. A negative amount is split
 * as its absolute value and negated, so refunds mirror charges exactly.
 */
export function allocate(amount: Micros, ratios: readonly number[]): Micros[] {
  if (ratios.length === 0) throw new DomainError("VALIDATION", "ratios: at least one ratio is required");
  if (ratios.some((ratio) => !Number.isSafeInteger(ratio) || ratio < 0)) {
    throw new DomainError("VALIDATION", "ratios: every ratio must be a non-negative integer");
  }
  const total = ratios.reduce((sum, ratio) => sum + BigInt(ratio), 0n);
  if (total === 0n) throw new DomainError("VALIDATION", "ratios: at least one ratio must be positive");

  const sign = amount < 0 ? -1n : 1n;
  const absolute = BigInt(amount) * sign;
  // BigInt keeps amount × ratio exact even when it exceeds 2^53.
  const shares = ratios.map((ratio) => (absolute * BigInt(ratio)) / total);
  let leftover = absolute - shares.reduce((sum, share) => sum + share, 0n);
  for (let i = 0; leftover > 0n; i = (i + 1) % shares.length) {
    const share = shares[i];
    if (share === undefined || ratios[i] === 0) continue;
    shares[i] = share + 1n;
    leftover -= 1n;
  }
  return shares.map((share) => micros(Number(share * sign)));
}

/** Basis points: 10,000 = 100 %. Used for the tester earnings share. */
export const BASIS_POINTS = 10_000;

/** Split an amount into [share, rest] for a share in basis points, losing nothing. */
export function splitByBasisPoints(amount: Micros, shareBps: number): { share: Micros; rest: Micros } {
  if (!Number.isSafeInteger(shareBps) || shareBps < 0 || shareBps > BASIS_POINTS) {
    throw new DomainError("VALIDATION", `shareBps: must be an integer between 0 and ${BASIS_POINTS}`);
  }
  const [share = ZERO_MICROS, rest = ZERO_MICROS] = allocate(amount, [shareBps, BASIS_POINTS - shareBps]);
  return { share, rest };
}

/**
 * Micros as a USD number at full precision (396000 → 0.396, never rounded to cents). Division by a
 * power of ten is correctly rounded, so the number prints as the exact decimal for any amount up to
 * MAX_EXACT_USD_MICROS.
 */
export function microsToUsd(amount: Micros): number {
  return amount / MICROS_PER_USD;
}

const USD_DECIMAL = /^(-)?(\d+)(?:\.(\d*))?$/;

/**
 * USD (a decimal string such as "0.0036" or a number such as 0.396) to micros, exactly: no float
 * multiplication. More than six significant decimals is a VALIDATION error, never silently rounded.
 */
export function usdToMicros(usd: string | number): Micros {
  let text: string;
  if (typeof usd === "number") {
    if (!Number.isFinite(usd)) throw new DomainError("VALIDATION", "amount: must be a finite number of USD");
    // String() gives the shortest decimal that round-trips; exponent forms are below a micro or unsafe.
    text = String(usd);
  } else {
    text = usd.trim();
  }
  const match = USD_DECIMAL.exec(text);
  if (!match) {
    throw new DomainError(
      "VALIDATION",
      `amount: ${JSON.stringify(text)} is not a USD amount with at most 6 decimals`,
    );
  }
  const [, minus, whole = "0", rawFraction = ""] = match;
  const fraction = rawFraction.replace(/0+$/, "");
  if (fraction.length > 6) {
    throw new DomainError(
      "VALIDATION",
      `amount: ${text} has more than 6 decimals (smaller than a micro-dollar)`,
    );
  }
  const value =
    (BigInt(whole) * BigInt(MICROS_PER_USD) + BigInt(fraction.padEnd(6, "0"))) * (minus ? -1n : 1n);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError("VALIDATION", `amount: ${text} is too large`);
  }
  return micros(Number(value));
}

/** Micro-dollars as exact dollars, the way the portal and the tester app show money: 396000 → "$0.396", 1800000 → "$1.80", 1800 → "$0.0018". */
export function formatUsd(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(Math.trunc(micros));
  const whole = Math.floor(abs / 1_000_000);
  let fraction = String(abs % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${negative ? "−" : ""}$${whole.toLocaleString("en-US")}.${fraction}`;
}
