// Card payments composed in one call for a host: the service, auto-reload and their webhook handlers.
import { createAutoReload, type AutoReload } from "./auto-reload";
import { createCardPaymentHandlers } from "./card-payment-events";
import { type CardPayments, type CardPaymentsDeps, createCardPayments } from "./card-payments";
import { type StripeEventHandlers } from "./webhook-receiver";

export interface StripeCardPaymentsFeature {
  cardPayments: CardPayments;
  autoReload: AutoReload;
  /** Give these to createStripeWebhookReceiver (merged with other features' maps by combineStripeHandlers). */
  handlers: StripeEventHandlers;
}

export function createStripeCardPaymentsFeature(deps: CardPaymentsDeps): StripeCardPaymentsFeature {
  const autoReload = createAutoReload(deps);
  return {
    cardPayments: createCardPayments(deps),
    autoReload,
    handlers: createCardPaymentHandlers({ ...deps, autoReload }),
  };
}
