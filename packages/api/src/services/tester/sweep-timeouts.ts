// Times out working testers past their deadline plus grace (abandoned), reopening the slot when allowed.
import { isTimedOut, transitionAssignment } from "@eyeball/core";

import { type JobDeps, syncJobStatus } from "../jobs/job-status";
import { limitsOf } from "../jobs/job-terms";
import { wakeSandbox } from "../jobs/sandbox-wake";
import { inTransaction, lockJob } from "../jobs/transaction";
import { type ServiceDeps } from "../types";
import { reopenIfAllowed } from "./slot-reopen";

/** The shortest limit a job can have (targetDurationMinutes ≥ 1): younger claims cannot be overdue. */
const MIN_LIMIT_MS = 60_000;
const BATCH = 500;

export type SweepDeps = JobDeps & Pick<ServiceDeps, "db" | "queue">;

/**
 * Times out one working assignment if it is overdue at the clock's `now`; returns whether it did.
 * Runs in its own transaction with the job locked, so a submission racing the sweep wins or loses cleanly.
 */
export async function timeOutIfOverdue(deps: SweepDeps, assignmentId: string): Promise<boolean> {
  const now = deps.clock.now();
  const outcome = await inTransaction(deps.db, async (tx) => {
    const found = await tx.assignment.findUnique({ where: { id: assignmentId }, select: { jobId: true } });
    if (!found) return null;
    await lockJob(tx, found.jobId);
    const slot = await tx.assignment.findUniqueOrThrow({
      where: { id: assignmentId },
      include: { job: true },
    });
    if (slot.status !== "working" || !slot.claimedAt) return null;
    const clock = {
      claimedAt: slot.claimedAt.getTime(),
      grantedExtensionMinutes: slot.extensionMinutesGranted,
    };
    if (!isTimedOut(now.getTime(), clock, limitsOf(slot.job), deps.config.timeoutGraceMs)) return null;
    const abandoned = await tx.assignment.update({
      where: { id: slot.id },
      data: { status: transitionAssignment(slot.status, "time_out"), finishedAt: now },
    });
    await deps.events.append(tx, {
      jobId: slot.jobId,
      assignmentId: slot.id,
      type: "assignment.timed_out",
      payload: { status: abandoned.status },
    });
    const reopened = await reopenIfAllowed(tx, deps, slot.job, abandoned);
    await syncJobStatus(tx, deps, slot.jobId);
    return { jobId: slot.jobId, reopened: reopened !== null };
  });
  if (outcome?.reopened) await wakeSandbox(deps, outcome.jobId);
  return outcome !== null;
}

/** Finds overdue working assignments (clock-injected) and times each out; returns how many. */
export async function sweepTimeouts(deps: SweepDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  const candidates = await deps.db.assignment.findMany({
    where: {
      status: "working",
      claimedAt: { lt: new Date(now - MIN_LIMIT_MS - deps.config.timeoutGraceMs) },
    },
    include: {
      job: {
        select: { targetDurationMinutes: true, allowDurationExtension: true, maxExtensionMinutes: true },
      },
    },
    orderBy: { claimedAt: "asc" },
    take: BATCH,
  });
  let count = 0;
  for (const slot of candidates) {
    if (!slot.claimedAt) continue;
    const clock = {
      claimedAt: slot.claimedAt.getTime(),
      grantedExtensionMinutes: slot.extensionMinutesGranted,
    };
    if (!isTimedOut(now, clock, limitsOf(slot.job), deps.config.timeoutGraceMs)) continue;
    if (await timeOutIfOverdue(deps, slot.id)) count++;
  }
  return count;
}
