// Reopens an abandoned slot as a fresh open row when core's decideSlotReopen allows it.
import { decideSlotReopen } from "@eyeball/core";
import { type Assignment, type Job } from "@eyeball/db";

import { type JobDeps } from "../jobs/job-status";
import { type Tx } from "../types";

/**
 * The old row stays as history (replacedAt set, so it no longer counts as a tester slot) and a new
 * open row takes the next slotIndex. The replacement reuses the abandoned slot's share of the hold:
 * an abandoned slot costs nothing, so the hold is neither raised nor released. Call with the job locked.
 */
export async function reopenIfAllowed(
  tx: Tx,
  deps: JobDeps,
  job: Job,
  slot: Assignment,
): Promise<Assignment | null> {
  const reopenedCount = await tx.assignment.count({ where: { jobId: job.id, replacedAt: { not: null } } });
  const decision = decideSlotReopen({
    slotStatus: slot.status,
    allowSlotReopen: job.allowSlotReopen,
    control: job.control,
    settlement: job.settlementState,
    reopenedCount,
  });
  if (!decision.reopen) return null;
  const now = deps.clock.now();
  const last = await tx.assignment.aggregate({ where: { jobId: job.id }, _max: { slotIndex: true } });
  await tx.assignment.update({ where: { id: slot.id }, data: { replacedAt: now } });
  const fresh = await tx.assignment.create({
    data: { jobId: job.id, slotIndex: (last._max.slotIndex ?? -1) + 1, createdAt: now },
  });
  await deps.events.append(tx, {
    jobId: job.id,
    assignmentId: fresh.id,
    type: "assignment.reopened",
    payload: { replacedAssignmentId: slot.id, slotIndex: fresh.slotIndex },
  });
  return fresh;
}
