// Ledger accounts: deterministic keys per book and race-free creation on first use.
import { DomainError } from "@eyeball/core";
import { type LedgerAccountKind, Prisma } from "@eyeball/db";

import { type Db, type Mode, type Tx } from "../types";

/** Where an account is found: its unique key plus what a new row needs. */
export interface AccountRef {
  key: string;
  kind: LedgerAccountKind;
  mode: Mode;
  orgId?: string;
  testerId?: string;
}

/**
 * Keys follow `<kind>:<mode>:<owner>` (packages/db README: `org_credit:live:<orgId>`), so a key
 * names the book on its own and live and test books can never share a row.
 */
export const accounts = {
  /** What the organisation may still reserve (granted − held − charged). */
  orgCredit: (orgId: string, mode: Mode): AccountRef => ({
    key: `org_credit:${mode}:${orgId}`,
    kind: "org_credit",
    mode,
    orgId,
  }),
  /** Credit reserved by the organisation's open holds. */
  orgHold: (orgId: string, mode: Mode): AccountRef => ({
    key: `org_hold:${mode}:${orgId}`,
    kind: "org_hold",
    mode,
    orgId,
  }),
  platformRevenue: (mode: Mode): AccountRef => ({
    key: `platform_revenue:${mode}`,
    kind: "platform_revenue",
    mode,
  }),
  /** The source of granted credit: it runs negative by everything ever granted. */
  platformAdjustment: (mode: Mode): AccountRef => ({
    key: `platform_adjustment:${mode}`,
    kind: "platform_adjustment",
    mode,
  }),
  /** What the platform owes a tester: approved earnings not yet paid out. */
  testerPayable: (testerId: string, mode: Mode): AccountRef => ({
    key: `tester_payable:${mode}:${testerId}`,
    kind: "tester_payable",
    mode,
    testerId,
  }),
  /** Everything ever paid out to a tester (Stripe transfers and operator-recorded payouts). */
  testerPaid: (testerId: string, mode: Mode): AccountRef => ({
    key: `tester_paid:${mode}:${testerId}`,
    kind: "tester_paid",
    mode,
    testerId,
  }),
  /** The source of card payments: it runs negative by everything ever received through Stripe. */
  stripeClearing: (mode: Mode): AccountRef => ({
    key: `stripe_clearing:${mode}`,
    kind: "stripe_clearing",
    mode,
  }),
} as const;

/**
 * The account's id, creating the row on first use. `ON CONFLICT DO NOTHING` (not a Prisma upsert)
 * because shared platform accounts are created by many organisations' transactions at once; the
 * second lookup is a new statement, so under READ COMMITTED it sees a row a racing insert committed.
 */
export async function accountId(tx: Tx, ref: AccountRef): Promise<string> {
  const found = await tx.ledgerAccount.findUnique({ where: { key: ref.key }, select: { id: true } });
  if (found) return found.id;
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO "ledger_accounts" ("id", "key", "kind", "mode", "orgId", "testerId")
    VALUES (gen_random_uuid()::text, ${ref.key}, ${ref.kind}::"ledger_account_kind", ${ref.mode}::"key_mode",
            ${ref.orgId ?? null}, ${ref.testerId ?? null})
    ON CONFLICT ("key") DO NOTHING`);
  const created = await tx.ledgerAccount.findUnique({ where: { key: ref.key }, select: { id: true } });
  if (!created) throw new DomainError("INTERNAL", `ledger account ${ref.key} could not be created`);
  return created.id;
}

/** Balance of an account: the sum of its postings (0 for an account not yet created). */
export async function accountBalance(client: Tx | Db, ref: AccountRef): Promise<bigint> {
  const result = await client.ledgerPosting.aggregate({
    _sum: { amountMicros: true },
    where: { account: { key: ref.key } },
  });
  return result._sum.amountMicros ?? 0n;
}
