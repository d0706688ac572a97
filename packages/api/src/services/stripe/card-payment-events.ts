// Webhook handlers of card payments: credits arrive only here, and saved cards follow Stripe's word.
import type Stripe from "stripe";

import { cardPaymentIdempotencyKey } from "../ledger";
import { type AutoReload } from "./auto-reload";
import {
  AUTO_RELOAD_OFF_NOTE,
  cardFields,
  CLEARED_CARD,
  type CardPaymentsDeps,
  METADATA_AUTO_RELOAD,
  METADATA_ORG,
  METADATA_PURPOSE,
  MICROS_PER_CENT,
  PURPOSE_CREDITS,
} from "./card-payments";
import { type StripeEventHandlers } from "./webhook-receiver";

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

/**
 * Every handler is safe to run twice and in any order: the credit is idempotent per PaymentIntent,
 * a failure after a success changes nothing, and a card is saved or cleared only after comparing
 * with what Stripe and the database say now.
 */
export function createCardPaymentHandlers(
  deps: CardPaymentsDeps & { autoReload: AutoReload },
): StripeEventHandlers {
  const { db, stripe, ledger, autoReload } = deps;
  const log =
    deps.log ??
    ((message: string) => {
      console.warn(message);
    });

  async function creditsIntentOrg(pi: Stripe.PaymentIntent): Promise<string | null> {
    if (pi.metadata[METADATA_PURPOSE] !== PURPOSE_CREDITS) return null;
    const orgId = pi.metadata[METADATA_ORG];
    if (!orgId) return null;
    const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
    if (!org) {
      log(`stripe: PaymentIntent ${pi.id} names unknown organisation ${orgId}; acknowledged, not credited`);
      return null;
    }
    return orgId;
  }

  /** Saves the SetupIntent's card as the customer's default, if it is still attached to that customer. */
  async function saveFromSetupIntent(setupIntentId: string): Promise<void> {
    const seti = await stripe.setupIntents.retrieve(setupIntentId);
    const customerId = idOf(seti.customer);
    const pmId = idOf(seti.payment_method);
    if (seti.status !== "succeeded" || customerId === null || pmId === null) return;
    const settings = await db.billingSettings.findUnique({ where: { stripeCustomerId: customerId } });
    if (!settings) {
      log(`stripe: SetupIntent ${seti.id} is for customer ${customerId}, which no organisation has; ignored`);
      return;
    }
    if (settings.stripePaymentMethodId === pmId) return;
    const pm = await stripe.paymentMethods.retrieve(pmId);
    // Detached since (a later card replaced it, or the owner removed it): an old event must not bring it back.
    if (idOf(pm.customer) !== customerId) return;
    await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
    const previous = settings.stripePaymentMethodId;
    await db.billingSettings.update({
      where: { orgId: settings.orgId },
      // A new card is a fresh start for auto-reload: armed again, the old card's error gone.
      data: { ...cardFields(pm), autoReloadArmed: true, autoReloadLastError: null },
    });
    if (previous !== null) {
      // One saved card per organisation: the replaced one is detached (its detached event then finds it unsaved).
      await stripe.paymentMethods.detach(previous).catch((error: unknown) => {
        log(
          `stripe: could not detach the replaced card ${previous}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
  }

  return {
    "payment_intent.succeeded": async (event) => {
      if (event.type !== "payment_intent.succeeded") return;
      const pi = event.data.object;
      const orgId = await creditsIntentOrg(pi);
      if (orgId === null) return;
      if (pi.currency !== "usd" || pi.amount_received <= 0) {
        log(
          `stripe: PaymentIntent ${pi.id} received ${pi.amount_received} ${pi.currency}; only USD is credited`,
        );
        return;
      }
      const { credited } = await ledger.recordCardPayment({
        orgId,
        micros: BigInt(pi.amount_received) * MICROS_PER_CENT,
        paymentIntentId: pi.id,
        memo: pi.metadata[METADATA_AUTO_RELOAD] === "true" ? "Auto-reload card payment" : "Card payment",
      });
      if (credited && pi.metadata[METADATA_AUTO_RELOAD] === "true") {
        await db.billingSettings.updateMany({ where: { orgId }, data: { autoReloadLastError: null } });
      }
      // Credit arrived: re-arm auto-reload if available credit is back at or above the threshold.
      await autoReload.check(orgId);
    },

    "payment_intent.payment_failed": async (event) => {
      if (event.type !== "payment_intent.payment_failed") return;
      const pi = event.data.object;
      const orgId = await creditsIntentOrg(pi);
      if (orgId === null || pi.metadata[METADATA_AUTO_RELOAD] !== "true") return;
      // A failure seen after the success (Stripe does not promise order) changes nothing.
      const booked = await db.ledgerTransaction.findUnique({
        where: { idempotencyKey: cardPaymentIdempotencyKey(pi.id) },
        select: { id: true },
      });
      if (booked) return;
      const current = await stripe.paymentIntents.retrieve(pi.id);
      if (current.status === "succeeded" || current.status === "processing") return;
      const reason = pi.last_payment_error?.message ?? "the card was declined";
      await db.billingSettings.updateMany({
        where: { orgId, autoReloadLastError: null },
        data: { autoReloadLastError: `The card was declined: ${reason}` },
      });
    },

    // Bank debits pass through processing; cards do not. Either way only succeeded credits.
    "payment_intent.processing": async () => {},

    "checkout.session.completed": async (event) => {
      if (event.type !== "checkout.session.completed") return;
      const session = event.data.object;
      // Payment-mode sessions credit through payment_intent.succeeded; setup-mode ones save the card.
      if (session.mode !== "setup") return;
      const setupIntentId = idOf(session.setup_intent);
      if (setupIntentId !== null) await saveFromSetupIntent(setupIntentId);
    },

    "setup_intent.succeeded": async (event) => {
      if (event.type !== "setup_intent.succeeded") return;
      await saveFromSetupIntent(event.data.object.id);
    },

    "payment_method.detached": async (event) => {
      if (event.type !== "payment_method.detached") return;
      const pm = event.data.object;
      const settings = await db.billingSettings.findFirst({ where: { stripePaymentMethodId: pm.id } });
      if (!settings) return;
      await db.billingSettings.updateMany({
        where: { orgId: settings.orgId, stripePaymentMethodId: pm.id },
        data: {
          ...CLEARED_CARD,
          autoReloadEnabled: false,
          ...(settings.autoReloadEnabled ? { autoReloadLastError: AUTO_RELOAD_OFF_NOTE } : {}),
        },
      });
    },
  };
}
