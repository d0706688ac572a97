// Public surface of the Stripe integration: the client factory and the webhook receiver.
export { createStripeClient, type Stripe, type StripeConfig } from "./client";
export {
  createStripeWebhookReceiver,
  type StripeEventHandler,
  type StripeEventHandlers,
  type StripeWebhookOutcome,
  type StripeWebhookReceiver,
} from "./webhook-receiver";
