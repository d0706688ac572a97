// Per-organisation price and tester-share overrides: validation, the operator's write, and how they read.
import { z } from "zod";

import {
  DEFAULT_RATE_MICROS_PER_SECOND,
  DomainError,
  micros,
  microsToUsd,
  parseOrThrow,
  validationError,
} from "@eyeball/core";

import { type Db } from "../types";

/** The most one second may cost: $1 (a typo guard; the default is $0.0018). */
export const MAX_USD_PER_SECOND = 1;
const MICROS_PER_USD = 1_000_000;

/**
 * USD per second → whole micro-dollars per second, exactly: more than 0, at most $1, and at most
 * six decimals (one micro-dollar). `field` names the input in messages (`usdPerSecond`, `--usd-per-second`).
 */
export function usdPerSecondToMicros(usd: number, field = "usdPerSecond"): number {
  if (typeof usd !== "number" || !Number.isFinite(usd)) throw validationError(field, "must be a number");
  if (usd <= 0) throw validationError(field, "must be more than 0");
  if (usd > MAX_USD_PER_SECOND) throw validationError(field, `must be at most ${MAX_USD_PER_SECOND}`);
  const scaled = usd * MICROS_PER_USD;
  const whole = Math.round(scaled);
  // 0.0018 × 10^6 is 1799.9999999999998 in binary: anything closer than a billionth is that whole micro.
  if (Math.abs(scaled - whole) > 1e-6) {
    throw validationError(field, "must have at most 6 decimals (whole micro-dollars)");
  }
  return whole;
}

const shareBps = z
  .number({ error: "must be a number of basis points or null" })
  .int({ error: "must be a whole number of basis points" })
  .min(0, { error: "must be between 0 and 10000" })
  .max(10_000, { error: "must be between 0 and 10000" });

/**
 * `{orgId, usdPerSecond, testerShareBps}`: null returns a field to the platform default; an omitted
 * field stays as it is (the CLI sets only the price). The price's decimals are checked by
 * usdPerSecondToMicros, so the 400 names `usdPerSecond` either way.
 */
export const setOrgPricingInputSchema = z.strictObject({
  orgId: z.string({ error: "is required" }).trim().min(1, { error: "is required" }),
  usdPerSecond: z.number({ error: "must be a number of USD or null" }).nullable().optional(),
  testerShareBps: shareBps.nullable().optional(),
});
export type SetOrgPricingInput = z.input<typeof setOrgPricingInputSchema>;

/** An organisation's pricing as the operator sees it; null overrides mean the platform default. */
export interface OrgPricingView {
  /** What a second of working time costs this organisation now (its override, else $0.0018). */
  microsPerSecond: number;
  usdPerSecond: number;
  /** The override in micro-dollars per second, or null for the platform default. */
  rateOverrideMicrosPerSecond: number | null;
  /** The organisation's tester share in basis points, or null for the platform default. */
  testerShareBps: number | null;
}

export function orgPricingOf(org: {
  rateOverrideMicrosPerSecond: bigint | null;
  earningsShareOverrideBps: number | null;
}): OrgPricingView {
  const override = org.rateOverrideMicrosPerSecond === null ? null : Number(org.rateOverrideMicrosPerSecond);
  const rate = override ?? DEFAULT_RATE_MICROS_PER_SECOND;
  return {
    microsPerSecond: rate,
    usdPerSecond: microsToUsd(micros(rate)),
    rateOverrideMicrosPerSecond: override,
    testerShareBps: org.earningsShareOverrideBps,
  };
}

export interface OrgPricingResult extends OrgPricingView {
  orgId: string;
  slug: string;
  name: string;
}

/**
 * Sets (or clears) the organisation's price and tester-share overrides. New jobs hold and charge
 * at the new price (jobs store the rate they were created with, so existing holds are unchanged);
 * approvals from now on use the new share (unless a tester has a share of their own).
 */
export async function setOrgPricing(db: Db, input: unknown): Promise<OrgPricingResult> {
  const { orgId, usdPerSecond, testerShareBps } = parseOrThrow(setOrgPricingInputSchema, input);
  const rate =
    usdPerSecond === undefined
      ? undefined
      : usdPerSecond === null
        ? null
        : usdPerSecondToMicros(usdPerSecond);
  const found = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
  if (!found) {
    throw new DomainError("NOT_FOUND", `organisation ${orgId} not found`, { details: { orgId } });
  }
  const org = await db.organization.update({
    where: { id: orgId },
    data: {
      ...(rate === undefined ? {} : { rateOverrideMicrosPerSecond: rate === null ? null : BigInt(rate) }),
      ...(testerShareBps === undefined ? {} : { earningsShareOverrideBps: testerShareBps }),
    },
  });
  return { orgId: org.id, slug: org.slug, name: org.name, ...orgPricingOf(org) };
}
