// Card payments through Stripe: a Customer per organisation, Checkout for credits and for saving a card, detach.
import { z } from "zod";

import { DomainError, parseOrThrow } from "@eyeball/core";
import { type BillingSettings } from "@eyeball/db";

import { type Clock } from "../../clock";
import { type Db, type Ledger } from "../types";
import { type Stripe } from "./client";

/** Checkout limits for adding credits (USD). */
export const MIN_CHECKOUT_USD = 5;
export const MAX_CHECKOUT_USD = 10_000;

/** Stripe amounts are cents; the ledger counts micro-dollars. */
export const MICROS_PER_CENT = 10_000n;

/** Metadata on every Stripe object Eyeball creates, so webhooks know whose and what for. */
export const METADATA_ORG = "orgId";
export const METADATA_PURPOSE = "purpose";
export const METADATA_AUTO_RELOAD = "autoReload";
export const PURPOSE_CREDITS = "credits";
export const PURPOSE_PAYMENT_METHOD = "payment_method";

export interface CheckoutView {
  /** The Checkout Session id (cs_…). */
  id: string;
  /** Stripe's hosted page: the portal redirects the browser here. */
  url: string;
}

export interface CardPaymentsDeps {
  db: Db;
  clock: Clock;
  ledger: Ledger;
  stripe: Stripe;
  /**
   * The portal's base URL (ApiConfig.publicUrl; a function when it is known only once the server
   * listens): Checkout returns the customer to `<portal>/billing`.
   */
  portalUrl: string | (() => string);
  /** Where acknowledged-but-ignored events are reported (unknown org, wrong currency); default console.warn. */
  log?: (message: string) => void;
}

const checkoutSchema = z.strictObject({
  usd: z
    .number({ error: "must be a number of USD" })
    .min(MIN_CHECKOUT_USD, { error: `must be at least ${MIN_CHECKOUT_USD}` })
    .max(MAX_CHECKOUT_USD, { error: `must be at most ${MAX_CHECKOUT_USD}` })
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, {
      error: "must be whole cents (at most 2 decimals)",
    }),
});

/** USD with at most two decimals → integer cents, exactly. */
export function usdToCents(usd: number): number {
  return Math.round(usd * 100);
}

/** The display fields of a card, copied from Stripe's PaymentMethod into BillingSettings. */
export function cardFields(
  pm: Stripe.PaymentMethod,
): Pick<
  BillingSettings,
  | "stripePaymentMethodId"
  | "paymentMethodBrand"
  | "paymentMethodLast4"
  | "paymentMethodExpMonth"
  | "paymentMethodExpYear"
> {
  return {
    stripePaymentMethodId: pm.id,
    paymentMethodBrand: pm.card?.brand ?? pm.type,
    paymentMethodLast4: pm.card?.last4 ?? null,
    paymentMethodExpMonth: pm.card?.exp_month ?? null,
    paymentMethodExpYear: pm.card?.exp_year ?? null,
  };
}

export const CLEARED_CARD = {
  stripePaymentMethodId: null,
  paymentMethodBrand: null,
  paymentMethodLast4: null,
  paymentMethodExpMonth: null,
  paymentMethodExpYear: null,
} as const;

export const AUTO_RELOAD_OFF_NOTE =
  "Auto-reload was switched off because the card was removed; add a card to turn it on again.";

export interface CardPayments {
  /** The organisation's Stripe Customer id, created on first need and kept in BillingSettings. */
  ensureCustomer(orgId: string): Promise<string>;
  /** `{usd}` (5–10,000, whole cents) → a payment-mode Checkout Session for adding credits. */
  checkout(orgId: string, input: unknown): Promise<CheckoutView>;
  /** A setup-mode Checkout Session: the owner saves a card on Stripe's hosted page. */
  setupPaymentMethod(orgId: string): Promise<CheckoutView>;
  /** Detaches the saved card at Stripe and clears it; auto-reload is switched off with a note. 404 when none. */
  detachPaymentMethod(orgId: string): Promise<void>;
}

export function createCardPayments(deps: CardPaymentsDeps): CardPayments {
  const { db, stripe } = deps;
  const portalUrl = (): string =>
    (typeof deps.portalUrl === "function" ? deps.portalUrl() : deps.portalUrl).replace(/\/+$/, "");

  async function ensureCustomer(orgId: string): Promise<string> {
    const settings = await db.billingSettings.findUnique({
      where: { orgId },
      select: { stripeCustomerId: true },
    });
    if (settings?.stripeCustomerId) return settings.stripeCustomerId;
    const org = await db.organization.findUnique({
      where: { id: orgId },
      select: { name: true, slug: true },
    });
    if (!org) throw new DomainError("NOT_FOUND", "organisation not found");
    // One Customer even when two first requests race: Stripe answers the same key with the same Customer.
    const customer = await stripe.customers.create(
      { name: org.name, metadata: { [METADATA_ORG]: orgId, slug: org.slug } },
      { idempotencyKey: `eyeball-customer:${orgId}` },
    );
    await db.billingSettings.upsert({ where: { orgId }, create: { orgId }, update: {} });
    await db.billingSettings.updateMany({
      where: { orgId, stripeCustomerId: null },
      data: { stripeCustomerId: customer.id },
    });
    const stored = await db.billingSettings.findUniqueOrThrow({
      where: { orgId },
      select: { stripeCustomerId: true },
    });
    return stored.stripeCustomerId ?? customer.id;
  }

  function sessionView(session: Stripe.Checkout.Session): CheckoutView {
    if (session.url === null)
      throw new DomainError("INTERNAL", "Stripe returned a Checkout Session without a URL");
    return { id: session.id, url: session.url };
  }

  return {
    ensureCustomer,

    async checkout(orgId, input) {
      const { usd } = parseOrThrow(checkoutSchema, input);
      const cents = usdToCents(usd);
      const customer = await ensureCustomer(orgId);
      const metadata = { [METADATA_ORG]: orgId, [METADATA_PURPOSE]: PURPOSE_CREDITS };
      const session = await stripe.checkout.sessions.create({
        mode: "payment",
        customer,
        client_reference_id: orgId,
        line_items: [
          {
            quantity: 1,
            price_data: { currency: "usd", unit_amount: cents, product_data: { name: "Eyeball credits" } },
          },
        ],
        metadata,
        // The webhook credits on payment_intent.succeeded, so the intent carries the org and purpose too.
        payment_intent_data: { metadata },
        success_url: `${portalUrl()}/billing?checkout=success`,
        cancel_url: `${portalUrl()}/billing?checkout=cancelled`,
      });
      return sessionView(session);
    },

    async setupPaymentMethod(orgId) {
      const customer = await ensureCustomer(orgId);
      const metadata = { [METADATA_ORG]: orgId, [METADATA_PURPOSE]: PURPOSE_PAYMENT_METHOD };
      const session = await stripe.checkout.sessions.create({
        mode: "setup",
        customer,
        currency: "usd",
        client_reference_id: orgId,
        metadata,
        setup_intent_data: { metadata },
        success_url: `${portalUrl()}/billing?setup=success`,
        cancel_url: `${portalUrl()}/billing?setup=cancelled`,
      });
      return sessionView(session);
    },

    async detachPaymentMethod(orgId) {
      const settings = await db.billingSettings.findUnique({ where: { orgId } });
      const pmId = settings?.stripePaymentMethodId;
      if (!settings || !pmId) throw new DomainError("NOT_FOUND", "no payment method is saved");
      try {
        await stripe.paymentMethods.detach(pmId);
      } catch (error) {
        // Already detached at Stripe (a dashboard action, a lost response): clearing it here is still right.
        const code = (error as { code?: unknown }).code;
        if (code !== "payment_method_unexpected_state" && code !== "resource_missing") throw error;
      }
      await db.billingSettings.updateMany({
        where: { orgId, stripePaymentMethodId: pmId },
        data: {
          ...CLEARED_CARD,
          autoReloadEnabled: false,
          ...(settings.autoReloadEnabled ? { autoReloadLastError: AUTO_RELOAD_OFF_NOTE } : {}),
        },
      });
    },
  };
}
