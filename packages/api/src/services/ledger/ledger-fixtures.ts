// Test fixtures for the ledger suites: organisations, jobs with slots, transactions and book audits.
import { randomUUID } from "node:crypto";

import { Prisma } from "@eyeball/db";

import { type Db, type Mode, type Tx } from "../types";

export async function createOrg(db: Db): Promise<string> {
  const suffix = randomUUID().slice(0, 8);
  const org = await db.organization.create({ data: { slug: `ledger-${suffix}`, name: `Ledger ${suffix}` } });
  return org.id;
}

export interface TestJob {
  jobId: string;
  assignmentIds: string[];
}

export async function createJob(db: Db | Tx, orgId: string, mode: Mode, slots = 1): Promise<TestJob> {
  const job = await db.job.create({
    data: {
      id: `job_${randomUUID().replaceAll("-", "")}`,
      orgId,
      mode,
      source: "runhuman",
      url: "https://example.test",
      description: "Try the checkout",
      screenWidth: 1920,
      screenHeight: 1080,
      testerCount: slots,
      assignments: { create: Array.from({ length: slots }, (_, slotIndex) => ({ slotIndex })) },
    },
    include: { assignments: { orderBy: { slotIndex: "asc" } } },
  });
  return { jobId: job.id, assignmentIds: job.assignments.map((slot) => slot.id) };
}

/** An interactive transaction with room to queue: 30 concurrent ones wait on PGlite and on the pool. */
export function inTx<T>(db: Db, body: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(body, { maxWait: 60_000, timeout: 60_000 });
}

/** Transactions (any org) whose postings do not sum to zero, or that have fewer than two postings. */
export async function unbalancedTransactions(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT t."id" FROM "ledger_transactions" t
    LEFT JOIN "ledger_postings" p ON p."transactionId" = t."id"
    GROUP BY t."id"
    HAVING COALESCE(SUM(p."amountMicros"), 0) <> 0 OR COUNT(p."id") < 2`);
  return rows.map((row) => row.id);
}

/** Lowest running balance of an account over its postings in insertion order (0 when it has none). */
export async function lowestRunningBalance(db: Db, key: string): Promise<bigint> {
  const postings = await db.ledgerPosting.findMany({
    where: { account: { key } },
    orderBy: { id: "asc" },
    select: { amountMicros: true },
  });
  let running = 0n;
  let lowest = 0n;
  for (const posting of postings) {
    running += posting.amountMicros;
    if (running < lowest) lowest = running;
  }
  return lowest;
}
