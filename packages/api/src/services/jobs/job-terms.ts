// A stored job's money and time terms: duration limits, the rate fixed at creation, per-slot hold.
import { type DurationLimits, type Micros, micros, resolveRate, slotHoldMicros } from "@eyeball/core";
import { type Job } from "@eyeball/db";

/**
 * The schema has no rate column on Job, so the rate in force when the job was created lives in
 * `metadata.rateMicrosPerSecond`: a later change of the organisation's price must not re-price a
 * job whose hold was computed at the old one.
 */
export const RATE_METADATA_KEY = "rateMicrosPerSecond";

export function limitsOf(
  job: Pick<Job, "targetDurationMinutes" | "allowDurationExtension" | "maxExtensionMinutes">,
): DurationLimits {
  return {
    targetDurationMinutes: job.targetDurationMinutes,
    allowDurationExtension: job.allowDurationExtension,
    maxExtensionMinutes: job.maxExtensionMinutes ?? false,
  };
}

export function rateOf(job: Pick<Job, "metadata">): Micros {
  const metadata = job.metadata;
  if (metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)) {
    const rate = metadata[RATE_METADATA_KEY];
    if (typeof rate === "number") return resolveRate(rate);
  }
  return resolveRate(null);
}

export function slotHoldOf(job: Parameters<typeof limitsOf>[0] & Pick<Job, "metadata">): Micros {
  return slotHoldMicros(limitsOf(job), rateOf(job));
}

/** Database BigInt micros to core Micros (safe: amounts stay far below 2^53). */
export function toMicros(value: bigint): Micros {
  return micros(Number(value));
}
