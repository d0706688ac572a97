// The extraction worker: turns a submitted response into data, charges the slot and re-derives the job.
import { allowedMs, chargeForAssignment, type OutputSchema, transitionAssignment } from "@eyeball/core";
import { type ExtractionResult, type Extractor } from "@eyeball/extraction";
import { type Job } from "@eyeball/db";

import { repoContextText } from "../github/repo-context";
import { sendAfterCommit } from "../jobs/after-commit";
import { type JobDeps, syncJobStatus } from "../jobs/job-status";
import { QUEUES, SIDE_EFFECT_RETRIES, sideEffectSingletonKey } from "../jobs/queue-names";
import { limitsOf, rateOf } from "../jobs/job-terms";
import { inTransaction, lockJob } from "../jobs/transaction";
import { type ServiceDeps } from "../types";

/** Chooses the extractor for a job (the sandbox swaps in a failing one for `[sandbox:error]`). */
export type ExtractorFor = (job: Job) => Extractor;

type Outcome = { ok: true; result: ExtractionResult } | { ok: false };

/**
 * Idempotent: anything but a `submitted` slot is left alone, so a redelivered queue message or a
 * reconcile after a crash does nothing twice (and the ledger's capture is idempotent per
 * assignment too). The extractor runs outside the transaction — an LLM call must not hold the job
 * lock. Its failure ends the slot in `error`, which costs nothing.
 */
export async function extractAssignment(
  deps: JobDeps & Pick<ServiceDeps, "db" | "queue">,
  extractorFor: ExtractorFor,
  assignmentId: string,
): Promise<void> {
  const slot = await deps.db.assignment.findUnique({ where: { id: assignmentId }, include: { job: true } });
  if (!slot || slot.status !== "submitted") return;
  const job = slot.job;

  let outcome: Outcome;
  try {
    const result = await extractorFor(job).extract({
      outputSchema: (job.outputSchema ?? undefined) as OutputSchema | undefined,
      testerResponse: slot.testerResponse ?? "",
      additionalValidationInstructions: job.additionalValidationInstructions ?? undefined,
      repoContext: repoContextText(job),
    });
    outcome = { ok: true, result };
  } catch {
    outcome = { ok: false };
  }

  const extracted = await inTransaction(deps.db, async (tx) => {
    await lockJob(tx, job.id);
    const current = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    if (current.status !== "submitted") return false;
    const now = deps.clock.now();

    if (!outcome.ok) {
      await tx.assignment.update({
        where: { id: assignmentId },
        data: {
          status: transitionAssignment(current.status, "fail"),
          finishedAt: now,
          explanation: "The response could not be processed because of a system error.",
        },
      });
      await deps.events.append(tx, {
        jobId: job.id,
        assignmentId,
        type: "assignment.failed",
        payload: { status: "error", reason: "extraction_failed" },
      });
      await syncJobStatus(tx, deps, job.id);
      return false;
    }

    const { result } = outcome;
    // The done rule was checked at submission; extraction still never completes a non-final message.
    const complete = result.final && result.status === "completed";
    const status = transitionAssignment(
      current.status,
      complete ? "extracted_complete" : "extracted_incomplete",
    );
    const claimedAt = current.claimedAt?.getTime() ?? now.getTime();
    const submittedAt = current.submittedAt?.getTime() ?? now.getTime();
    const charge = chargeForAssignment(
      status,
      Math.max(0, submittedAt - claimedAt),
      rateOf(job),
      allowedMs(limitsOf(job), current.extensionMinutesGranted),
    );
    if (charge > 0) {
      await deps.ledger.captureCharge(tx, { jobId: job.id, assignmentId, micros: BigInt(charge) });
    }
    await tx.assignment.update({
      where: { id: assignmentId },
      data: {
        status,
        finishedAt: now,
        extractedData: result.result.data,
        explanation: result.result.explanation,
        costMicros: BigInt(charge),
      },
    });
    await tx.job.update({
      where: { id: job.id },
      data: { costMicros: { increment: BigInt(charge) }, version: { increment: 1 } },
    });
    await deps.events.append(tx, {
      jobId: job.id,
      assignmentId,
      type: "assignment.extracted",
      payload: { status, success: result.result.success, costMicros: charge },
    });
    await syncJobStatus(tx, deps, job.id);
    return true;
  });

  // After the commit: issues for the bugs found (the handler reads the stored result, so it is safe to repeat).
  if (extracted && job.canCreateGithubIssues && job.repoName !== null) {
    await sendAfterCommit(
      deps.queue,
      QUEUES.githubIssues,
      { assignmentId },
      { ...SIDE_EFFECT_RETRIES, singletonKey: sideEffectSingletonKey.githubIssues(assignmentId) },
    );
  }
}
