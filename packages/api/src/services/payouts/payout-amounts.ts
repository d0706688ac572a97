// Payout amounts: USD input to exact micros (whole cents only), and micros to Stripe's integer cents.
import { DomainError, MICROS_PER_USD } from "@eyeball/core";

/** One cent in micro-dollars: Stripe transfers are in cents, so payouts are too. */
export const MICROS_PER_CENT = 10_000n;

/** A single recorded payout above this is a typo. */
export const MAX_PAYOUT_USD = 1_000_000;

const USD_TEXT = /^(\d+)(?:\.(\d+))?$/;

/** "12.34" or 12.34 → 12_340_000n; refuses signs, exponents, zero, fractions of a cent and absurd amounts, naming `field`. */
export function parsePayoutUsd(value: unknown, field = "usd"): bigint {
  const invalid = (message: string) =>
    new DomainError("VALIDATION", `${field}: ${message}`, { details: { field } });
  const text =
    typeof value === "number"
      ? Number.isFinite(value)
        ? String(value)
        : ""
      : typeof value === "string"
        ? value.trim()
        : "";
  const match = USD_TEXT.exec(text);
  if (!match) throw invalid("must be a positive amount of USD such as 25 or 12.50");
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > 2) throw invalid("must be whole cents (at most 2 decimals)");
  const micros = BigInt(whole) * BigInt(MICROS_PER_USD) + BigInt(fraction.padEnd(6, "0"));
  if (micros <= 0n) throw invalid("must be more than 0");
  if (micros > BigInt(MAX_PAYOUT_USD) * BigInt(MICROS_PER_USD)) {
    throw invalid(`must be at most ${MAX_PAYOUT_USD} per payout`);
  }
  return micros;
}

/** The whole cents of `micros` (rounded down: the remainder stays payable). */
export function wholeCents(micros: bigint): bigint {
  return micros - (micros % MICROS_PER_CENT);
}

/** Stripe's `amount`: integer cents of a whole-cent micro amount. */
export function centsOf(micros: bigint): number {
  return Number(micros / MICROS_PER_CENT);
}
