// The organisation's statement: every ledger transaction touching its credit or hold account, newest first, with the balance after each.
import { z } from "zod";

import { DomainError, MICROS_PER_USD, micros as toMicros, microsToUsd, parseOrThrow } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { decodeCursor, encodeCursor, type Page, pageLimit, pageRequestSchema } from "../../pagination";
import { ledgerAccounts } from "../ledger";
import { type Db, type Mode } from "../types";

/** Transaction kinds a person reads; anything newer falls back to its kind in words. */
const KIND_LABELS: Record<string, string> = {
  credit_grant: "Credit grant",
  credit_purchase: "Card payment",
  sandbox_topup: "Sandbox top-up",
  hold_place: "Hold placed",
  hold_raise: "Hold raised",
  hold_release: "Hold released",
  hold_capture: "Charge captured",
  dispute_refund: "Dispute refund",
  refund: "Refund",
};

/** Credits that arrived from outside the books: each one is a receipt. */
export const RECEIPT_KINDS = ["credit_grant", "credit_purchase"] as const;

export function kindLabel(kind: string): string {
  const known = KIND_LABELS[kind];
  if (known) return known;
  const text = kind.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One statement row in micros, before it meets the API edge. */
export interface StatementEntry {
  id: string;
  /** Order of the row in the books: the transaction's last posting to the org's accounts. */
  seq: bigint;
  createdAt: Date;
  kind: string;
  memo: string | null;
  jobId: string | null;
  balanceChangeMicros: bigint;
  heldChangeMicros: bigint;
  balanceAfterMicros: bigint;
  heldAfterMicros: bigint;
}

export interface LedgerEntryView {
  id: string;
  createdAt: Date;
  /** The ledger's own kind (`hold_place`, …) and its name for people ("Hold placed"). */
  kind: string;
  kindLabel: string;
  memo: string | null;
  jobId: string | null;
  /** Signed change of the balance (credit + held): grants add, captured charges subtract. */
  balanceChangeUsd: number;
  /** Signed change of what is held: holds add, captures and releases subtract. */
  heldChangeUsd: number;
  balanceAfterUsd: number;
  heldAfterUsd: number;
  availableAfterUsd: number;
}

export interface StatementRange {
  from?: Date | undefined;
  to?: Date | undefined;
}

const dateBound = z.union([
  z.date({ error: "must be an ISO-8601 date-time" }),
  z.iso
    .datetime({ offset: true, error: "must be an ISO-8601 date-time" })
    .or(z.iso.date({ error: "must be an ISO-8601 date-time" }))
    .transform((text) => new Date(text)),
]);

const rangeShape = {
  /** Inclusive lower bound on the transaction time. */
  from: dateBound.nullish(),
  /** Exclusive upper bound on the transaction time. */
  to: dateBound.nullish(),
};

export const ledgerPageSchema = pageRequestSchema.extend(rangeShape).strict();
export const ledgerRangeSchema = z.strictObject(rangeShape);

export function parseLedgerPage(input: unknown) {
  const parsed = parseOrThrow(ledgerPageSchema, input ?? {});
  assertRange(parsed.from ?? undefined, parsed.to ?? undefined);
  return parsed;
}

export function parseLedgerRange(input: unknown): StatementRange {
  const parsed = parseOrThrow(ledgerRangeSchema, input ?? {});
  assertRange(parsed.from ?? undefined, parsed.to ?? undefined);
  return { from: parsed.from ?? undefined, to: parsed.to ?? undefined };
}

function assertRange(from: Date | undefined, to: Date | undefined): void {
  if (from && to && from.getTime() >= to.getTime()) {
    throw new DomainError("VALIDATION", "to: must be after from", { details: { field: "to" } });
  }
}

/** Exact bigint micros → USD number (amounts stay far below 2^53 micros). */
export function microsUsd(amount: bigint): number {
  return microsToUsd(toMicros(Number(amount)));
}

/** Exact USD with six decimals for CSV: -1234.500000. */
export function usdDecimal(amount: bigint): string {
  const per = BigInt(MICROS_PER_USD);
  const sign = amount < 0n ? "-" : "";
  const absolute = amount < 0n ? -amount : amount;
  return `${sign}${(absolute / per).toString()}.${(absolute % per).toString().padStart(6, "0")}`;
}

export function entryView(entry: StatementEntry): LedgerEntryView {
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    kind: entry.kind,
    kindLabel: kindLabel(entry.kind),
    memo: entry.memo,
    jobId: entry.jobId,
    balanceChangeUsd: microsUsd(entry.balanceChangeMicros),
    heldChangeUsd: microsUsd(entry.heldChangeMicros),
    balanceAfterUsd: microsUsd(entry.balanceAfterMicros),
    heldAfterUsd: microsUsd(entry.heldAfterMicros),
    availableAfterUsd: microsUsd(entry.balanceAfterMicros - entry.heldAfterMicros),
  };
}

/** The org's credit and hold account ids in `mode` (null when nothing was ever booked there). */
export async function orgAccountIds(
  db: Db,
  orgId: string,
  mode: Mode,
): Promise<{ credit: string | null; hold: string | null }> {
  const keys = [ledgerAccounts.orgCredit(orgId, mode).key, ledgerAccounts.orgHold(orgId, mode).key];
  const rows = await db.ledgerAccount.findMany({
    where: { key: { in: keys } },
    select: { id: true, key: true },
  });
  return {
    credit: rows.find((row) => row.key === keys[0])?.id ?? null,
    hold: rows.find((row) => row.key === keys[1])?.id ?? null,
  };
}

const NO_CURSOR = 9_223_372_036_854_775_807n;

/** Balance and held right after posting `seq`: the org's postings up to it (an index range on (accountId, id)). */
export async function balanceThrough(
  db: Db,
  ids: { credit: string | null; hold: string | null },
  seq: bigint,
): Promise<{ balance: bigint; held: bigint }> {
  const accountIds = [ids.credit, ids.hold].filter((id): id is string => id !== null);
  if (accountIds.length === 0) return { balance: 0n, held: 0n };
  const rows = await db.$queryRaw<{ balance: string | null; held: string | null }[]>(Prisma.sql`
    SELECT SUM(p."amountMicros")::text AS "balance",
           SUM(CASE WHEN p."accountId" = ${ids.hold ?? ""} THEN p."amountMicros" ELSE 0 END)::text AS "held"
    FROM "ledger_postings" p
    WHERE p."accountId" IN (${Prisma.join(accountIds)}) AND p."id" <= ${seq}`);
  return { balance: BigInt(rows[0]?.balance ?? "0"), held: BigInt(rows[0]?.held ?? "0") };
}

/**
 * One page of the statement. Rows are transactions ordered by their last posting to the org's
 * accounts (posting ids are the books' insertion order, and balance-after is a running sum in that
 * order). The page is found by walking the (accountId, id) index backwards per account, so a page
 * costs a bounded number of rows however long the ledger is; only balance-after sums the range below.
 */
export async function statementPage(
  db: Db,
  input: { orgId: string; mode: Mode; cursor?: string | null; limit?: number; from?: Date; to?: Date },
): Promise<Page<StatementEntry>> {
  const limit = pageLimit(input.limit);
  const ids = await orgAccountIds(db, input.orgId, input.mode);
  const accountIds = [ids.credit, ids.hold].filter((id): id is string => id !== null);
  if (accountIds.length === 0) return { data: [], next: null };
  let cursorSeq = NO_CURSOR;
  if (input.cursor) {
    const position = String(decodeCursor(input.cursor, ["string"])[0]);
    if (!/^\d{1,19}$/.test(position)) {
      throw new DomainError("VALIDATION", "cursor: is not a valid cursor", { details: { field: "cursor" } });
    }
    cursorSeq = BigInt(position);
  }

  const timeFilter = Prisma.sql`${input.from ? Prisma.sql`AND t."createdAt" >= ${input.from}` : Prisma.empty}
    ${input.to ? Prisma.sql`AND t."createdAt" < ${input.to}` : Prisma.empty}`;
  // A transaction posts at most twice to the org's accounts, so 2 × (limit + 1) postings usually
  // name limit + 1 transactions; the loop reads further only when they do not.
  const window = 2 * (limit + 1);
  const candidates: string[] = [];
  let before = cursorSeq;
  for (;;) {
    const perAccount = accountIds.map(
      (accountId) => Prisma.sql`(SELECT p."id", p."transactionId" FROM "ledger_postings" p
        JOIN "ledger_transactions" t ON t."id" = p."transactionId"
        WHERE p."accountId" = ${accountId} AND p."id" < ${before} ${timeFilter}
        ORDER BY p."id" DESC LIMIT ${window})`,
    );
    const rows = await db.$queryRaw<{ id: bigint; transactionId: string }[]>(Prisma.sql`
      SELECT u."id", u."transactionId" FROM (${Prisma.join(perAccount, " UNION ALL ")}) u
      ORDER BY u."id" DESC LIMIT ${window}`);
    for (const row of rows) {
      if (!candidates.includes(row.transactionId)) candidates.push(row.transactionId);
    }
    const last = rows.at(-1);
    if (candidates.length > limit || rows.length < window || !last) break;
    before = last.id;
  }

  const chosen = candidates.slice(0, limit + 1);
  const [postings, transactions] = await Promise.all([
    db.ledgerPosting.findMany({
      where: { transactionId: { in: chosen }, accountId: { in: accountIds } },
      select: { id: true, transactionId: true, accountId: true, amountMicros: true },
    }),
    db.ledgerTransaction.findMany({
      where: { id: { in: chosen } },
      select: { id: true, kind: true, memo: true, jobId: true, createdAt: true },
    }),
  ]);
  const entries = transactions
    .map((transaction) => {
      const own = postings.filter((posting) => posting.transactionId === transaction.id);
      let seq = 0n;
      let balance = 0n;
      let held = 0n;
      for (const posting of own) {
        if (posting.id > seq) seq = posting.id;
        balance += posting.amountMicros;
        if (posting.accountId === ids.hold) held += posting.amountMicros;
      }
      return { transaction, seq, balance, held };
    })
    // A transaction whose last posting is at or past the cursor was on an earlier page.
    .filter((entry) => entry.seq < cursorSeq)
    .sort((a, b) => (a.seq === b.seq ? 0 : a.seq > b.seq ? -1 : 1));

  const page = entries.slice(0, limit);
  const top = page[0];
  if (!top) return { data: [], next: null };
  let after = await balanceThrough(db, ids, top.seq);
  const data: StatementEntry[] = page.map((entry) => {
    const row: StatementEntry = {
      id: entry.transaction.id,
      seq: entry.seq,
      createdAt: entry.transaction.createdAt,
      kind: entry.transaction.kind,
      memo: entry.transaction.memo,
      jobId: entry.transaction.jobId,
      balanceChangeMicros: entry.balance,
      heldChangeMicros: entry.held,
      balanceAfterMicros: after.balance,
      heldAfterMicros: after.held,
    };
    // Rows in the time range may skip rows outside it: the next row's "after" is read, not derived.
    after = { balance: after.balance - entry.balance, held: after.held - entry.held };
    return row;
  });
  if (input.from || input.to) {
    // With a time filter, rows of the range need not be adjacent in the books.
    for (const row of data.slice(1)) {
      const through = await balanceThrough(db, ids, row.seq);
      row.balanceAfterMicros = through.balance;
      row.heldAfterMicros = through.held;
    }
  }
  const lastRow = data.at(-1);
  return {
    data,
    next: entries.length > limit && lastRow ? encodeCursor([lastRow.seq.toString()]) : null,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const STATEMENT_CSV_HEADER = [
  "transaction_id",
  "time_utc",
  "kind",
  "description",
  "memo",
  "job_id",
  "balance_change_usd",
  "held_change_usd",
  "balance_after_usd",
  "held_after_usd",
  "available_after_usd",
] as const;

/** The statement as CSV: a header row, one CRLF-terminated row per transaction, newest first. */
export function statementCsv(entries: readonly StatementEntry[]): string {
  const lines = [STATEMENT_CSV_HEADER.join(",")];
  for (const entry of entries) {
    lines.push(
      [
        entry.id,
        entry.createdAt.toISOString(),
        entry.kind,
        kindLabel(entry.kind),
        entry.memo ?? "",
        entry.jobId ?? "",
        usdDecimal(entry.balanceChangeMicros),
        usdDecimal(entry.heldChangeMicros),
        usdDecimal(entry.balanceAfterMicros),
        usdDecimal(entry.heldAfterMicros),
        usdDecimal(entry.balanceAfterMicros - entry.heldAfterMicros),
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
