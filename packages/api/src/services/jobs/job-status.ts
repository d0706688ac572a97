// Keeps a stored job's status equal to the status derived from its slots, and settles it when it ends.
import { deriveJobChange, isTerminalJobStatus, type JobStatus, type OutputSchema } from "@eyeball/core";
import { type Assignment, type Job, type Prisma } from "@eyeball/db";

import { type ServiceDeps, type Tx } from "../types";
import { aggregateResult } from "./job-result";
import { enqueueJobWebhook } from "./job-webhooks";

export type JobDeps = Pick<ServiceDeps, "clock" | "config" | "ledger" | "events" | "artifactLinks">;

/**
 * Re-derive the job's status from its slots (core deriveJobChange: only legal edges) inside the
 * caller's transaction, which must hold the job lock. Appends `job.status_changed`; on a terminal
 * status settles the job (finishJob). Returns the status after the call.
 */
export async function syncJobStatus(tx: Tx, deps: JobDeps, jobId: string): Promise<JobStatus> {
  const job = await tx.job.findUniqueOrThrow({
    where: { id: jobId },
    include: { assignments: { orderBy: { slotIndex: "asc" } } },
  });
  const change = deriveJobChange(job, job.assignments);
  if (change.event === null) return job.status;
  const now = deps.clock.now();
  await tx.job.update({
    where: { id: jobId },
    data: {
      status: change.status,
      version: { increment: 1 },
      ...(change.status === "working" && job.startedAt === null ? { startedAt: now } : {}),
    },
  });
  await deps.events.append(tx, {
    jobId,
    type: "job.status_changed",
    payload: { from: job.status, to: change.status, event: change.event },
  });
  if (isTerminalJobStatus(change.status)) {
    await finishJob(tx, deps, { ...job, status: change.status }, job.assignments, now);
  }
  return change.status;
}

/**
 * A job that reaches a terminal status is settled at once — the automatic form of core's
 * `settleJob`: each slot's charge was already captured from the hold when it was extracted
 * (ledger.captureCharge), so settling closes the hold (releasing the rest), records the
 * Settlement (status settled, dispute window from now) and moves the job to settlement `settled`
 * and control `stopped`. The owner may then dispute within the window or approve. An owner's
 * explicit `settle` of a live job closes its open slots, which makes it terminal and lands here too.
 * A cancelled job only has its hold closed (core's cancelJob keeps it unsettled). Either way a
 * job with a `webhookUrl` gets its webhook delivery written here (run.completed/failed/cancelled).
 */
async function finishJob(
  tx: Tx,
  deps: JobDeps,
  job: Job & { status: JobStatus },
  slots: readonly Assignment[],
  now: Date,
): Promise<void> {
  const result = aggregateResult(job.status, slots, (job.outputSchema ?? null) as OutputSchema | null);
  const charged = slots.reduce((sum, slot) => sum + slot.costMicros, 0n);
  const { releasedMicros } = await deps.ledger.closeHold(tx, { jobId: job.id });
  const cancelled = job.status === "cancelled";
  // A cancel (core cancelJob) leaves the job unsettled: nothing was worked, so nothing to settle.
  // An owner's settle that closes a never-claimed job still records its (empty) settlement.
  const settles = !cancelled || job.settlementState === "settled";
  if (settles && !(await tx.settlement.findUnique({ where: { jobId: job.id } }))) {
    await tx.settlement.create({
      data: {
        jobId: job.id,
        status: "settled",
        chargedMicros: charged,
        releasedMicros,
        disputeWindowEndsAt: new Date(now.getTime() + deps.config.disputeWindowMs),
        createdAt: now,
      },
    });
  }
  await tx.job.update({
    where: { id: job.id },
    data: {
      result: result as unknown as Prisma.InputJsonObject,
      costMicros: charged,
      holdMicros: 0n,
      control: "stopped",
      ...(settles ? { settlementState: "settled" as const } : {}),
      ...(cancelled ? { cancelledAt: now } : { completedAt: now }),
      version: { increment: 1 },
    },
  });
  // The job's webhooks (its TesterArmy webhookUrl, the org's endpoints) commit with the outcome they
  // report; `job.finished` below wakes the dispatcher after the commit (startJobWebhookDispatch), the sweep is the fallback.
  await enqueueJobWebhook(tx, job.id, now, deps.artifactLinks);
  await deps.events.append(tx, {
    jobId: job.id,
    type: "job.finished",
    payload: { status: job.status, success: result.success, costMicros: Number(charged) },
  });
}
