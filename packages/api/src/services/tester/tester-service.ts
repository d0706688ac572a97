// The tester service: feed, claim, heartbeat, extensions, the done-rule submission, abandon, reject, their workers, and the tester's history, earnings and payouts.
import {
  assertExtensionAllowed,
  extensionHoldIncrease,
  invalidTransition,
  isFinalMessage,
  isTimedOut,
  timeStatus,
  transitionAssignment,
  validationError,
} from "@eyeball/core";
import { type Assignment, type Job } from "@eyeball/db";

import { sendAfterCommit } from "../jobs/after-commit";
import { createCredentialsCipher } from "../jobs/credentials-cipher";
import { syncJobStatus } from "../jobs/job-status";
import { limitsOf, rateOf } from "../jobs/job-terms";
import { extractSingletonKey, QUEUES } from "../jobs/queue-names";
import { wakeSandbox } from "../jobs/sandbox-wake";
import { inTransaction, lockJob } from "../jobs/transaction";
import { type ServiceDeps, type Tx } from "../types";
import { claimableBy } from "./claim-eligibility";
import { claimedView, claimSlot } from "./claim-slot";
import { extractAssignment, type ExtractorFor } from "./extract-assignment";
import { loadOwnAssignment } from "./own-assignment";
import { reopenIfAllowed } from "./slot-reopen";
import { requestAutoReloadCheck } from "../stripe/auto-reload";
import { sweepTimeouts } from "./sweep-timeouts";
import {
  createTesterEarnings,
  type TesterEarnings,
  type TesterHistoryItem,
  type TesterPage,
  type TesterPayoutView,
} from "./tester-earnings";
import {
  type AssignmentTiming,
  type AssignmentView,
  type ClaimedAssignment,
  type FeedItem,
  toAssignmentView,
  toFeedItem,
} from "./tester-views";

export const MAX_RESPONSE_LENGTH = 50_000;
export const MAX_REJECT_REASON_LENGTH = 2_000;
const FEED_LIMIT = 50;

export interface TesterServiceOptions {
  credentialsKey: Buffer;
  /** Extractor per job; default deps.extractor for every job. */
  extractorFor?: ExtractorFor;
}

export interface TesterService {
  /** Jobs this tester may claim now, oldest posted first. */
  feed(testerId: string): Promise<FeedItem[]>;
  /** Takes the next open slot; returns the brief, and the site credentials while working. */
  claim(testerId: string, jobId: string): Promise<ClaimedAssignment>;
  /** The tester's own assignment (credentials only while it is working). */
  assignment(testerId: string, assignmentId: string): Promise<ClaimedAssignment>;
  heartbeat(testerId: string, assignmentId: string): Promise<AssignmentTiming>;
  /** Core extension rules; unlimited extensions raise the hold first (402 when credit is short). */
  requestExtension(testerId: string, assignmentId: string, minutes: number): Promise<AssignmentTiming>;
  /** The done rule: a message whose last word is not "done" is VALIDATION (400). Queues extraction. */
  submit(testerId: string, assignmentId: string, message: string): Promise<AssignmentView>;
  abandon(testerId: string, assignmentId: string): Promise<AssignmentView>;
  reject(testerId: string, assignmentId: string, reason: string): Promise<AssignmentView>;
  /** Worker `assignment.extract`. */
  extract(assignmentId: string): Promise<void>;
  /** Worker `timeouts.sweep`: returns how many testers were timed out. */
  sweepTimeouts(): Promise<number>;
  /** Re-enqueues extraction of every submitted assignment (after a crash between commit and send). */
  reconcile(): Promise<{ extractions: number }>;
  /** The tester's own assignments, newest claim first; `{cursor?, limit?}` (default 25, at most 100). */
  history(testerId: string, input?: unknown): Promise<TesterPage<TesterHistoryItem>>;
  /** Earned (pending and released), paid and available amounts, and the last 12 months. */
  earnings(testerId: string): Promise<TesterEarnings>;
  /** The tester's payouts, newest first; `{cursor?, limit?}`. */
  payouts(testerId: string, input?: unknown): Promise<TesterPage<TesterPayoutView>>;
}

export function createTesterService(deps: ServiceDeps, options: TesterServiceOptions): TesterService {
  const { db, clock, config, ledger, events, queue } = deps;
  const cipher = createCredentialsCipher(options.credentialsKey);
  const extractorFor: ExtractorFor = options.extractorFor ?? (() => deps.extractor);
  const money = createTesterEarnings({
    db,
    ledger: deps.ledger,
    now: () => clock.now(),
    testerShareBps: config.testerShareBps,
  });

  function timing(slot: Assignment, job: Job): AssignmentTiming {
    if (!slot.claimedAt) throw invalidTransition("an assignment", "time", slot.status);
    const status = timeStatus(
      clock.now().getTime(),
      { claimedAt: slot.claimedAt.getTime(), grantedExtensionMinutes: slot.extensionMinutesGranted },
      limitsOf(job),
      config.timeoutGraceMs,
    );
    return {
      assignmentId: slot.id,
      deadlineAt: new Date(status.deadlineAt),
      timeoutAt: new Date(status.timeoutAt),
      remainingMs: status.remainingMs,
      extensionMinutesGranted: slot.extensionMinutesGranted,
    };
  }

  function timedOut(slot: Assignment, job: Job): boolean {
    if (slot.status !== "working" || !slot.claimedAt) return false;
    return isTimedOut(
      clock.now().getTime(),
      { claimedAt: slot.claimedAt.getTime(), grantedExtensionMinutes: slot.extensionMinutesGranted },
      limitsOf(job),
      config.timeoutGraceMs,
    );
  }

  /**
   * Runs `body` on the tester's own slot inside a transaction holding the job lock. A slot already
   * past its deadline plus grace is timed out first (committed) and the action refused with 409,
   * exactly as if the sweep had come by a moment earlier.
   */
  async function onOwnSlot<T>(
    testerId: string,
    assignmentId: string,
    action: string,
    body: (tx: Tx, slot: Assignment & { job: Job }) => Promise<T>,
  ): Promise<T> {
    const first = await loadOwnAssignment(db, testerId, assignmentId);
    const outcome = await inTransaction(db, async (tx) => {
      await lockJob(tx, first.jobId);
      const slot = await loadOwnAssignment(tx, testerId, assignmentId);
      if (timedOut(slot, slot.job)) {
        await endSlot(tx, slot, "time_out", "assignment.timed_out");
        return { timedOut: true as const };
      }
      return { timedOut: false as const, value: await body(tx, slot) };
    });
    if (outcome.timedOut) {
      await wakeSandbox(deps, first.jobId);
      throw invalidTransition("an assignment", action, "timed out");
    }
    return outcome.value;
  }

  /** Abandon, time out or reject a working slot; reopen it when core allows; re-derive the job. */
  async function endSlot(
    tx: Tx,
    slot: Assignment & { job: Job },
    event: "abandon" | "time_out" | "reject",
    eventType: string,
    rejectReason?: string,
  ): Promise<{ slot: Assignment; reopened: boolean }> {
    const ended = await tx.assignment.update({
      where: { id: slot.id },
      data: {
        status: transitionAssignment(slot.status, event),
        finishedAt: clock.now(),
        ...(rejectReason === undefined ? {} : { rejectReason }),
      },
    });
    await events.append(tx, {
      jobId: slot.jobId,
      assignmentId: slot.id,
      type: eventType,
      payload: { status: ended.status, ...(rejectReason === undefined ? {} : { reason: rejectReason }) },
    });
    const reopened = await reopenIfAllowed(tx, deps, slot.job, ended);
    await syncJobStatus(tx, deps, slot.jobId);
    return { slot: ended, reopened: reopened !== null };
  }

  async function finishOwnSlot(
    testerId: string,
    assignmentId: string,
    event: "abandon" | "reject",
    eventType: string,
    reason?: string,
  ): Promise<AssignmentView> {
    const result = await onOwnSlot(testerId, assignmentId, event, async (tx, slot) => {
      const ended = await endSlot(tx, slot, event, eventType, reason);
      return { view: toAssignmentView(ended.slot, slot.job), reopened: ended.reopened, jobId: slot.jobId };
    });
    if (result.reopened) await wakeSandbox(deps, result.jobId);
    return result.view;
  }

  return {
    async feed(testerId) {
      const jobs = await db.job.findMany({
        where: claimableBy(testerId),
        include: {
          assignments: { where: { status: "open" }, select: { id: true } },
          project: { select: { name: true } },
        },
        orderBy: [{ postedAt: "asc" }, { id: "asc" }],
        take: FEED_LIMIT,
      });
      return jobs.map(({ assignments, ...job }) =>
        toFeedItem(job, assignments.length, config.testerShareBps),
      );
    },

    claim: (testerId, jobId) => claimSlot(deps, cipher, testerId, jobId),

    async assignment(testerId, assignmentId) {
      await loadOwnAssignment(db, testerId, assignmentId);
      return claimedView(db, cipher, assignmentId);
    },

    async heartbeat(testerId, assignmentId) {
      return onOwnSlot(testerId, assignmentId, "heartbeat", async (tx, slot) => {
        if (slot.status !== "working") throw invalidTransition("an assignment", "heartbeat", slot.status);
        const updated = await tx.assignment.update({
          where: { id: slot.id },
          data: { lastHeartbeatAt: clock.now() },
        });
        return timing(updated, slot.job);
      });
    },

    async requestExtension(testerId, assignmentId, minutes) {
      let raisedOn: { orgId: string; mode: "live" | "test" } | undefined;
      const extended = await onOwnSlot(testerId, assignmentId, "extend", async (tx, slot) => {
        if (slot.status !== "working") throw invalidTransition("an assignment", "extend", slot.status);
        const limits = limitsOf(slot.job);
        assertExtensionAllowed(limits, slot.extensionMinutesGranted, minutes);
        const raise = extensionHoldIncrease({
          allowDurationExtension: limits.allowDurationExtension,
          maxExtensionMinutes: limits.maxExtensionMinutes,
          extensionMinutes: minutes,
          rate: rateOf(slot.job),
        });
        if (raise > 0) {
          // The hold grows before the time does; 402 here rolls the whole extension back.
          await ledger.raiseHold(tx, { jobId: slot.jobId, micros: BigInt(raise) });
          await tx.job.update({
            where: { id: slot.jobId },
            data: { holdMicros: { increment: BigInt(raise) }, version: { increment: 1 } },
          });
          raisedOn = { orgId: slot.job.orgId, mode: slot.job.mode };
        }
        const updated = await tx.assignment.update({
          where: { id: slot.id },
          data: { extensionMinutesGranted: { increment: minutes } },
        });
        await events.append(tx, {
          jobId: slot.jobId,
          assignmentId: slot.id,
          type: "assignment.extended",
          payload: {
            minutes,
            extensionMinutesGranted: updated.extensionMinutesGranted,
            holdRaisedMicros: raise,
          },
        });
        return timing(updated, slot.job);
      });
      // A raised live hold may have taken available credit below the auto-reload threshold.
      if (raisedOn) await requestAutoReloadCheck(deps, raisedOn.orgId, raisedOn.mode);
      return extended;
    },

    async submit(testerId, assignmentId, message) {
      if (typeof message !== "string" || message.trim().length === 0) {
        throw validationError("message", "must not be empty");
      }
      if (message.length > MAX_RESPONSE_LENGTH) {
        throw validationError("message", `must be at most ${MAX_RESPONSE_LENGTH} characters`);
      }
      if (!isFinalMessage(message)) throw validationError("message", 'must end with the word "done"');
      const view = await onOwnSlot(testerId, assignmentId, "submit", async (tx, slot) => {
        const submitted = await tx.assignment.update({
          where: { id: slot.id },
          data: {
            status: transitionAssignment(slot.status, "submit"),
            submittedAt: clock.now(),
            testerResponse: message,
          },
        });
        await events.append(tx, {
          jobId: slot.jobId,
          assignmentId: slot.id,
          type: "assignment.submitted",
          payload: {},
        });
        await syncJobStatus(tx, deps, slot.jobId);
        return toAssignmentView(submitted, slot.job);
      });
      await sendAfterCommit(
        queue,
        QUEUES.extract,
        { assignmentId },
        {
          singletonKey: extractSingletonKey(assignmentId),
          retryLimit: 5,
          retryBackoff: true,
        },
      );
      return view;
    },

    abandon: (testerId, assignmentId) =>
      finishOwnSlot(testerId, assignmentId, "abandon", "assignment.abandoned"),

    async reject(testerId, assignmentId, reason) {
      const trimmed = typeof reason === "string" ? reason.trim() : "";
      if (trimmed.length === 0) throw validationError("reason", "must not be empty");
      if (trimmed.length > MAX_REJECT_REASON_LENGTH) {
        throw validationError("reason", `must be at most ${MAX_REJECT_REASON_LENGTH} characters`);
      }
      return finishOwnSlot(testerId, assignmentId, "reject", "assignment.rejected", trimmed);
    },

    extract: (assignmentId) => extractAssignment(deps, extractorFor, assignmentId),

    sweepTimeouts: () => sweepTimeouts(deps),

    async reconcile() {
      const submitted = await db.assignment.findMany({
        where: { status: "submitted" },
        select: { id: true },
      });
      for (const { id } of submitted) {
        await sendAfterCommit(
          queue,
          QUEUES.extract,
          { assignmentId: id },
          {
            singletonKey: extractSingletonKey(id),
            retryLimit: 5,
            retryBackoff: true,
          },
        );
      }
      return { extractions: submitted.length };
    },

    history: (testerId, input) => money.history(testerId, input),
    earnings: (testerId) => money.earnings(testerId),
    payouts: (testerId, input) => money.payouts(testerId, input),
  };
}
