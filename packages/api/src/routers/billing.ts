// billing.*: the caller's credits, holds and auto-reload settings (Instahuman's /api/billing, for the portal).
import { z } from "zod";

import { billingOf } from "../context";
import { ownerProcedure, router, sessionOwnerProcedure } from "../trpc";
import { requiredId } from "./inputs";

export const billingRouter = router({
  /** Balance, open holds and available credit in USD, the auto-reload settings and the payment method. */
  overview: ownerProcedure.query(({ ctx }) => billingOf(ctx.services).overview(ctx.actor)),

  /** `{enabled, thresholdUsd, amountUsd}`; both amounts are required when enabled. */
  configureAutoReload: ownerProcedure
    .input((raw: unknown) => raw)
    .mutation(({ ctx, input }) => billingOf(ctx.services).configureAutoReload(ctx.actor, input)),

  /** `{cursor?, limit?, from?, to?}`: the caller's books, newest first, with the balance after each row. */
  ledger: ownerProcedure
    .input((raw: unknown) => raw)
    .query(({ ctx, input }) => billingOf(ctx.services).ledger(ctx.actor, input)),

  /**
   * `{from?, to?}` → `{filename, csv, rows}`. A query rather than an express route: it keeps the
   * session-or-key auth, org scoping and error shape of every other read, and the portal saves it as a Blob.
   */
  ledgerCsv: ownerProcedure
    .input((raw: unknown) => raw)
    .query(({ ctx, input }) => billingOf(ctx.services).ledgerCsv(ctx.actor, input)),

  /** `{cursor?, limit?}`: every credit that arrived (operator grants; card payments once configured). */
  receipts: ownerProcedure
    .input((raw: unknown) => raw)
    .query(({ ctx, input }) => billingOf(ctx.services).receipts(ctx.actor, input)),

  /** `{usd}` → `{id, url}` of a Stripe Checkout page; credits arrive only when Stripe's webhook confirms the payment. */
  checkout: sessionOwnerProcedure
    .input((raw: unknown) => raw)
    .mutation(({ ctx, input }) => billingOf(ctx.services).checkout(ctx.actor, input)),

  /** `{id, url}` of a Stripe Checkout page in setup mode: the owner saves or replaces the card there. */
  setupPaymentMethod: sessionOwnerProcedure.mutation(({ ctx }) =>
    billingOf(ctx.services).setupPaymentMethod(ctx.actor),
  ),

  /** Removes the saved card (auto-reload is switched off) and answers the new overview. */
  detachPaymentMethod: sessionOwnerProcedure.mutation(({ ctx }) =>
    billingOf(ctx.services).detachPaymentMethod(ctx.actor),
  ),

  receipt: ownerProcedure
    .input(z.object({ id: requiredId }))
    .query(({ ctx, input }) => billingOf(ctx.services).receipt(ctx.actor, input.id)),
});
