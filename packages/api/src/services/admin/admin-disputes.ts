// The operator's side of disputes: the evidence of one dispute (across organisations) and its resolution.
import { z } from "zod";

import {
  DomainError,
  type DisputeEvent,
  micros,
  microsToUsd,
  parseOrThrow,
  resolveDispute,
  type ScreenPreset,
  type SettlementState,
} from "@eyeball/core";

import { type ArtifactsService, type SlotRecording } from "../artifacts";
import { loadOwnerJob } from "../jobs/owner-effects";
import { type JobView, type SlotView, jobViewInclude, toJobView } from "../jobs/job-view";
import { inTransaction, lockJob } from "../jobs/transaction";
import { type Mode, type ServiceDeps } from "../types";

export const MAX_RESOLUTION_NOTE_LENGTH = 2000;

export const adminDisputeInputSchema = z.strictObject({
  id: z.string({ error: "is required" }).trim().min(1, { error: "is required" }),
});

export const resolveDisputeInputSchema = adminDisputeInputSchema.extend({
  resolution: z.enum(["uphold", "refund"], { error: "must be uphold or refund" }),
  note: z
    .string({ error: "is required" })
    .trim()
    .min(1, { error: "is required: say why, for the owner and the record" })
    .max(MAX_RESOLUTION_NOTE_LENGTH, { error: `must be at most ${MAX_RESOLUTION_NOTE_LENGTH} characters` }),
});
export type ResolveDisputeInput = z.input<typeof resolveDisputeInputSchema>;

export interface PersonView {
  userId: string;
  name: string;
  email: string;
}

/** Everything an operator weighs: the dispute, its job, the disputed work and its recording. */
export interface AdminDisputeEvidence {
  dispute: {
    id: string;
    status: "open" | "upheld" | "refunded";
    reason: string;
    openedBy: PersonView | null;
    createdAt: Date;
    disputeWindowEndsAt: Date;
    /** What a refund returns: the disputed assignment's charge. */
    amountMicros: number;
    amountUsd: number;
    resolutionNote: string | null;
    resolvedBy: PersonView | null;
    resolvedAt: Date | null;
  };
  job: {
    id: string;
    title: string | null;
    url: string;
    description: string;
    orgId: string;
    orgName: string;
    orgSlug: string;
    mode: Mode;
    status: JobView["status"];
    settlement: SettlementState;
    screenSize: { preset: ScreenPreset | "custom"; width: number; height: number };
    testerCount: number;
    createdAt: Date;
    completedAt: Date | null;
  };
  assignment: SlotView & { costUsd: number };
  /** The assignment's recording with signed links, as the owner's job page shows it. */
  recording: SlotRecording | null;
}

export interface AdminDisputesService {
  /** `{id}`: the dispute's evidence; NOT_FOUND naming the id. */
  get(input: unknown): Promise<AdminDisputeEvidence>;
  /**
   * `{id, resolution: uphold | refund, note}` by a platform admin (`userId`). Core's dispute machine decides
   * (a decided dispute is INVALID_TRANSITION, 409); a refund returns the captured charge to the
   * organisation's credit and the assignment earns nothing. One transaction, under the job lock.
   */
  resolve(userId: string, input: unknown): Promise<AdminDisputeEvidence>;
}

function disputeNotFound(id: string): DomainError {
  return new DomainError("NOT_FOUND", `dispute ${id} not found`, { details: { disputeId: id } });
}

function person(user: { id: string; name: string; email: string } | null): PersonView | null {
  return user ? { userId: user.id, name: user.name, email: user.email } : null;
}

export function createAdminDisputesService(
  deps: ServiceDeps,
  { artifacts }: { artifacts: Pick<ArtifactsService, "recordings"> },
): AdminDisputesService {
  const { db, clock, ledger, events } = deps;

  async function evidence(id: string): Promise<AdminDisputeEvidence> {
    const row = await db.dispute.findUnique({
      where: { id },
      include: {
        settlement: { select: { jobId: true, disputeWindowEndsAt: true } },
        openedBy: { select: { id: true, name: true, email: true } },
        resolvedBy: { select: { id: true, name: true, email: true } },
      },
    });
    if (!row) throw disputeNotFound(id);
    const job = await db.job.findUniqueOrThrow({
      where: { id: row.settlement.jobId },
      include: { ...jobViewInclude, org: { select: { name: true, slug: true } } },
    });
    const view = toJobView(job);
    const slot = view.slots.find((candidate) => candidate.id === row.assignmentId);
    if (!slot) throw new DomainError("INTERNAL", `dispute ${id} names an assignment of another job`);
    // Admins are no members of the organisation: the admin procedure is the access check, and the
    // artifacts service signs links for assignments whose access the caller has checked.
    const [recording] = await artifacts.recordings([slot.id]);
    const amount = micros(slot.costMicros);
    return {
      dispute: {
        id: row.id,
        status: row.status,
        reason: row.reason,
        openedBy: person(row.openedBy),
        createdAt: row.createdAt,
        disputeWindowEndsAt: row.settlement.disputeWindowEndsAt,
        amountMicros: amount,
        amountUsd: microsToUsd(amount),
        resolutionNote: row.resolutionNote,
        resolvedBy: person(row.resolvedBy),
        resolvedAt: row.resolvedAt,
      },
      job: {
        id: view.id,
        title: view.title,
        url: view.url,
        description: view.description,
        orgId: view.orgId,
        orgName: job.org.name,
        orgSlug: job.org.slug,
        mode: view.mode,
        status: view.status,
        settlement: view.settlement,
        screenSize: view.screenSize,
        testerCount: view.testerCount,
        createdAt: view.createdAt,
        completedAt: view.completedAt,
      },
      assignment: { ...slot, costUsd: microsToUsd(amount) },
      recording: recording ?? null,
    };
  }

  return {
    get(input) {
      const { id } = parseOrThrow(adminDisputeInputSchema, input);
      return evidence(id);
    },

    async resolve(userId, input) {
      const { id, resolution, note } = parseOrThrow(resolveDisputeInputSchema, input);
      const found = await db.dispute.findUnique({
        where: { id },
        select: { settlement: { select: { jobId: true } } },
      });
      if (!found) throw disputeNotFound(id);
      const jobId = found.settlement.jobId;
      const event: DisputeEvent = resolution;

      await inTransaction(db, async (tx) => {
        // The same lock as every owner action: the dispute is decided against the job as it is now.
        await lockJob(tx, jobId);
        const { state } = await loadOwnerJob(tx, jobId);
        const dispute = state.disputes.find((candidate) => candidate.id === id);
        if (!dispute) throw disputeNotFound(id);
        if (dispute.status !== "open") {
          throw new DomainError(
            "INVALID_TRANSITION",
            `dispute ${id} is already ${dispute.status}: only an open dispute can be upheld or refunded`,
            { details: { disputeId: id, status: dispute.status } },
          );
        }
        const decided = resolveDispute(dispute, event);
        let refundedMicros = 0n;
        for (const effect of decided.effects) {
          if (effect.type !== "refund") continue;
          for (const assignmentId of effect.assignmentIds) {
            const refunded = await ledger.refundCharge(tx, { jobId, assignmentId, disputeId: id });
            refundedMicros += refunded.refundedMicros;
            // A refunded assignment earns its tester nothing (core approveJob skips it as well).
            await tx.assignment.update({ where: { id: assignmentId }, data: { earningsMicros: 0n } });
          }
          if (refundedMicros !== BigInt(effect.micros)) {
            throw new DomainError(
              "INTERNAL",
              `dispute ${id}: the ledger refunded ${refundedMicros.toString()} µ$ of a ${effect.micros} µ$ charge`,
            );
          }
        }
        // Conditional on `open`: a racing resolver that slipped past the check changes nothing.
        const updated = await tx.dispute.updateMany({
          where: { id, status: "open" },
          data: {
            status: decided.status,
            resolvedByUserId: userId,
            resolvedAt: clock.now(),
            resolutionNote: note,
          },
        });
        if (updated.count !== 1) throw new DomainError("CONFLICT", `dispute ${id} was resolved meanwhile`);
        await tx.job.update({ where: { id: jobId }, data: { version: { increment: 1 } } });
        await events.append(tx, {
          jobId,
          assignmentId: dispute.assignmentIds[0] ?? null,
          type: "job.dispute_resolved",
          payload: {
            disputeId: id,
            resolution: decided.status,
            refundedMicros: Number(refundedMicros),
          },
        });
      });
      return evidence(id);
    },
  };
}
