// Approving a settlement (the owner's approve and the dispute-window sweep): earning shares, core approveJob, the ledger.
import { approveJob, resolveTesterShareBps } from "@eyeball/core";

import { type Db, type Tx } from "../types";
import { type JobDeps } from "./job-status";
import { applyOwnerResult, type LoadedOwnerJob, loadOwnerJob } from "./owner-effects";
import { inTransaction, lockJob } from "./transaction";

/** How many due settlements one sweep approves at most; the next sweep takes the rest. */
export const AUTO_APPROVE_BATCH = 200;

/**
 * Each claimed assignment's earning share, most specific first: the tester's own
 * (TesterProfile.earningsShareBps), else the organisation's (Organization.earningsShareOverrideBps),
 * else the deployment's (ApiConfig.testerShareBps).
 */
export async function earningSharesOf(
  tx: Tx,
  deps: Pick<JobDeps, "config">,
  job: LoadedOwnerJob["job"],
): Promise<Map<string, number>> {
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: job.orgId },
    select: { earningsShareOverrideBps: true },
  });
  const testerIds = [...new Set(job.assignments.flatMap((slot) => (slot.testerId ? [slot.testerId] : [])))];
  const testers = await tx.testerProfile.findMany({
    where: { id: { in: testerIds } },
    select: { id: true, earningsShareBps: true },
  });
  const testerBps = new Map(testers.map((tester) => [tester.id, tester.earningsShareBps]));
  const shares = new Map<string, number>();
  for (const slot of job.assignments) {
    shares.set(
      slot.id,
      resolveTesterShareBps({
        testerBps: slot.testerId ? testerBps.get(slot.testerId) : null,
        orgBps: org.earningsShareOverrideBps,
        defaultBps: deps.config.testerShareBps,
      }),
    );
  }
  return shares;
}

/**
 * Approves the job inside the caller's transaction, which holds the job lock: core approveJob
 * decides (an open dispute or a settlement that is not `settled` is INVALID_TRANSITION), then the
 * effects record each earning on the assignment and on the ledger, and `job.approved` is appended.
 */
export async function approveLoadedJob(
  tx: Tx,
  deps: JobDeps,
  loaded: LoadedOwnerJob,
  context: { userId: string | null; auto: boolean },
): Promise<void> {
  const shareBpsByAssignment = await earningSharesOf(tx, deps, loaded.job);
  const result = approveJob(loaded.state, {
    testerShareBps: deps.config.testerShareBps,
    shareBpsByAssignment,
  });
  await applyOwnerResult(tx, deps, loaded, result, {
    userId: context.userId,
    eventType: "job.approved",
    eventPayload: { auto: context.auto },
  });
}

export interface AutoApproveReport {
  /** Jobs approved by this sweep. */
  approved: string[];
  /** Jobs that could not be approved (reported, retried by the next sweep). */
  failed: { jobId: string; message: string }[];
}

/**
 * The dispute window's end: every settlement still `settled` whose window has closed and that has
 * no open dispute is approved as if its owner had approved it (same core path, `{auto: true}` on
 * the event), one transaction per job under its lock. A settlement whose disputes are resolved
 * after its window closed is picked up by the next sweep. Idempotent: each job is re-checked under
 * its lock, so a job the owner approved meanwhile, or one disputed at the last moment, is skipped.
 */
export async function approveDueSettlements(
  deps: JobDeps & { db: Db },
  now: Date,
): Promise<AutoApproveReport> {
  const due = await deps.db.settlement.findMany({
    where: { status: "settled", disputeWindowEndsAt: { lte: now }, disputes: { none: { status: "open" } } },
    orderBy: [{ disputeWindowEndsAt: "asc" }, { id: "asc" }],
    take: AUTO_APPROVE_BATCH,
    select: { jobId: true },
  });
  const report: AutoApproveReport = { approved: [], failed: [] };
  for (const { jobId } of due) {
    try {
      const approved = await inTransaction(deps.db, async (tx) => {
        await lockJob(tx, jobId);
        const loaded = await loadOwnerJob(tx, jobId);
        // Re-checked under the lock: the owner may have approved or disputed since the query.
        if (!isDue(loaded, now)) return false;
        await approveLoadedJob(tx, deps, loaded, { userId: null, auto: true });
        return true;
      });
      if (approved) report.approved.push(jobId);
    } catch (error) {
      report.failed.push({ jobId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

function isDue(loaded: LoadedOwnerJob, now: Date): boolean {
  const { settlement, state } = loaded;
  if (!settlement || settlement.status !== "settled" || state.settlement !== "settled") return false;
  if (settlement.disputeWindowEndsAt.getTime() > now.getTime()) return false;
  return !state.disputes.some((dispute) => dispute.status === "open");
}
