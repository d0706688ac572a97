// Tester payouts: operator-recorded payouts, Stripe Connect onboarding and transfers (on request, on a schedule), and their views.
import Stripe from "stripe";
import { z } from "zod";

import { DomainError, isDomainError, parseOrThrow } from "@eyeball/core";
import { isUniqueViolation, type Payout, type PayoutStatus } from "@eyeball/db";

import { type ApiConfig } from "../../config";
import { decodeCursor, type Page, pageByCreatedAt, pageLimit, pageRequestSchema } from "../../pagination";
import { microsUsd } from "../billing/statement";
import { formatUsd } from "../ledger";
import { type ServiceDeps, type Tx } from "../types";
import { centsOf, parsePayoutUsd, wholeCents } from "./payout-amounts";

/** Same generous limits as the ledger: PGlite queues transactions. */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export const PAYOUT_STATUSES = ["pending", "paid", "failed"] as const satisfies readonly PayoutStatus[];

/** Stripe's idempotency key of a payout's transfer: a retry (reconcile, the SDK) never transfers twice. */
export function transferIdempotencyKey(payoutId: string): string {
  return `payout_${payoutId}`;
}

/** Who records a manual payout: an admin's user id, or null for the operator CLI. */
export interface PayoutOperator {
  userId: string | null;
}

/** The tester asking (a tester session). */
export interface PayoutTester {
  testerId: string;
}

export interface PayoutView {
  id: string;
  testerId: string;
  /** Exact amount in micro-dollars (always whole cents). */
  amountMicros: number;
  amountUsd: number;
  method: "stripe" | "manual";
  status: PayoutStatus;
  stripeTransferId: string | null;
  failureReason: string | null;
  note: string | null;
  createdAt: Date;
  paidAt: Date | null;
}

export interface AdminPayoutView extends PayoutView {
  tester: { alias: string; email: string };
  recordedByUserId: string | null;
}

export interface RecordedPayout extends AdminPayoutView {
  /** The idempotency key named an earlier, identical payout: nothing new was written. */
  replayed: boolean;
}

export interface PayoutsSummary {
  /** Approved earnings not yet paid out. */
  payableUsd: number;
  /** Paid out and settled (Stripe transfers made, operator-recorded payouts). */
  paidUsd: number;
  /** Booked for a Stripe transfer that has not completed yet. */
  pendingUsd: number;
  payoutsEnabled: boolean;
  stripeConfigured: boolean;
  connectAccountId?: string;
  minimumUsd: number;
}

export interface ScheduledRunReport {
  paid: PayoutView[];
  failed: PayoutView[];
  /** Still pending: Stripe's answer was not definite; reconcile() retries it. */
  pending: PayoutView[];
}

export const recordPayoutInputSchema = z.strictObject({
  testerEmail: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(320),
  usd: z.union([z.number(), z.string()], { error: "must be an amount of USD such as 25 or 12.50" }),
  note: z
    .string({ error: "must be a string" })
    .trim()
    .max(500, { error: "must be at most 500 characters" })
    .optional(),
  idempotencyKey: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(200, { error: "must be at most 200 characters" })
    .optional(),
});
export type RecordPayoutInput = z.input<typeof recordPayoutInputSchema>;

export const adminPayoutsInputSchema = pageRequestSchema.extend({
  status: z.enum(PAYOUT_STATUSES, { error: `must be one of ${PAYOUT_STATUSES.join(", ")}` }).optional(),
});

export interface PayoutsOptions {
  /** The Stripe client (createStripeClient(config.stripe)), or null when Stripe is not configured. */
  stripe: Stripe | null;
  /** Where Stripe sends the tester after onboarding (default `<publicUrl>/payouts/connect/return`). */
  onboardingReturnUrl?: string;
  /** Where Stripe sends the tester when the link expired (default `<publicUrl>/payouts/connect/refresh`). */
  onboardingRefreshUrl?: string;
}

export type PayoutsDeps = Pick<ServiceDeps, "db" | "clock" | "ledger"> & { config: ApiConfig };

type PayoutRow = Payout;

function viewOf(row: PayoutRow): PayoutView {
  return {
    id: row.id,
    testerId: row.testerId,
    amountMicros: Number(row.amountMicros),
    amountUsd: microsUsd(row.amountMicros),
    method: row.method === "stripe" ? "stripe" : "manual",
    status: row.status,
    stripeTransferId: row.stripeTransferId,
    failureReason: row.failureReason,
    note: row.note,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
  };
}

function adminViewOf(
  row: PayoutRow & { tester: { alias: string; user: { email: string } } },
): AdminPayoutView {
  return {
    ...viewOf(row),
    tester: { alias: row.tester.alias, email: row.tester.user.email },
    recordedByUserId: row.recordedByUserId,
  };
}

const withTester = { tester: { select: { alias: true, user: { select: { email: true } } } } } as const;

function pageQuery(cursor: string | null | undefined) {
  if (!cursor) return {};
  const [atMs, id] = decodeCursor(cursor, ["number", "string"]) as [number, string];
  const at = new Date(atMs);
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
}

/**
 * Whether Stripe's refusal is final. A card-style refusal (4xx: no such destination, insufficient
 * platform balance) is; a dropped connection, a 5xx, a 409 (a concurrent request with the same
 * idempotency key) or a 429 is not: the transfer may exist, so the payout stays pending and
 * reconcile() asks again with the same idempotency key.
 */
function isDefiniteRefusal(error: unknown): error is Stripe.errors.StripeError {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  const status = error.statusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429;
}

export function createPayoutsService(deps: PayoutsDeps, options: PayoutsOptions) {
  const { db, clock, ledger, config } = deps;
  const { stripe } = options;
  const minimumMicros = BigInt(Math.round(config.payouts.minimumUsd * 100)) * 10_000n;
  const returnUrl = options.onboardingReturnUrl ?? `${config.publicUrl}/payouts/connect/return`;
  const refreshUrl = options.onboardingRefreshUrl ?? `${config.publicUrl}/payouts/connect/refresh`;

  function requireStripe(): Stripe {
    if (!stripe) {
      throw new DomainError(
        "CONFLICT",
        "Stripe payouts are not configured on this server; the platform operator records payouts instead",
      );
    }
    return stripe;
  }

  async function profileOf(testerId: string) {
    const profile = await db.testerProfile.findUnique({
      where: { id: testerId },
      select: {
        id: true,
        stripeConnectAccountId: true,
        stripePayoutsEnabled: true,
        user: { select: { email: true } },
      },
    });
    if (!profile) throw new DomainError("NOT_FOUND", `No tester ${testerId}`);
    return profile;
  }

  /** Marks a booked Stripe payout failed and puts its money back on the tester's payable balance. */
  async function failPayout(payoutId: string, reason: string, transferId?: string): Promise<PayoutRow> {
    return db.$transaction(async (tx) => {
      const row = await tx.payout.findUniqueOrThrow({ where: { id: payoutId } });
      await ledger.reversePayout(tx, { testerId: row.testerId, payoutId });
      if (row.status === "failed") return row;
      return tx.payout.update({
        where: { id: payoutId },
        data: {
          status: "failed",
          failureReason: reason,
          paidAt: null,
          ...(transferId !== undefined && row.stripeTransferId === null
            ? { stripeTransferId: transferId }
            : {}),
        },
      });
    }, TRANSACTION_OPTIONS);
  }

  /**
   * Step 2 of a Stripe payout (its row and booking are committed): the transfer, then the row's
   * outcome. A transfer.reversed that arrived first already failed the row; `pending → paid` then
   * matches nothing and the row stays failed.
   */
  async function transferFor(row: PayoutRow, destination: string | null, now: Date): Promise<PayoutRow> {
    const client = requireStripe();
    if (destination === null) return failPayout(row.id, "The tester has no Stripe account");
    let transfer: Stripe.Transfer;
    try {
      transfer = await client.transfers.create(
        { amount: centsOf(row.amountMicros), currency: "usd", destination, metadata: { payoutId: row.id } },
        { idempotencyKey: transferIdempotencyKey(row.id) },
      );
    } catch (error) {
      if (isDefiniteRefusal(error))
        return failPayout(row.id, `Stripe refused the transfer: ${error.message}`);
      return row;
    }
    await db.payout.updateMany({
      where: { id: row.id, status: "pending" },
      data: { status: "paid", stripeTransferId: transfer.id, paidAt: now },
    });
    return db.payout.findUniqueOrThrow({ where: { id: row.id } });
  }

  /** Pays everything payable in whole cents through Stripe; CONFLICT when below the minimum. */
  async function payTester(testerId: string, destination: string, now: Date): Promise<PayoutRow> {
    const row = await db.$transaction(async (tx: Tx) => {
      const { payableMicros } = await ledger.testerBalance(testerId, "live", tx);
      const micros = wholeCents(payableMicros);
      if (micros < minimumMicros || micros <= 0n) {
        throw new DomainError(
          "CONFLICT",
          `Payable earnings of ${formatUsd(payableMicros)} are below the payout minimum of ${formatUsd(minimumMicros)}`,
          { details: { payableMicros: payableMicros.toString(), minimumMicros: minimumMicros.toString() } },
        );
      }
      const created = await tx.payout.create({
        data: { testerId, amountMicros: micros, status: "pending", method: "stripe", createdAt: now },
      });
      // Takes the tester's books lock and re-checks payable, so two requests never overdraw.
      await ledger.payOut(tx, { testerId, micros, payoutId: created.id });
      return created;
    }, TRANSACTION_OPTIONS);
    return transferFor(row, destination, now);
  }

  return {
    /** An operator-recorded payout (method manual, status paid), booked in the same transaction as its row. */
    async record(operator: PayoutOperator, input: unknown): Promise<RecordedPayout> {
      const query = parseOrThrow(recordPayoutInputSchema, input);
      const micros = parsePayoutUsd(query.usd, "usd");
      const email = query.testerEmail.toLowerCase();
      const user = await db.user.findFirst({
        where: { email: { equals: email, mode: "insensitive" } },
        select: { testerProfile: { select: { id: true } } },
      });
      const testerId = user?.testerProfile?.id;
      if (testerId === undefined) {
        throw new DomainError("NOT_FOUND", `testerEmail: no tester with email "${query.testerEmail}"`, {
          details: { field: "testerEmail" },
        });
      }
      const replay = async (): Promise<RecordedPayout | null> => {
        if (query.idempotencyKey === undefined) return null;
        const earlier = await db.payout.findUnique({
          where: { idempotencyKey: query.idempotencyKey },
          include: withTester,
        });
        if (!earlier) return null;
        if (earlier.testerId !== testerId || earlier.amountMicros !== micros || earlier.method !== "manual") {
          throw new DomainError(
            "CONFLICT",
            `idempotencyKey: already used for a payout of ${formatUsd(earlier.amountMicros)} to ${earlier.tester.user.email}`,
            { details: { field: "idempotencyKey" } },
          );
        }
        return { ...adminViewOf(earlier), replayed: true };
      };
      const previous = await replay();
      if (previous) return previous;
      const now = clock.now();
      try {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.payout.create({
            data: {
              testerId,
              amountMicros: micros,
              status: "paid",
              method: "manual",
              idempotencyKey: query.idempotencyKey ?? null,
              recordedByUserId: operator.userId,
              note: query.note === undefined || query.note === "" ? null : query.note,
              createdAt: now,
              paidAt: now,
            },
            include: withTester,
          });
          try {
            await ledger.payOut(tx, { testerId, micros, payoutId: created.id });
          } catch (error) {
            if (isDomainError(error) && error.code === "CONFLICT") {
              throw new DomainError("CONFLICT", `usd: ${error.message}`, {
                details: { field: "usd", ...error.details },
              });
            }
            throw error;
          }
          return created;
        }, TRANSACTION_OPTIONS);
        return { ...adminViewOf(row), replayed: false };
      } catch (error) {
        // A concurrent call with the same key committed first.
        if (isUniqueViolation(error)) {
          const raced = await replay();
          if (raced) return raced;
        }
        throw error;
      }
    },

    /** The tester asks for everything payable (whole cents) through Stripe Connect. */
    async request(tester: PayoutTester): Promise<PayoutView> {
      requireStripe();
      const profile = await profileOf(tester.testerId);
      if (profile.stripeConnectAccountId === null || !profile.stripePayoutsEnabled) {
        throw new DomainError(
          "CONFLICT",
          "Payouts are not enabled on your Stripe account yet: finish setting up payouts first",
        );
      }
      return viewOf(await payTester(profile.id, profile.stripeConnectAccountId, clock.now()));
    },

    /** Pays every tester with payouts enabled whose payable reaches the minimum; one tester's failure never stops the rest. */
    async runScheduled(now: Date): Promise<ScheduledRunReport> {
      const report: ScheduledRunReport = { paid: [], failed: [], pending: [] };
      if (!stripe) return report;
      const testers = await db.testerProfile.findMany({
        where: { stripePayoutsEnabled: true, stripeConnectAccountId: { not: null }, isSandbox: false },
        select: { id: true, stripeConnectAccountId: true },
        orderBy: { id: "asc" },
      });
      for (const tester of testers) {
        if (tester.stripeConnectAccountId === null) continue;
        const { payableMicros } = await ledger.testerBalance(tester.id, "live");
        const micros = wholeCents(payableMicros);
        if (micros < minimumMicros || micros <= 0n) continue;
        try {
          const row = await payTester(tester.id, tester.stripeConnectAccountId, now);
          report[row.status].push(viewOf(row));
        } catch (error) {
          // Payable moved under us (a concurrent request): the next run looks again.
          if (isDomainError(error) && error.code === "CONFLICT") continue;
          throw error;
        }
      }
      return report;
    },

    /**
     * After a crash between booking and transfer (or a transfer whose answer was lost): retries each
     * pending Stripe payout without a transfer id, older than `olderThanMs`, with its idempotency key.
     */
    async reconcile(options: { olderThanMs?: number } = {}): Promise<ScheduledRunReport> {
      const report: ScheduledRunReport = { paid: [], failed: [], pending: [] };
      if (!stripe) return report;
      const now = clock.now();
      const rows = await db.payout.findMany({
        where: {
          method: "stripe",
          status: "pending",
          stripeTransferId: null,
          createdAt: { lte: new Date(now.getTime() - (options.olderThanMs ?? 0)) },
        },
        include: { tester: { select: { stripeConnectAccountId: true } } },
        orderBy: { createdAt: "asc" },
      });
      for (const { tester, ...row } of rows) {
        const outcome = await transferFor(row, tester.stripeConnectAccountId, now);
        report[outcome.status].push(viewOf(outcome));
      }
      return report;
    },

    /** The tester's own payouts, newest first, `{data, next}`. */
    async list(tester: PayoutTester, input: unknown = {}): Promise<Page<PayoutView>> {
      const query = parseOrThrow(pageRequestSchema, input ?? {});
      const limit = pageLimit(query.limit);
      const rows = await db.payout.findMany({
        where: { testerId: tester.testerId, ...pageQuery(query.cursor) },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      return pageByCreatedAt(rows, limit, viewOf);
    },

    async summary(tester: PayoutTester): Promise<PayoutsSummary> {
      const profile = await profileOf(tester.testerId);
      const books = await ledger.testerBalance(tester.testerId, "live");
      const pending = await db.payout.aggregate({
        where: { testerId: tester.testerId, status: "pending" },
        _sum: { amountMicros: true },
      });
      // A pending Stripe payout is already booked payable → paid; it is shown apart until it completes.
      const pendingMicros = pending._sum.amountMicros ?? 0n;
      return {
        payableUsd: microsUsd(books.payableMicros),
        paidUsd: microsUsd(books.paidMicros - pendingMicros),
        pendingUsd: microsUsd(pendingMicros),
        payoutsEnabled: stripe !== null && profile.stripePayoutsEnabled,
        stripeConfigured: stripe !== null,
        ...(profile.stripeConnectAccountId === null
          ? {}
          : { connectAccountId: profile.stripeConnectAccountId }),
        minimumUsd: microsUsd(minimumMicros),
      };
    },

    /** Every payout, newest first, `{data, next}`, optionally of one status (admin). */
    async listAll(input: unknown = {}): Promise<Page<AdminPayoutView>> {
      const query = parseOrThrow(adminPayoutsInputSchema, input ?? {});
      const limit = pageLimit(query.limit);
      const rows = await db.payout.findMany({
        where: { ...(query.status ? { status: query.status } : {}), ...pageQuery(query.cursor) },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        include: withTester,
      });
      return pageByCreatedAt(rows, limit, adminViewOf);
    },

    /**
     * A Stripe onboarding link for the tester's Express account, created on first use. An existing
     * account's payouts_enabled is re-read on the way, in case an account.updated was missed.
     */
    async onboardingLink(tester: PayoutTester): Promise<{ url: string; expiresAt: Date }> {
      const client = requireStripe();
      const profile = await profileOf(tester.testerId);
      let accountId = profile.stripeConnectAccountId;
      if (accountId === null) {
        const account = await client.accounts.create(
          {
            type: "express",
            email: profile.user.email,
            capabilities: { transfers: { requested: true } },
            metadata: { testerId: profile.id },
          },
          { idempotencyKey: `connect_account_${profile.id}` },
        );
        // Two racing first calls get the same account (same idempotency key); the first write wins.
        await db.testerProfile.updateMany({
          where: { id: profile.id, stripeConnectAccountId: null },
          data: { stripeConnectAccountId: account.id, stripePayoutsEnabled: account.payouts_enabled },
        });
        accountId = (await profileOf(profile.id)).stripeConnectAccountId ?? account.id;
      } else {
        const account = await client.accounts.retrieve(accountId);
        await db.testerProfile.update({
          where: { id: profile.id },
          data: { stripePayoutsEnabled: account.payouts_enabled },
        });
      }
      const link = await client.accountLinks.create({
        account: accountId,
        type: "account_onboarding",
        refresh_url: refreshUrl,
        return_url: returnUrl,
      });
      return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
    },
  };
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;
