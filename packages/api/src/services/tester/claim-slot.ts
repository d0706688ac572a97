// Claims a job's next open slot for a tester: eligibility, core's claim rules, the atomic claim, the job's new status.
import { assertCanClaimSlot, DomainError, ZERO_MICROS } from "@eyeball/core";
import { claimOpenSlot } from "@eyeball/db";

import { repoContextView } from "../github/repo-context";
import { type CredentialsCipher } from "../jobs/credentials-cipher";
import { type JobDeps, syncJobStatus } from "../jobs/job-status";
import { inTransaction, lockJob } from "../jobs/transaction";
import { type ServiceDeps } from "../types";
import { poolAllows } from "./claim-eligibility";
import { type ClaimedAssignment, toAssignmentView, toJobBrief } from "./tester-views";

export type ClaimDeps = JobDeps & Pick<ServiceDeps, "db">;

/**
 * Real testers claim live jobs their project pools allow; sandbox testers (isSandbox) claim only
 * test-mode jobs. A job the tester may not see is NOT_FOUND; a visible job that cannot be claimed
 * now (paused, stopped, finished, fully claimed, already on it) is 409.
 */
export async function claimSlot(
  deps: ClaimDeps,
  cipher: CredentialsCipher,
  testerId: string,
  jobId: string,
): Promise<ClaimedAssignment> {
  const { db } = deps;
  const tester = await db.testerProfile.findUnique({ where: { id: testerId }, select: { isSandbox: true } });
  if (!tester) throw new DomainError("FORBIDDEN", "not a tester");
  const visible = await db.job.findFirst({
    where: {
      id: jobId,
      mode: tester.isSandbox ? "test" : "live",
      ...(tester.isSandbox ? {} : poolAllows(testerId)),
    },
    select: { id: true },
  });
  if (!visible) throw new DomainError("NOT_FOUND", `job ${jobId} not found`);

  const assignmentId = await inTransaction(db, async (tx) => {
    await lockJob(tx, jobId);
    const job = await tx.job.findUniqueOrThrow({ where: { id: jobId }, include: { assignments: true } });
    if (job.assignments.some((slot) => slot.testerId === testerId)) {
      throw new DomainError("CONFLICT", "you already took a slot of this job");
    }
    assertCanClaimSlot({
      status: job.status,
      control: job.control,
      settlement: job.settlementState,
      slots: job.assignments.map((slot) => ({
        id: slot.id,
        status: slot.status,
        chargedMicros: ZERO_MICROS,
      })),
    });
    const slot = await claimOpenSlot(tx, { jobId, testerId, now: deps.clock.now() });
    if (!slot) throw new DomainError("CONFLICT", "cannot claim a job that is fully claimed");
    await deps.events.append(tx, {
      jobId,
      assignmentId: slot.id,
      type: "assignment.claimed",
      payload: { slotIndex: slot.slotIndex, testerId },
    });
    await syncJobStatus(tx, deps, jobId);
    return slot.id;
  });
  return claimedView(db, cipher, assignmentId);
}

/** The assignment with the job's brief; credentials decrypted only while the tester is working. */
export async function claimedView(
  db: ServiceDeps["db"],
  cipher: CredentialsCipher,
  assignmentId: string,
): Promise<ClaimedAssignment> {
  const slot = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId }, include: { job: true } });
  const active = slot.status === "working";
  return {
    assignment: toAssignmentView(slot, slot.job),
    job: toJobBrief(slot.job),
    credentials:
      active && slot.job.credentialsEncrypted
        ? cipher.decrypt(slot.job.credentialsEncrypted, slot.job.id)
        : [],
    repoContext: repoContextView(slot.job),
  };
}
