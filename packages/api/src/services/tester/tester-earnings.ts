// A tester's own money: past assignments with what each earned, the earnings summary, and payouts.
import {
  type AssignmentStatus,
  CHARGEABLE_ASSIGNMENT_STATUSES,
  isChargeableAssignmentStatus,
  isTerminalAssignmentStatus,
  parseOrThrow,
  resolveTesterShareBps,
  testerEarnings,
} from "@eyeball/core";
import { type Assignment, type DisputeStatus, type Job, type PayoutStatus, type Prisma } from "@eyeball/db";

import {
  decodeCursor,
  encodeCursor,
  MAX_PAGE_LIMIT,
  type PageRequest,
  pageRequestSchema,
} from "../../pagination";
import { slotDurationSeconds } from "../jobs/job-result";
import { toMicros } from "../jobs/job-terms";
import { payoutIdempotencyKey } from "../ledger";
import { type Db, type Ledger } from "../types";

/** Default page size of the tester's history and payouts. */
export const TESTER_PAGE_LIMIT = 25;
/** Months in the earnings summary's `byMonth`, the current one included. */
export const EARNINGS_MONTHS = 12;

/** One page of a tester list: pass `nextCursor` back as `cursor`; null on the last page. */
export interface TesterPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TesterHistoryItem {
  assignmentId: string;
  jobId: string;
  /** The job's title, or the URL's host when it has none. */
  title: string;
  url: string;
  projectName: string | null;
  status: AssignmentStatus;
  claimedAt: Date | null;
  submittedAt: Date | null;
  finishedAt: Date | null;
  /** Billable seconds worked (claim to submission, rounded up, capped at the allowed time); null until finished. */
  durationSeconds: number | null;
  /** Released earnings once the settlement is approved; until then the share the charge will release. */
  earningsMicros: number;
  /** True when the job's settlement is approved, so `earningsMicros` is final. */
  earningsReleased: boolean;
  /** The owner disputed this assignment (open, upheld or refunded). */
  disputed: boolean;
}

export interface TesterEarningsMonth {
  /** UTC calendar month, "2026-12". */
  month: string;
  earnedMicros: number;
  /** Earning assignments that finished in the month. */
  assignments: number;
}

export interface TesterEarnings {
  currency: "usd";
  /** Everything earned: pendingMicros + released earnings. */
  totalMicros: number;
  /** Earned in jobs whose settlement is not approved yet (still unsettled, or in the dispute window). */
  pendingMicros: number;
  /** Released earnings not yet paid out nor in a pending payout. */
  availableMicros: number;
  /** Sum of paid payouts. */
  paidMicros: number;
  /** Sum of payouts recorded but not yet paid. */
  payoutPendingMicros: number;
  /** The last 12 UTC months, oldest first, months without earnings included as zero. */
  byMonth: TesterEarningsMonth[];
}

export interface TesterPayoutView {
  id: string;
  amountMicros: number;
  status: PayoutStatus;
  createdAt: Date;
  paidAt: Date | null;
  note: string | null;
}

type EarningSlot = Pick<Assignment, "status" | "costMicros" | "earningsMicros"> & {
  job: Pick<Job, "mode" | "settlementState">;
  dispute: { status: DisputeStatus } | null;
};

/**
 * What one assignment earns the tester, the one rule behind history and summary: only charged,
 * billable live slots earn; a refunded dispute earns nothing; an approved settlement has released
 * the amount on the row, before approval it is the tester share of the charge (as approve computes it).
 */
export function assignmentEarnings(
  slot: EarningSlot,
  testerShareBps: number,
): { micros: number; released: boolean } {
  const released = slot.job.settlementState === "approved";
  if (
    slot.job.mode !== "live" ||
    !isChargeableAssignmentStatus(slot.status) ||
    slot.costMicros <= 0n ||
    slot.dispute?.status === "refunded"
  ) {
    return { micros: 0, released };
  }
  if (released) return { micros: Number(slot.earningsMicros), released };
  return { micros: testerEarnings(toMicros(slot.costMicros), testerShareBps).tester, released };
}

/** A job's display title: its own, else the host of its URL. */
export function titleOf(job: Pick<Job, "title" | "url">): string {
  const own = job.title?.trim();
  if (own) return own;
  try {
    return new URL(job.url).host || job.url;
  } catch {
    return job.url;
  }
}

function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The last `count` UTC months up to and including `now`'s, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    months.push(monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))));
  }
  return months;
}

function pageQuery(input: unknown): { limit: number; position: { at: Date; id: string } | null } {
  const query: PageRequest = parseOrThrow(pageRequestSchema, input ?? {});
  const limit = Math.min(MAX_PAGE_LIMIT, query.limit ?? TESTER_PAGE_LIMIT);
  if (!query.cursor) return { limit, position: null };
  const [atMs, id] = decodeCursor(query.cursor, ["number", "string"]) as [number, string];
  return { limit, position: { at: new Date(atMs), id } };
}

function pageOf<R, V>(rows: R[], limit: number, at: (row: R) => [Date, string], view: (row: R) => V) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const position = last ? at(last) : null;
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && position ? encodeCursor([position[0].getTime(), position[1]]) : null,
  };
}

export interface TesterEarningsDeps {
  db: Db;
  /** Approved earnings and payouts are the ledger's figures (tester_payable, tester_paid). */
  ledger: Pick<Ledger, "testerBalance">;
  now: () => Date;
  /** The deployment's share; a tester's or organisation's override takes precedence (resolveTesterShareBps). */
  testerShareBps: number;
}

/** Live payouts recorded as rows but not (yet) booked on the ledger as `payout:<id>`: still owed from payable. */
async function unbookedPayoutMicros(db: Db, testerId: string): Promise<number> {
  const rows = await db.payout.findMany({
    where: { testerId, status: { in: ["pending", "paid"] } },
    select: { id: true, amountMicros: true },
  });
  if (rows.length === 0) return 0;
  const booked = await db.ledgerTransaction.findMany({
    where: { idempotencyKey: { in: rows.map((row) => payoutIdempotencyKey(row.id)) } },
    select: { idempotencyKey: true },
  });
  const bookedKeys = new Set(booked.map((row) => row.idempotencyKey));
  return rows
    .filter((row) => !bookedKeys.has(payoutIdempotencyKey(row.id)))
    .reduce((sum, row) => sum + Number(row.amountMicros), 0);
}

export function createTesterEarnings({ db, ledger, now, testerShareBps }: TesterEarningsDeps) {
  /** The share a not-yet-approved slot will release: the tester's override, else the organisation's, else the default. */
  async function shareOf(testerId: string): Promise<(orgBps: number | null) => number> {
    const profile = await db.testerProfile.findUnique({
      where: { id: testerId },
      select: { earningsShareBps: true },
    });
    return (orgBps) =>
      resolveTesterShareBps({ testerBps: profile?.earningsShareBps, orgBps, defaultBps: testerShareBps });
  }

  return {
    /** The tester's own assignments, newest claim first. */
    async history(testerId: string, input?: unknown): Promise<TesterPage<TesterHistoryItem>> {
      const { limit, position } = pageQuery(input);
      const where: Prisma.AssignmentWhereInput = {
        testerId,
        claimedAt: { not: null },
        ...(position
          ? {
              OR: [{ claimedAt: { lt: position.at } }, { claimedAt: position.at, id: { lt: position.id } }],
            }
          : {}),
      };
      const rows = await db.assignment.findMany({
        where,
        orderBy: [{ claimedAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        include: {
          job: {
            include: {
              project: { select: { name: true } },
              org: { select: { earningsShareOverrideBps: true } },
            },
          },
          dispute: { select: { status: true } },
        },
      });
      const share = await shareOf(testerId);
      return pageOf(
        rows,
        limit,
        (row) => [row.claimedAt ?? row.createdAt, row.id],
        (row): TesterHistoryItem => {
          const earned = assignmentEarnings(row, share(row.job.org.earningsShareOverrideBps));
          const finished = isTerminalAssignmentStatus(row.status);
          return {
            assignmentId: row.id,
            jobId: row.jobId,
            title: titleOf(row.job),
            url: row.job.url,
            projectName: row.job.project?.name ?? null,
            status: row.status,
            claimedAt: row.claimedAt,
            submittedAt: row.submittedAt,
            finishedAt: row.finishedAt,
            durationSeconds: !finished
              ? null
              : isChargeableAssignmentStatus(row.status)
                ? slotDurationSeconds(row, row.job)
                : 0,
            earningsMicros: earned.micros,
            earningsReleased: earned.released,
            disputed: row.dispute !== null,
          };
        },
      );
    },

    /** Totals over every earning assignment and payout of the tester. */
    async earnings(testerId: string): Promise<TesterEarnings> {
      const slots = await db.assignment.findMany({
        where: {
          testerId,
          status: { in: [...CHARGEABLE_ASSIGNMENT_STATUSES] },
          costMicros: { gt: 0n },
          job: { mode: "live" },
        },
        select: {
          status: true,
          costMicros: true,
          earningsMicros: true,
          finishedAt: true,
          submittedAt: true,
          claimedAt: true,
          createdAt: true,
          job: {
            select: {
              mode: true,
              settlementState: true,
              org: { select: { earningsShareOverrideBps: true } },
            },
          },
          dispute: { select: { status: true } },
        },
      });
      const share = await shareOf(testerId);
      const months = new Map(
        lastMonths(now(), EARNINGS_MONTHS).map((month) => [
          month,
          { month, earnedMicros: 0, assignments: 0 },
        ]),
      );
      let pendingMicros = 0;
      for (const slot of slots) {
        const earned = assignmentEarnings(slot, share(slot.job.org.earningsShareOverrideBps));
        if (earned.micros === 0) continue;
        if (!earned.released) pendingMicros += earned.micros;
        const bucket = months.get(
          monthOf(slot.finishedAt ?? slot.submittedAt ?? slot.claimedAt ?? slot.createdAt),
        );
        if (bucket) {
          bucket.earnedMicros += earned.micros;
          bucket.assignments += 1;
        }
      }

      const payouts = await db.payout.groupBy({
        by: ["status"],
        where: { testerId },
        _sum: { amountMicros: true },
      });
      const payoutSum = (status: PayoutStatus) =>
        Number(payouts.find((row) => row.status === status)?._sum.amountMicros ?? 0n);
      const paidMicros = payoutSum("paid");
      const payoutPendingMicros = payoutSum("pending");
      // Approved earnings are the ledger's: payable (approved, not paid out) + paid out (payouts
      // less reversals). A payout recorded without its ledger booking is still spoken for.
      const books = await ledger.testerBalance(testerId, "live");
      const releasedMicros = Number(books.payableMicros + books.paidMicros);
      const availableMicros = Number(books.payableMicros) - (await unbookedPayoutMicros(db, testerId));
      return {
        currency: "usd",
        totalMicros: releasedMicros + pendingMicros,
        pendingMicros,
        availableMicros,
        paidMicros,
        payoutPendingMicros,
        byMonth: [...months.values()],
      };
    },

    /** The tester's payouts, newest first. */
    async payouts(testerId: string, input?: unknown): Promise<TesterPage<TesterPayoutView>> {
      const { limit, position } = pageQuery(input);
      const rows = await db.payout.findMany({
        where: {
          testerId,
          ...(position
            ? {
                OR: [{ createdAt: { lt: position.at } }, { createdAt: position.at, id: { lt: position.id } }],
              }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      return pageOf(
        rows,
        limit,
        (row) => [row.createdAt, row.id],
        (row): TesterPayoutView => ({
          id: row.id,
          amountMicros: Number(row.amountMicros),
          status: row.status,
          createdAt: row.createdAt,
          paidAt: row.paidAt,
          note: row.note,
        }),
      );
    },
  };
}

export type TesterEarningsService = ReturnType<typeof createTesterEarnings>;
