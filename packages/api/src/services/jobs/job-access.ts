// Who may act on a job as its owner: an API key or a user of the job's organisation, in the key's mode.
import { DomainError } from "@eyeball/core";

import { type Actor } from "../../actor";
import { type Mode } from "../types";

export interface OwnerCaller {
  orgId: string;
  /** An API key sees only jobs of its own mode; a portal user sees both. */
  mode: Mode | null;
  apiKeyId: string | null;
  userId: string | null;
}

/** The owner-side caller behind an actor, or UNAUTHORIZED / FORBIDDEN. */
export function ownerCaller(actor: Actor): OwnerCaller {
  if (actor.kind === "apiKey") {
    return { orgId: actor.orgId, mode: actor.mode, apiKeyId: actor.apiKeyId, userId: null };
  }
  if (actor.kind === "user") {
    if (actor.orgId === null) throw new DomainError("FORBIDDEN", "choose an organisation first");
    return { orgId: actor.orgId, mode: null, apiKeyId: null, userId: actor.userId };
  }
  if (actor.kind === "anonymous") throw new DomainError("UNAUTHORIZED", "authentication required");
  throw new DomainError("FORBIDDEN", "testers cannot manage jobs");
}

/**
 * Another organisation's job is FORBIDDEN (403); a job of the other mode does not exist for this
 * key (404), so live keys never learn about sandbox jobs and the reverse.
 */
export function assertJobAccess(caller: OwnerCaller, job: { id: string; orgId: string; mode: Mode }): void {
  if (job.orgId !== caller.orgId) {
    throw new DomainError("FORBIDDEN", `job ${job.id} belongs to another organisation`);
  }
  if (caller.mode !== null && job.mode !== caller.mode) {
    throw new DomainError("NOT_FOUND", `job ${job.id} not found`);
  }
}

export function jobNotFound(jobId: string): DomainError {
  return new DomainError("NOT_FOUND", `job ${jobId} not found`);
}
