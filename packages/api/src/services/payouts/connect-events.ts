// Stripe Connect webhook handlers: account.updated keeps payouts_enabled current; transfer.reversed fails the payout and restores payable.
import type Stripe from "stripe";

import { type Ledger, type Db } from "../types";
import { type StripeEventHandlers } from "../stripe";

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export interface ConnectEventDeps {
  db: Db;
  ledger: Pick<Ledger, "reversePayout">;
  /** Re-reads the account on account.updated: Stripe does not promise order, so the event's copy may be stale. */
  stripe: Stripe;
}

/** Handlers to merge into the host's Stripe webhook receiver (compose merges the maps). */
export function createConnectEventHandlers(deps: ConnectEventDeps): StripeEventHandlers {
  const { db, ledger, stripe } = deps;
  return {
    async "account.updated"(event) {
      const account = event.data.object as Stripe.Account;
      const known = await db.testerProfile.findFirst({
        where: { stripeConnectAccountId: account.id },
        select: { id: true },
      });
      if (!known) return;
      const current = await stripe.accounts.retrieve(account.id);
      await db.testerProfile.updateMany({
        where: { stripeConnectAccountId: account.id },
        data: { stripePayoutsEnabled: current.payouts_enabled },
      });
    },

    /**
     * A reversed transfer: the payout is failed and its amount goes back to payable, once. Safe in
     * any order with the request's own `pending → paid` update (which then matches nothing) and
     * on redelivery (the reversal is idempotent per payout).
     */
    async "transfer.reversed"(event) {
      const transfer = event.data.object as Stripe.Transfer;
      // A partial reversal leaves the payout paid; only a full reversal undoes it.
      if (!transfer.reversed && transfer.amount_reversed < transfer.amount) return;
      const payoutId = transfer.metadata?.payoutId;
      const payout = await db.payout.findFirst({
        where: {
          OR: [{ stripeTransferId: transfer.id }, ...(payoutId ? [{ id: payoutId, method: "stripe" }] : [])],
        },
        select: { id: true },
      });
      if (!payout) return;
      await db.$transaction(async (tx) => {
        const row = await tx.payout.findUniqueOrThrow({ where: { id: payout.id } });
        await ledger.reversePayout(tx, { testerId: row.testerId, payoutId: row.id });
        if (row.status === "failed") return;
        await tx.payout.update({
          where: { id: row.id },
          data: {
            status: "failed",
            failureReason: "Stripe reversed the transfer",
            paidAt: null,
            ...(row.stripeTransferId === null ? { stripeTransferId: transfer.id } : {}),
          },
        });
      }, TRANSACTION_OPTIONS);
    },
  };
}
