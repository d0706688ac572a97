// Webhooks: signing, the outbound URL check, the delivery outbox and its worker.
export {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from "./signing";
export { assertPublicWebhookUrl, isPrivateAddress, systemResolver, type HostResolver } from "./url-guard";
export {
  createWebhookDeliverer,
  enqueueWebhookDelivery,
  jobWebhookStatus,
  MAX_BACKOFF_MS,
  registerWebhookWorker,
  webhookBackoffMs,
  WEBHOOK_DELIVER_QUEUE,
  WEBHOOK_SWEEP_QUEUE,
  WEBHOOK_USER_AGENT,
  type DeliveryOutcome,
  type EnqueueWebhookInput,
  type WebhookDeliverer,
  type WebhookDelivererDeps,
  type WebhookDeliveryStatus,
} from "./deliverer";
