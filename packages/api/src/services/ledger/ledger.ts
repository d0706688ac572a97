// The double-entry ledger: credit grants, job holds, captures and releases in integer micro-dollars.
import { DomainError, micros as toMicros, MICROS_PER_USD, microsToUsd } from "@eyeball/core";
import { type Hold, isUniqueViolation } from "@eyeball/db";

import { type Db, type Ledger, type Mode, type OrgBalance, type Tx } from "../types";
import { accountBalance, accounts } from "./accounts";
import { lockOrgBooks, lockTesterBooks } from "./books-lock";
import { transfer, writeTransaction } from "./postings";

/** Same generous limits as the job services: PGlite queues transactions, so a grant may wait. */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/** Idempotency key of a slot's capture: one charge per assignment, however often it is retried. */
export function captureIdempotencyKey(assignmentId: string): string {
  return `capture:${assignmentId}`;
}

/** Idempotency key of a dispute's refund: one refund per dispute, however often it is retried. */
export function refundIdempotencyKey(disputeId: string): string {
  return `refund:${disputeId}`;
}

/** Idempotency key of a card payment: one credit per Stripe PaymentIntent, however often Stripe sends the event. */
export function cardPaymentIdempotencyKey(paymentIntentId: string): string {
  return `stripe_pi:${paymentIntentId}`;
}

/** Idempotency key of an assignment's earning: accrued once, however often approval is retried. */
export function earningIdempotencyKey(assignmentId: string): string {
  return `earning:${assignmentId}`;
}

/** Idempotency keys of a payout and of its reversal. */
export function payoutIdempotencyKey(payoutId: string): string {
  return `payout:${payoutId}`;
}
export function payoutReversalIdempotencyKey(payoutId: string): string {
  return `payout_reversal:${payoutId}`;
}

/** Caller keys live in their own namespace so a grant key can never block a capture. */
export function grantIdempotencyKey(key: string): string {
  return `grant:${key}`;
}

/** Dollars for messages, at full precision (0.396, not 0.40); exact even beyond 2^53 micros. */
export function formatUsd(amount: bigint): string {
  if (amount <= BigInt(Number.MAX_SAFE_INTEGER) && amount >= BigInt(Number.MIN_SAFE_INTEGER)) {
    return `$${microsToUsd(toMicros(Number(amount)))}`;
  }
  const per = BigInt(MICROS_PER_USD);
  const sign = amount < 0n ? "-" : "";
  const absolute = amount < 0n ? -amount : amount;
  const fraction = (absolute % per).toString().padStart(6, "0").replace(/0+$/, "");
  return `${sign}$${(absolute / per).toString()}${fraction ? `.${fraction}` : ""}`;
}

function assertAmount(field: string, amount: bigint): void {
  if (amount < 0n) throw new DomainError("VALIDATION", `${field}: must not be negative`);
}

function remainingOf(hold: Pick<Hold, "amountMicros" | "capturedMicros" | "releasedMicros">): bigint {
  return hold.amountMicros - hold.capturedMicros - hold.releasedMicros;
}

async function readBalance(client: Tx | Db, orgId: string, mode: Mode): Promise<OrgBalance> {
  // Holds move credit into the hold account, so the credit account alone is what is available.
  const availableMicros = await accountBalance(client, accounts.orgCredit(orgId, mode));
  const heldMicros = await accountBalance(client, accounts.orgHold(orgId, mode));
  return { balanceMicros: availableMicros + heldMicros, heldMicros, availableMicros };
}

/**
 * Moves `micros` of the org's available credit into its hold account, under the books lock the
 * caller already holds. Live books refuse with 402 when available credit falls short; test books
 * first top the sandbox credit up by exactly the shortfall so no balance ever goes negative.
 */
async function reserve(
  tx: Tx,
  input: { orgId: string; mode: Mode; jobId: string; micros: bigint; kind: "hold_place" | "hold_raise" },
): Promise<void> {
  const { orgId, mode, jobId, micros } = input;
  if (micros === 0n) return;
  const credit = accounts.orgCredit(orgId, mode);
  const available = await accountBalance(tx, credit);
  if (available < micros) {
    if (mode === "live") {
      throw new DomainError(
        "INSUFFICIENT_CREDIT",
        `Insufficient credit: available ${formatUsd(available)}, needs ${formatUsd(micros)}`,
        { details: { availableMicros: available.toString(), requiredMicros: micros.toString() } },
      );
    }
    await writeTransaction(tx, {
      kind: "sandbox_topup",
      mode,
      jobId,
      memo: "test-mode credit topped up to cover a hold",
      postings: transfer(accounts.platformAdjustment(mode), credit, micros - available),
    });
  }
  await writeTransaction(tx, {
    kind: input.kind,
    mode,
    jobId,
    postings: transfer(credit, accounts.orgHold(orgId, mode), micros),
  });
}

interface LockedHold {
  hold: Hold;
  mode: Mode;
}

/**
 * Locks the books of the job's organisation, then reads the hold as it is now. The first read only
 * finds org and mode (which never change); the second, after the lock, sees every earlier writer.
 */
async function lockHold(tx: Tx, jobId: string): Promise<LockedHold> {
  const found = await tx.hold.findUnique({
    where: { jobId },
    select: { orgId: true, job: { select: { mode: true } } },
  });
  if (!found) throw new DomainError("NOT_FOUND", `job ${jobId} has no hold`);
  // The Hold row has no mode column; the job's mode decides which books the hold lives in.
  const mode = found.job.mode;
  await lockOrgBooks(tx, found.orgId, mode);
  const hold = await tx.hold.findUnique({ where: { jobId } });
  if (!hold) throw new DomainError("NOT_FOUND", `job ${jobId} has no hold`);
  return { hold, mode };
}

/**
 * `createLedger(db)`: the `Ledger` of services/types.ts over Prisma.
 *
 * - Every movement is one LedgerTransaction whose postings sum to zero (see postings.ts for the
 *   sign convention). Balances are sums of postings; the Hold row is a per-job summary
 *   (amount = placed + raised; remaining = amount − captured − released) written in the same
 *   transaction as the postings it summarises.
 * - Writes that reserve or return an organisation's credit take a per-org, per-mode advisory lock
 *   inside the caller's transaction (books-lock.ts), so concurrent holds never over-commit.
 * - The ledger writes only ledger tables and `holds`. The Job's `holdMicros`/`costMicros` columns
 *   stay with the job services, which already set or increment them after each ledger call.
 */
export function createLedger(db: Db): Ledger {
  return {
    balance(orgId, mode, tx) {
      return readBalance(tx ?? db, orgId, mode);
    },

    async grantCredits({ orgId, mode, micros, kind, memo, idempotencyKey }) {
      if (micros <= 0n) throw new DomainError("VALIDATION", "micros: a grant must be positive");
      const key = idempotencyKey === undefined ? undefined : grantIdempotencyKey(idempotencyKey);
      const credit = accounts.orgCredit(orgId, mode);

      /** A replay is a no-op only when it asks for the same grant; anything else reuses a key by mistake. */
      const replayed = async (): Promise<boolean> => {
        if (key === undefined) return false;
        const previous = await db.ledgerTransaction.findUnique({
          where: { idempotencyKey: key },
          select: {
            mode: true,
            postings: { select: { amountMicros: true, account: { select: { key: true } } } },
          },
        });
        if (!previous) return false;
        const same =
          previous.mode === mode &&
          previous.postings.some(
            (posting) => posting.account.key === credit.key && posting.amountMicros === micros,
          );
        if (!same) {
          throw new DomainError(
            "CONFLICT",
            `idempotency key ${idempotencyKey ?? ""} was used for a different grant`,
          );
        }
        return true;
      };

      if (await replayed()) return;
      try {
        await db.$transaction(async (tx) => {
          // Under the books lock, so a grant is ordered with the holds it races (balance-after stays exact).
          await lockOrgBooks(tx, orgId, mode);
          await writeTransaction(tx, {
            kind: kind ?? "credit_grant",
            mode,
            ...(key === undefined ? {} : { idempotencyKey: key }),
            ...(memo === undefined ? {} : { memo }),
            postings: transfer(accounts.platformAdjustment(mode), credit, micros),
          });
        }, TRANSACTION_OPTIONS);
      } catch (error) {
        // A concurrent call with the same key won the unique index: that grant is this one.
        if (isUniqueViolation(error) && (await replayed())) return;
        throw error;
      }
    },

    async placeHold(tx, { orgId, jobId, mode, micros }) {
      assertAmount("micros", micros);
      const job = await tx.job.findUnique({ where: { id: jobId }, select: { orgId: true, mode: true } });
      if (!job) throw new DomainError("NOT_FOUND", `job ${jobId} not found`);
      if (job.orgId !== orgId || job.mode !== mode) {
        // Later calls find the books through the job, so a mismatch here would split one hold across two books.
        throw new DomainError("INTERNAL", `job ${jobId} belongs to another organisation or mode`);
      }
      await lockOrgBooks(tx, orgId, mode);
      if (await tx.hold.findUnique({ where: { jobId }, select: { id: true } })) {
        throw new DomainError("CONFLICT", `job ${jobId} already has a hold`);
      }
      // Reserve before creating the Hold row: a refusal must leave nothing written.
      await reserve(tx, { orgId, mode, jobId, micros, kind: "hold_place" });
      await tx.hold.create({ data: { orgId, jobId, amountMicros: micros } });
    },

    async raiseHold(tx, { jobId, micros }) {
      assertAmount("micros", micros);
      const { hold, mode } = await lockHold(tx, jobId);
      if (hold.status !== "active") {
        throw new DomainError("INVALID_TRANSITION", `the hold of job ${jobId} is already ${hold.status}`);
      }
      if (micros === 0n) return;
      await reserve(tx, { orgId: hold.orgId, mode, jobId, micros, kind: "hold_raise" });
      await tx.hold.update({ where: { jobId }, data: { amountMicros: { increment: micros } } });
    },

    async releaseHold(tx, { jobId, micros }) {
      assertAmount("micros", micros);
      const { hold, mode } = await lockHold(tx, jobId);
      // Never more than is left: a closed hold has nothing left, so releasing it is a no-op.
      const remaining = hold.status === "active" ? remainingOf(hold) : 0n;
      const amount = micros < remaining ? micros : remaining;
      if (amount <= 0n) return;
      await writeTransaction(tx, {
        kind: "hold_release",
        mode,
        jobId,
        postings: transfer(accounts.orgHold(hold.orgId, mode), accounts.orgCredit(hold.orgId, mode), amount),
      });
      await tx.hold.update({ where: { jobId }, data: { releasedMicros: { increment: amount } } });
    },

    async captureCharge(tx, { jobId, assignmentId, micros }) {
      assertAmount("micros", micros);
      const { hold, mode } = await lockHold(tx, jobId);
      const idempotencyKey = captureIdempotencyKey(assignmentId);
      // Checked under the books lock, so a racing retry of the same capture sees the first one.
      const previous = await tx.ledgerTransaction.findUnique({
        where: { idempotencyKey },
        select: { jobId: true },
      });
      if (previous) {
        if (previous.jobId !== jobId) {
          throw new DomainError(
            "INTERNAL",
            `assignment ${assignmentId} was charged to job ${previous.jobId ?? "?"}`,
          );
        }
        // First capture wins: a retry or reconcile never charges a slot twice.
        return;
      }
      if (micros === 0n) return;
      if (hold.status !== "active") {
        throw new DomainError("INVALID_TRANSITION", `the hold of job ${jobId} is already ${hold.status}`);
      }
      const remaining = remainingOf(hold);
      if (micros > remaining) {
        // The cost engine caps every charge at the hold; exceeding it is a bug, not a customer error.
        throw new DomainError(
          "INTERNAL",
          `charge ${formatUsd(micros)} exceeds the ${formatUsd(remaining)} left on the hold of job ${jobId}`,
          {
            details: {
              jobId,
              assignmentId,
              micros: micros.toString(),
              remainingMicros: remaining.toString(),
            },
          },
        );
      }
      await writeTransaction(tx, {
        kind: "hold_capture",
        mode,
        jobId,
        assignmentId,
        idempotencyKey,
        postings: transfer(accounts.orgHold(hold.orgId, mode), accounts.platformRevenue(mode), micros),
      });
      await tx.hold.update({ where: { jobId }, data: { capturedMicros: { increment: micros } } });
    },

    async refundCharge(tx, { jobId, assignmentId, disputeId }) {
      // The hold row finds the books; its lock serialises the refund with every other write to them.
      const { hold, mode } = await lockHold(tx, jobId);
      const revenue = accounts.platformRevenue(mode);
      const positiveOn = (
        postings: readonly { amountMicros: bigint; account: { key: string } }[],
        key: string,
      ): bigint =>
        postings.find((posting) => posting.account.key === key && posting.amountMicros > 0n)?.amountMicros ??
        0n;
      const postingsSelect = {
        jobId: true,
        postings: { select: { amountMicros: true, account: { select: { key: true } } } },
      } as const;
      const idempotencyKey = refundIdempotencyKey(disputeId);
      const previous = await tx.ledgerTransaction.findUnique({
        where: { idempotencyKey },
        select: postingsSelect,
      });
      if (previous)
        return { refundedMicros: positiveOn(previous.postings, accounts.orgCredit(hold.orgId, mode).key) };
      const capture = await tx.ledgerTransaction.findUnique({
        where: { idempotencyKey: captureIdempotencyKey(assignmentId) },
        select: postingsSelect,
      });
      if (!capture) return { refundedMicros: 0n };
      if (capture.jobId !== jobId) {
        throw new DomainError(
          "INTERNAL",
          `assignment ${assignmentId} was charged to job ${capture.jobId ?? "?"}`,
        );
      }
      // Exactly what the capture moved into platform revenue goes back where the charge came from.
      const captured = positiveOn(capture.postings, revenue.key);
      if (captured === 0n) return { refundedMicros: 0n };
      await writeTransaction(tx, {
        kind: "dispute_refund",
        mode,
        jobId,
        assignmentId,
        idempotencyKey,
        memo: `dispute ${disputeId} refunded`,
        postings: transfer(revenue, accounts.orgCredit(hold.orgId, mode), captured),
      });
      return { refundedMicros: captured };
    },

    async recordCardPayment({ orgId, micros, paymentIntentId, memo }) {
      if (micros <= 0n) throw new DomainError("VALIDATION", "micros: a card payment must be positive");
      if (paymentIntentId.length === 0) throw new DomainError("VALIDATION", "paymentIntentId: required");
      const idempotencyKey = cardPaymentIdempotencyKey(paymentIntentId);
      const mode: Mode = "live";
      const booked = async (): Promise<boolean> =>
        (await db.ledgerTransaction.findUnique({ where: { idempotencyKey }, select: { id: true } })) !== null;
      if (await booked()) return { credited: false };
      try {
        await db.$transaction(async (tx) => {
          await lockOrgBooks(tx, orgId, mode);
          await writeTransaction(tx, {
            kind: "credit_purchase",
            mode,
            idempotencyKey,
            memo: memo ?? `card payment ${paymentIntentId}`,
            postings: transfer(accounts.stripeClearing(mode), accounts.orgCredit(orgId, mode), micros),
          });
        }, TRANSACTION_OPTIONS);
        return { credited: true };
      } catch (error) {
        // A concurrent delivery of the same event won the unique index: the payment is booked once.
        if (isUniqueViolation(error) && (await booked())) return { credited: false };
        throw error;
      }
    },

    async accrueEarning(tx, { jobId, assignmentId, testerId, micros }) {
      assertAmount("micros", micros);
      if (micros === 0n) return;
      const job = await tx.job.findUnique({ where: { id: jobId }, select: { mode: true } });
      if (!job) throw new DomainError("NOT_FOUND", `job ${jobId} not found`);
      const mode = job.mode;
      await lockTesterBooks(tx, testerId, mode);
      const idempotencyKey = earningIdempotencyKey(assignmentId);
      if (await tx.ledgerTransaction.findUnique({ where: { idempotencyKey }, select: { id: true } })) return;
      await writeTransaction(tx, {
        kind: "tester_earning",
        mode,
        jobId,
        assignmentId,
        idempotencyKey,
        postings: transfer(accounts.platformRevenue(mode), accounts.testerPayable(testerId, mode), micros),
      });
    },

    async testerBalance(testerId, mode, tx) {
      const client = tx ?? db;
      const payableMicros = await accountBalance(client, accounts.testerPayable(testerId, mode));
      const paidMicros = await accountBalance(client, accounts.testerPaid(testerId, mode));
      return { payableMicros, paidMicros };
    },

    async payOut(tx, { testerId, micros, payoutId }) {
      if (micros <= 0n) throw new DomainError("VALIDATION", "micros: a payout must be positive");
      const mode: Mode = "live";
      await lockTesterBooks(tx, testerId, mode);
      const idempotencyKey = payoutIdempotencyKey(payoutId);
      if (await tx.ledgerTransaction.findUnique({ where: { idempotencyKey }, select: { id: true } })) return;
      const payable = await accountBalance(tx, accounts.testerPayable(testerId, mode));
      if (payable < micros) {
        throw new DomainError(
          "CONFLICT",
          `Payout ${formatUsd(micros)} exceeds the tester's unpaid earnings of ${formatUsd(payable)}`,
          { details: { payableMicros: payable.toString(), requestedMicros: micros.toString() } },
        );
      }
      await writeTransaction(tx, {
        kind: "payout",
        mode,
        idempotencyKey,
        memo: `payout ${payoutId}`,
        postings: transfer(
          accounts.testerPayable(testerId, mode),
          accounts.testerPaid(testerId, mode),
          micros,
        ),
      });
    },

    async reversePayout(tx, { testerId, payoutId }) {
      const mode: Mode = "live";
      await lockTesterBooks(tx, testerId, mode);
      const reversalKey = payoutReversalIdempotencyKey(payoutId);
      const paidKey = accounts.testerPaid(testerId, mode).key;
      const select = {
        postings: { select: { amountMicros: true, account: { select: { key: true } } } },
      } as const;
      const previous = await tx.ledgerTransaction.findUnique({
        where: { idempotencyKey: reversalKey },
        select,
      });
      const paidOn = (postings: readonly { amountMicros: bigint; account: { key: string } }[]): bigint =>
        postings.find((posting) => posting.account.key === paidKey && posting.amountMicros > 0n)
          ?.amountMicros ?? 0n;
      if (previous) {
        const back = previous.postings.find((posting) => posting.account.key === paidKey)?.amountMicros ?? 0n;
        return { reversedMicros: -back };
      }
      const payout = await tx.ledgerTransaction.findUnique({
        where: { idempotencyKey: payoutIdempotencyKey(payoutId) },
        select,
      });
      if (!payout) return { reversedMicros: 0n };
      const paid = paidOn(payout.postings);
      if (paid === 0n) return { reversedMicros: 0n };
      await writeTransaction(tx, {
        kind: "payout_reversal",
        mode,
        idempotencyKey: reversalKey,
        memo: `payout ${payoutId} failed`,
        postings: transfer(accounts.testerPaid(testerId, mode), accounts.testerPayable(testerId, mode), paid),
      });
      return { reversedMicros: paid };
    },

    /** Returns the hold's lifetime figures: captured + released = everything ever held for the job. */
    async closeHold(tx, { jobId }) {
      const { hold, mode } = await lockHold(tx, jobId);
      if (hold.status !== "active") {
        // Closing twice (a retried settlement) reports the same figures and moves nothing.
        return { capturedMicros: hold.capturedMicros, releasedMicros: hold.releasedMicros };
      }
      const remaining = remainingOf(hold);
      if (remaining > 0n) {
        await writeTransaction(tx, {
          kind: "hold_release",
          mode,
          jobId,
          memo: "hold closed",
          postings: transfer(
            accounts.orgHold(hold.orgId, mode),
            accounts.orgCredit(hold.orgId, mode),
            remaining,
          ),
        });
      }
      const releasedMicros = hold.releasedMicros + remaining;
      await tx.hold.update({
        where: { jobId },
        data: { releasedMicros, status: hold.capturedMicros > 0n ? "settled" : "released" },
      });
      return { capturedMicros: hold.capturedMicros, releasedMicros };
    },
  };
}
