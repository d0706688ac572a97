// One place for interactive transactions and the job row lock that serialises every state change of a job.
import { DomainError } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { type Db, type Tx } from "../types";

/**
 * Generous limits: PGlite runs one query at a time, so under test parallelism a transaction may
 * wait for others; PostgreSQL transactions here are short.
 */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export function inTransaction<T>(db: Db, body: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(body, TRANSACTION_OPTIONS);
}

/**
 * Locks the job row for the rest of the transaction. Every writer of a job's status or slots takes
 * this lock first (claims, extraction, time-outs, owner actions), so status derivation always sees
 * the slots as they are and two writers never interleave — and always in the same lock order (job
 * before its assignments), so they cannot deadlock.
 */
export async function lockJob(tx: Tx, jobId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT "id" FROM "jobs" WHERE "id" = ${jobId} FOR UPDATE`,
  );
  if (rows.length === 0) throw new DomainError("NOT_FOUND", `job ${jobId} not found`);
}
