// Card payments composed in one call for a host: the service, auto-reload and their webhook handlers.
import { type Clock } from "../../clock";
import { type Db, type Ledger } from "../types";
import { createAutoReload, type AutoReload } from "./auto-reload";
import { createCardPaymentHandlers } from "./card-payment-events";
import { type CardPayments, createCardPayments } from "./card-payments";
import { type Stripe } from "./client";
import { type StripeEventHandlers } from "./webhook-receiver";

export interface StripeCardPaymentsFeature {
  cardPayments: CardPayments;
  autoReload: AutoReload;
  /** Give these to createStripeWebhookReceiver (merged with other features' maps by combineStripeHandlers). */
  handlers: StripeEventHandlers;
}

export function createStripeCardPaymentsFeature(deps: {
  db: Db;
  clock: Clock;
  ledger: Ledger;
  stripe: Stripe;
  /** The portal's origin (a function when it is known only once the server listens). */
  portalUrl: string | (() => string);
  log?: (message: string) => void;
}): StripeCardPaymentsFeature {
  const autoReload = createAutoReload(deps);
  return {
    cardPayments: createCardPayments(deps),
    autoReload,
    handlers: createCardPaymentHandlers({ ...deps, autoReload }),
  };
}
