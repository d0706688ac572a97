// Receipts: every credit that arrived in the organisation's books (operator grants now, card payments later), with the balance after it.
import { DomainError, parseOrThrow } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { decodeCursor, encodeCursor, type Page, pageLimit, pageRequestSchema } from "../../pagination";
import { type Db, type Mode } from "../types";
import { microsUsd, orgAccountIds, RECEIPT_KINDS } from "./statement";

export interface ReceiptView {
  id: string;
  /** Printed on the receipt: `EB-<yyyymmdd>-<8 characters of the transaction id>`. */
  number: string;
  issuedAt: Date;
  mode: Mode;
  amountUsd: number;
  method: "operator grant" | "card";
  memo: string | null;
  organization: { name: string; slug: string };
  /** The organisation's balance (credit + held) right after this credit arrived. */
  balanceAfterUsd: number;
}

export function receiptNumber(id: string, issuedAt: Date): string {
  const day = issuedAt.toISOString().slice(0, 10).replace(/-/g, "");
  return `EB-${day}-${id.replace(/-/g, "").slice(-8).toUpperCase()}`;
}

interface ReceiptRow {
  seq: bigint;
  id: string;
  kind: string;
  memo: string | null;
  createdAt: Date;
  amount: string;
  balanceAfter: string;
}

/** Receipts for the org's credit account; `only` narrows to one transaction. */
async function receiptRows(
  db: Db,
  input: { orgId: string; mode: Mode; before?: bigint; take: number; only?: string },
): Promise<ReceiptRow[]> {
  const ids = await orgAccountIds(db, input.orgId, input.mode);
  if (!ids.credit) return [];
  const orgAccounts = [ids.credit, ids.hold].filter((id): id is string => id !== null);
  return db.$queryRaw<ReceiptRow[]>(Prisma.sql`
    SELECT p."id" AS "seq", t."id", t."kind", t."memo", t."createdAt", p."amountMicros"::text AS "amount",
      (SELECT SUM(q."amountMicros") FROM "ledger_postings" q
        WHERE q."accountId" IN (${Prisma.join(orgAccounts)}) AND q."id" <= p."id")::text AS "balanceAfter"
    FROM "ledger_postings" p JOIN "ledger_transactions" t ON t."id" = p."transactionId"
    WHERE p."accountId" = ${ids.credit} AND t."kind" IN (${Prisma.join([...RECEIPT_KINDS])})
      ${input.before === undefined ? Prisma.empty : Prisma.sql`AND p."id" < ${input.before}`}
      ${input.only === undefined ? Prisma.empty : Prisma.sql`AND t."id" = ${input.only}`}
    ORDER BY p."id" DESC LIMIT ${input.take}`);
}

function toView(row: ReceiptRow, mode: Mode, organization: { name: string; slug: string }): ReceiptView {
  return {
    id: row.id,
    number: receiptNumber(row.id, row.createdAt),
    issuedAt: row.createdAt,
    mode,
    amountUsd: microsUsd(BigInt(row.amount)),
    method: row.kind === "credit_purchase" ? "card" : "operator grant",
    memo: row.memo,
    organization,
    balanceAfterUsd: microsUsd(BigInt(row.balanceAfter)),
  };
}

async function organizationOf(db: Db, orgId: string) {
  return db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, slug: true } });
}

export async function listReceipts(
  db: Db,
  input: { orgId: string; mode: Mode; page: unknown },
): Promise<Page<ReceiptView>> {
  const request = parseOrThrow(pageRequestSchema.strict(), input.page ?? {});
  const limit = pageLimit(request.limit);
  let before: bigint | undefined;
  if (request.cursor) {
    const position = String(decodeCursor(request.cursor, ["string"])[0]);
    if (!/^\d{1,19}$/.test(position)) {
      throw new DomainError("VALIDATION", "cursor: is not a valid cursor", { details: { field: "cursor" } });
    }
    before = BigInt(position);
  }
  const [rows, organization] = await Promise.all([
    receiptRows(db, { orgId: input.orgId, mode: input.mode, take: limit + 1, ...(before ? { before } : {}) }),
    organizationOf(db, input.orgId),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => toView(row, input.mode, organization)),
    next: rows.length > limit && last ? encodeCursor([last.seq.toString()]) : null,
  };
}

/** One receipt of the caller's books; another organisation's is FORBIDDEN, anything else NOT_FOUND. */
export async function getReceipt(
  db: Db,
  input: { orgId: string; mode: Mode; id: string },
): Promise<ReceiptView> {
  const [rows, organization] = await Promise.all([
    receiptRows(db, { orgId: input.orgId, mode: input.mode, take: 1, only: input.id }),
    organizationOf(db, input.orgId),
  ]);
  const row = rows[0];
  if (row) return toView(row, input.mode, organization);
  const elsewhere = await db.ledgerTransaction.findFirst({
    where: {
      id: input.id,
      kind: { in: [...RECEIPT_KINDS] },
      postings: { some: { account: { kind: "org_credit", orgId: { not: input.orgId } } } },
    },
    select: { id: true },
  });
  if (elsewhere) throw new DomainError("FORBIDDEN", `receipt ${input.id} belongs to another organisation`);
  throw new DomainError("NOT_FOUND", `receipt ${input.id} not found`);
}
