// Per-organisation serialisation of the ledger: one transaction at a time may reserve an org's credit.
import { Prisma } from "@eyeball/db";

import { type Mode, type Tx } from "../types";

/** Advisory-lock class ("LEDG") so ledger locks never collide with other advisory locks in the database. */
const LEDGER_LOCK_CLASS = 0x4c454447;

/**
 * Takes a transaction-scoped advisory lock on the organisation's books for `mode`, held until the
 * caller's transaction commits or rolls back. Every ledger write that touches an org's credit or
 * hold takes it first, so "read available, then reserve" cannot interleave and concurrent holds
 * never over-commit. An advisory lock rather than `FOR UPDATE` on the credit account row because it
 * needs no row to exist: a refused hold writes nothing at all, even if the caller swallows the 402.
 * On PGlite (one connection, transactions queued) the lock is uncontended but harmless.
 */
export async function lockOrgBooks(tx: Tx, orgId: string, mode: Mode): Promise<void> {
  // $executeRaw, not $queryRaw: the function returns `void`, which the query path cannot decode.
  await tx.$executeRaw(
    Prisma.sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK_CLASS}::int4, hashtext(${`org:${mode}:${orgId}`}))`,
  );
}

/** The same lock for a tester's books: earnings accrue and payouts leave one at a time, so a payout never overdraws. */
export async function lockTesterBooks(tx: Tx, testerId: string, mode: Mode): Promise<void> {
  await tx.$executeRaw(
    Prisma.sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK_CLASS}::int4, hashtext(${`tester:${mode}:${testerId}`}))`,
  );
}
