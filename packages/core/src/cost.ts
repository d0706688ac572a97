// The cost engine: per-second billing of working time, holds, settlement and tester earnings.
import { type AssignmentStatus } from "./assignment-lifecycle";
import { DomainError } from "./errors";
import {
  type Micros,
  ZERO_MICROS,
  micros,
  minMicros,
  multiplyMicros,
  splitByBasisPoints,
  subtractMicros,
} from "./money";
import { invalidTransition } from "./state-machine";

/** $0.0018 per second of working time (run(human) reference). */
export const DEFAULT_RATE_MICROS_PER_SECOND: Micros = micros(1800);
/** Testers' default share of what a slot is charged: 70 %. Configurable per deployment. */
export const DEFAULT_TESTER_SHARE_BPS = 7000;

/** The rate for an organisation: its price override when set, else the default. */
export function resolveRate(overrideMicrosPerSecond?: number | null): Micros {
  if (overrideMicrosPerSecond === undefined || overrideMicrosPerSecond === null)
    return DEFAULT_RATE_MICROS_PER_SECOND;
  if (!Number.isSafeInteger(overrideMicrosPerSecond) || overrideMicrosPerSecond < 0) {
    throw new DomainError("VALIDATION", "rateMicrosPerSecond: must be a non-negative integer");
  }
  return micros(overrideMicrosPerSecond);
}

/** Whole seconds billed for a duration: always rounded up (61.2 s → 62 s), as the reference says. */
export function billableSeconds(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new DomainError(
      "VALIDATION",
      `durationMs: must be a non-negative number, got ${String(durationMs)}`,
    );
  }
  return Math.ceil(durationMs / 1000);
}

/** Cost of whole seconds at a rate. */
export function costMicros(seconds: number, rate: Micros = DEFAULT_RATE_MICROS_PER_SECOND): Micros {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new DomainError("VALIDATION", `seconds: must be a non-negative integer, got ${String(seconds)}`);
  }
  return multiplyMicros(rate, seconds);
}

/** Cost of a duration in milliseconds: ceil to seconds, then multiply. */
export function costForDurationMicros(
  durationMs: number,
  rate: Micros = DEFAULT_RATE_MICROS_PER_SECOND,
): Micros {
  return costMicros(billableSeconds(durationMs), rate);
}

/** Slots that end in these statuses are billed; every other ending costs nothing. */
export const CHARGEABLE_ASSIGNMENT_STATUSES = [
  "completed",
  "incomplete",
] as const satisfies readonly AssignmentStatus[];

export function isChargeableAssignmentStatus(status: AssignmentStatus): boolean {
  return (CHARGEABLE_ASSIGNMENT_STATUSES as readonly AssignmentStatus[]).includes(status);
}

/**
 * What a finished slot costs. Only `completed` and `incomplete` are billed (the tester did the
 * work); abandoned, rejected, error and closed cost nothing. Working time is claim to final
 * submission; it is capped at the slot's allowed limit (target plus granted extensions), so the
 * grace period after the limit is never billed. Asking before the slot has ended is a bug in the
 * caller's order of operations, hence INVALID_TRANSITION.
 */
export function chargeForAssignment(
  status: AssignmentStatus,
  workedMs: number,
  rate: Micros = DEFAULT_RATE_MICROS_PER_SECOND,
  allowedMs?: number,
): Micros {
  if (status === "open" || status === "working" || status === "submitted") {
    throw invalidTransition("an assignment", "charge", status);
  }
  if (!isChargeableAssignmentStatus(status)) return ZERO_MICROS;
  const billedMs = allowedMs === undefined ? workedMs : Math.min(workedMs, allowedMs);
  return costForDurationMicros(billedMs, rate);
}

/** A job's duration settings as far as money is concerned. */
export interface DurationLimits {
  readonly targetDurationMinutes: number;
  readonly allowDurationExtension: boolean;
  /** A cap on extension minutes, or false for unlimited. */
  readonly maxExtensionMinutes: number | false;
}

function assertWholeMinutes(field: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DomainError("VALIDATION", `${field}: must be an integer of at least ${min}`, {
      details: { field },
    });
  }
}

/** Minutes a single slot may be billed for at most, as far as it is known when the job is created. */
export function holdMinutesPerSlot(limits: DurationLimits): number {
  assertWholeMinutes("targetDurationMinutes", limits.targetDurationMinutes, 1);
  // Unlimited extensions cannot be held up front; each grant raises the hold instead.
  if (!limits.allowDurationExtension || limits.maxExtensionMinutes === false)
    return limits.targetDurationMinutes;
  assertWholeMinutes("maxExtensionMinutes", limits.maxExtensionMinutes, 0);
  return limits.targetDurationMinutes + limits.maxExtensionMinutes;
}

/** The hold one slot needs: its maximum billable cost. */
export function slotHoldMicros(
  limits: DurationLimits,
  rate: Micros = DEFAULT_RATE_MICROS_PER_SECOND,
): Micros {
  return costMicros(holdMinutesPerSlot(limits) * 60, rate);
}

export interface MaxHoldInput extends DurationLimits {
  readonly testerCount: number;
  readonly rate?: Micros;
}

/** The hold placed on the owner's credits when a job is created: (target + allowed extension) × 60 × rate × testers. */
export function maxHoldMicros(input: MaxHoldInput): Micros {
  assertWholeMinutes("testerCount", input.testerCount, 1);
  return multiplyMicros(slotHoldMicros(input, input.rate), input.testerCount);
}

export interface ExtensionHoldInput {
  readonly allowDurationExtension: boolean;
  readonly maxExtensionMinutes: number | false;
  /** Minutes of the extension being granted. */
  readonly extensionMinutes: number;
  readonly rate?: Micros;
}

/**
 * How much the hold must grow before an extension is granted: the extension's full cost when
 * extensions are unlimited (the up-front hold did not cover it), nothing when capped (it did).
 */
export function extensionHoldIncrease(input: ExtensionHoldInput): Micros {
  if (!input.allowDurationExtension) throw invalidTransition("a job", "extend", "not extendable");
  assertWholeMinutes("extensionMinutes", input.extensionMinutes, 1);
  if (input.maxExtensionMinutes !== false) return ZERO_MICROS;
  return costMicros(input.extensionMinutes * 60, input.rate);
}

/** Refuse with INSUFFICIENT_CREDIT (402) when available credit does not cover an amount. */
export function assertCreditCovers(availableMicros: Micros, requiredMicros: Micros): void {
  if (requiredMicros > availableMicros) {
    throw new DomainError(
      "INSUFFICIENT_CREDIT",
      `insufficient credit: ${String(requiredMicros)} µ$ required, ${String(availableMicros)} µ$ available`,
      { details: { requiredMicros, availableMicros } },
    );
  }
}

/** The hold raise for an extension, checked against available credit (402 when not covered). */
export function requireExtensionHold(
  input: ExtensionHoldInput & { readonly availableCreditMicros: Micros },
): Micros {
  const increase = extensionHoldIncrease(input);
  assertCreditCovers(input.availableCreditMicros, increase);
  return increase;
}

export interface HoldSettlement {
  /** Taken from the hold as the final charge. */
  readonly capture: Micros;
  /** Returned to the owner's available credit. */
  readonly release: Micros;
  /** Charge the hold did not cover; zero unless a caller skipped a hold raise. Never hidden. */
  readonly shortfall: Micros;
}

/** Split a hold at settlement: capture + release == hold, neither negative. */
export function settleHold(holdMicros: Micros, chargedMicros: Micros): HoldSettlement {
  if (holdMicros < 0 || chargedMicros < 0) {
    throw new DomainError("VALIDATION", "hold and charge must not be negative", {
      details: { holdMicros, chargedMicros },
    });
  }
  const capture = minMicros(chargedMicros, holdMicros);
  return {
    capture,
    release: subtractMicros(holdMicros, capture),
    shortfall: subtractMicros(chargedMicros, capture),
  };
}

/** The share overrides that may apply to one assignment's earning, most specific first. */
export interface TesterShareSources {
  /** TesterProfile.earningsShareBps: this tester's own share. */
  readonly testerBps?: number | null;
  /** Organization.earningsShareOverrideBps: the share on this organisation's jobs. */
  readonly orgBps?: number | null;
  /** The deployment's share (ApiConfig.testerShareBps); DEFAULT_TESTER_SHARE_BPS when omitted. */
  readonly defaultBps?: number;
}

/**
 * The share a tester earns of one charged assignment: the tester's own override, else the
 * organisation's override, else the deployment default. A null or missing override falls through;
 * a present one must be an integer 0–10000.
 */
export function resolveTesterShareBps(sources: TesterShareSources): number {
  const candidates: [string, number | null | undefined][] = [
    ["testerShareBps", sources.testerBps],
    ["orgShareBps", sources.orgBps],
    ["defaultShareBps", sources.defaultBps ?? DEFAULT_TESTER_SHARE_BPS],
  ];
  for (const [field, bps] of candidates) {
    if (bps === null || bps === undefined) continue;
    if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000) {
      throw new DomainError("VALIDATION", `${field}: must be an integer between 0 and 10000`, {
        details: { field },
      });
    }
    return bps;
  }
  return DEFAULT_TESTER_SHARE_BPS;
}

/** A charged amount split between the tester and the platform; the tester gets leftover units first. */
export function testerEarnings(
  chargedMicros: Micros,
  testerShareBps: number = DEFAULT_TESTER_SHARE_BPS,
): { tester: Micros; platform: Micros } {
  const { share, rest } = splitByBasisPoints(chargedMicros, testerShareBps);
  return { tester: share, platform: rest };
}
