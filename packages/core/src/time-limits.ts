// Time limits of a claimed slot: deadline, extension rules and the time-out after a grace period.
import { type DurationLimits } from "./cost";
import { DomainError } from "./errors";
import { invalidTransition } from "./state-machine";

/** After the limit, a tester gets this long to wrap up before being timed out. Never billed. */
export const DEFAULT_GRACE_MS = 60_000;
const MS_PER_MINUTE = 60_000;

function assertGranted(grantedExtensionMinutes: number): void {
  if (!Number.isSafeInteger(grantedExtensionMinutes) || grantedExtensionMinutes < 0) {
    throw new DomainError("VALIDATION", "grantedExtensionMinutes: must be a non-negative integer");
  }
}

/** Minutes the tester may work: the target plus every extension granted so far. */
export function allowedMinutes(limits: DurationLimits, grantedExtensionMinutes: number): number {
  assertGranted(grantedExtensionMinutes);
  return limits.targetDurationMinutes + grantedExtensionMinutes;
}

export function allowedMs(limits: DurationLimits, grantedExtensionMinutes: number): number {
  return allowedMinutes(limits, grantedExtensionMinutes) * MS_PER_MINUTE;
}

/** When the slot's working time runs out (epoch ms). */
export function deadlineAt(
  claimedAt: number,
  limits: DurationLimits,
  grantedExtensionMinutes: number,
): number {
  return claimedAt + allowedMs(limits, grantedExtensionMinutes);
}

/** Extension minutes still available: a number, or null when unlimited. Zero when extensions are off. */
export function remainingExtensionMinutes(
  limits: DurationLimits,
  grantedExtensionMinutes: number,
): number | null {
  assertGranted(grantedExtensionMinutes);
  if (!limits.allowDurationExtension) return 0;
  if (limits.maxExtensionMinutes === false) return null;
  return Math.max(0, limits.maxExtensionMinutes - grantedExtensionMinutes);
}

export type ExtensionDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: "extensions_disabled" | "cap_reached" | "exceeds_cap";
      readonly remainingMinutes: number;
    };

/** Whether a tester may be granted `requestedMinutes` more, given what was already granted. */
export function extensionDecision(
  limits: DurationLimits,
  grantedExtensionMinutes: number,
  requestedMinutes: number,
): ExtensionDecision {
  if (!Number.isSafeInteger(requestedMinutes) || requestedMinutes < 1) {
    throw new DomainError("VALIDATION", "minutes: must be a positive integer", {
      details: { field: "minutes" },
    });
  }
  const remaining = remainingExtensionMinutes(limits, grantedExtensionMinutes);
  if (remaining === null) return { allowed: true };
  if (!limits.allowDurationExtension)
    return { allowed: false, reason: "extensions_disabled", remainingMinutes: 0 };
  if (remaining === 0) return { allowed: false, reason: "cap_reached", remainingMinutes: 0 };
  if (requestedMinutes > remaining)
    return { allowed: false, reason: "exceeds_cap", remainingMinutes: remaining };
  return { allowed: true };
}

/**
 * Throwing form of extensionDecision: extensions off or exhausted is an illegal move (409); asking
 * for more than what remains is a bad field (400) whose message says how much is left.
 */
export function assertExtensionAllowed(
  limits: DurationLimits,
  grantedExtensionMinutes: number,
  requestedMinutes: number,
): void {
  const decision = extensionDecision(limits, grantedExtensionMinutes, requestedMinutes);
  if (decision.allowed) return;
  if (decision.reason === "extensions_disabled") throw invalidTransition("a job", "extend", "not extendable");
  if (decision.reason === "cap_reached") throw invalidTransition("a job", "extend", "at its extension cap");
  throw new DomainError(
    "VALIDATION",
    `minutes: at most ${decision.remainingMinutes} more minutes can be granted`,
    {
      details: { field: "minutes", remainingMinutes: decision.remainingMinutes },
    },
  );
}

export interface SlotClock {
  readonly claimedAt: number;
  readonly grantedExtensionMinutes: number;
}

export interface TimeStatus {
  readonly deadlineAt: number;
  /** Deadline plus grace: past this the tester is timed out. */
  readonly timeoutAt: number;
  /** Until the deadline; negative once past it. */
  readonly remainingMs: number;
  readonly overLimit: boolean;
  readonly timedOut: boolean;
}

/** Where a working slot stands at `now` (an injected clock, never Date.now()). */
export function timeStatus(
  now: number,
  clock: SlotClock,
  limits: DurationLimits,
  graceMs: number = DEFAULT_GRACE_MS,
): TimeStatus {
  if (!Number.isFinite(graceMs) || graceMs < 0)
    throw new DomainError("VALIDATION", "graceMs: must be non-negative");
  const deadline = deadlineAt(clock.claimedAt, limits, clock.grantedExtensionMinutes);
  const timeoutAt = deadline + graceMs;
  return {
    deadlineAt: deadline,
    timeoutAt,
    remainingMs: deadline - now,
    overLimit: now > deadline,
    timedOut: now > timeoutAt,
  };
}

/** True when the tester is past the limit plus grace and should be timed out (slot → abandoned). */
export function isTimedOut(
  now: number,
  clock: SlotClock,
  limits: DurationLimits,
  graceMs: number = DEFAULT_GRACE_MS,
): boolean {
  return timeStatus(now, clock, limits, graceMs).timedOut;
}

/** Working time to bill: claim to submission, capped at the allowed limit (the grace is free). */
export function billableWorkedMs(clock: SlotClock, submittedAt: number, limits: DurationLimits): number {
  const worked = Math.max(0, submittedAt - clock.claimedAt);
  return Math.min(worked, allowedMs(limits, clock.grantedExtensionMinutes));
}
