// Loads a job as core's OwnerJobState and applies the effects an owner action returns, inside one transaction.
import {
  DomainError,
  type DisputeView,
  type OwnerActionResult,
  type OwnerEffect,
  type OwnerJobState,
} from "@eyeball/core";
import { type Assignment, type Job, type Settlement } from "@eyeball/db";

import { type Tx } from "../types";
import { type JobDeps, syncJobStatus } from "./job-status";
import { slotHoldOf, toMicros } from "./job-terms";

export interface LoadedOwnerJob {
  job: Job & { assignments: Assignment[] };
  settlement: Settlement | null;
  state: OwnerJobState;
}

/** The job, its slots, settlement and disputes as core's OwnerJobState. Call with the job locked. */
export async function loadOwnerJob(tx: Tx, jobId: string): Promise<LoadedOwnerJob> {
  const job = await tx.job.findUniqueOrThrow({
    where: { id: jobId },
    include: { assignments: { orderBy: { slotIndex: "asc" } } },
  });
  const settlement = await tx.settlement.findUnique({ where: { jobId }, include: { disputes: true } });
  // The schema keeps one Dispute row per assignment; core's view groups them, one per row here.
  const disputes: DisputeView[] = (settlement?.disputes ?? []).map((dispute) => ({
    id: dispute.id,
    status: dispute.status,
    assignmentIds: [dispute.assignmentId],
    micros: toMicros(job.assignments.find((slot) => slot.id === dispute.assignmentId)?.costMicros ?? 0n),
  }));
  const state: OwnerJobState = {
    status: job.status,
    control: job.control,
    settlement: job.settlementState,
    slots: job.assignments.map((slot) => ({
      id: slot.id,
      status: slot.status,
      chargedMicros: toMicros(slot.costMicros),
      replaced: slot.replacedAt !== null,
    })),
    holdMicros: toMicros(job.holdMicros),
    slotHoldMicros: slotHoldOf(job),
    settledAt: settlement ? settlement.createdAt.getTime() : null,
    disputes,
  };
  return { job, settlement, state };
}

export interface ApplyContext {
  /** Who acted, for dispute rows. */
  userId: string | null;
  /** The action's event type, e.g. "job.paused". */
  eventType: string;
  eventPayload?: Record<string, string | number | boolean | null | string[]>;
}

/**
 * Runs core's effects against the database and the ledger, writes the job patch, appends the
 * action's event and re-derives the status (which settles the job if it became terminal).
 *
 * Money effects: a slot's charge is captured from the hold when the slot is extracted, so
 * `capture_charge` has nothing left to do, and at settlement the hold is closed as a whole
 * (ledger.closeHold) rather than released piecemeal. Outside settlement, `raise_hold` and
 * `release_hold` move the hold (resize, stop, cancel).
 */
export async function applyOwnerResult(
  tx: Tx,
  deps: JobDeps,
  loaded: LoadedOwnerJob,
  result: OwnerActionResult,
  context: ApplyContext,
): Promise<void> {
  const { job } = loaded;
  const now = deps.clock.now();
  const settling = loaded.state.settlement === "unsettled" && result.next.settlement === "settled";
  let nextSlotIndex = Math.max(-1, ...job.assignments.map((slot) => slot.slotIndex)) + 1;

  for (const effect of result.effects) {
    await applyEffect(effect);
  }

  async function applyEffect(effect: OwnerEffect): Promise<void> {
    switch (effect.type) {
      case "close_open_slots":
        await tx.assignment.updateMany({
          where: { jobId: job.id, status: "open" },
          data: { status: "closed", finishedAt: now },
        });
        return;
      case "close_slots":
        await tx.assignment.updateMany({
          where: { jobId: job.id, status: "open", id: { in: [...effect.assignmentIds] } },
          data: { status: "closed", finishedAt: now },
        });
        return;
      case "open_slots":
        for (let i = 0; i < effect.count; i++) {
          await tx.assignment.create({ data: { jobId: job.id, slotIndex: nextSlotIndex++, createdAt: now } });
        }
        return;
      case "raise_hold":
        await deps.ledger.raiseHold(tx, { jobId: job.id, micros: BigInt(effect.micros) });
        return;
      case "release_hold":
        if (!settling) await deps.ledger.releaseHold(tx, { jobId: job.id, micros: BigInt(effect.micros) });
        return;
      case "capture_charge":
        return;
      case "debit_credit":
        // Only possible if a hold raise had been skipped; every raise here goes through the ledger first.
        throw new DomainError("INTERNAL", "a charge exceeded the job's hold", {
          details: { jobId: job.id, micros: effect.micros },
        });
      case "open_dispute": {
        const settlement = loaded.settlement;
        if (!settlement) throw new DomainError("INTERNAL", "a dispute needs a settlement");
        for (const assignmentId of effect.assignmentIds) {
          await tx.dispute.create({
            data: {
              settlementId: settlement.id,
              assignmentId,
              reason: effect.reason,
              openedByUserId: context.userId,
              createdAt: now,
            },
          });
        }
        return;
      }
      case "release_tester_earnings": {
        for (const payout of effect.payouts) {
          const slot = job.assignments.find((candidate) => candidate.id === payout.assignmentId);
          if (!slot?.testerId) {
            throw new DomainError("INTERNAL", `assignment ${payout.assignmentId} earned without a tester`);
          }
          await tx.assignment.update({
            where: { id: payout.assignmentId },
            data: { earningsMicros: BigInt(payout.micros) },
          });
          // Same transaction as the approval: platform revenue → the tester's payable, once per assignment.
          await deps.ledger.accrueEarning(tx, {
            jobId: job.id,
            assignmentId: payout.assignmentId,
            testerId: slot.testerId,
            micros: BigInt(payout.micros),
          });
        }
        await tx.settlement.update({
          where: { jobId: job.id },
          data: { status: "approved", approvedAt: now },
        });
        return;
      }
    }
  }

  await tx.job.update({
    where: { id: job.id },
    data: {
      control: result.next.control,
      settlementState: result.next.settlement,
      testerCount: result.next.testerCount,
      ...(settling ? {} : { holdMicros: BigInt(result.next.holdMicros) }),
      version: { increment: 1 },
    },
  });
  await deps.events.append(tx, {
    jobId: job.id,
    type: context.eventType,
    payload: context.eventPayload ?? {},
  });
  await syncJobStatus(tx, deps, job.id);
}
