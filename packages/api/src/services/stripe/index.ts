// Public surface of the Stripe integration: the client factory, the webhook receiver, card payments and auto-reload.
export { createStripeClient, type Stripe, type StripeConfig } from "./client";
export {
  createStripeWebhookReceiver,
  type StripeEventHandler,
  type StripeEventHandlers,
  type StripeWebhookOutcome,
  type StripeWebhookReceiver,
} from "./webhook-receiver";
export { combineStripeHandlers } from "./handlers";
export {
  type CardPayments,
  type CardPaymentsDeps,
  type CheckoutView,
  createCardPayments,
  MAX_CHECKOUT_USD,
  MIN_CHECKOUT_USD,
} from "./card-payments";
export { createCardPaymentHandlers } from "./card-payment-events";
export {
  type AutoReload,
  type AutoReloadResult,
  autoReloadSingletonKey,
  createAutoReload,
  requestAutoReloadCheck,
} from "./auto-reload";
export { createStripeCardPaymentsFeature, type StripeCardPaymentsFeature } from "./feature";
