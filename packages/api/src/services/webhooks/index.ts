// Webhooks: signing, the outbound URL check, the delivery outbox and its worker, the owner-side service.
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
  isDeliveryInFlight,
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
export {
  createEndpointInputSchema,
  createWebhooksService,
  endpointIdInputSchema,
  listDeliveriesInputSchema,
  updateEndpointInputSchema,
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryDetail,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhooksService,
  type WebhooksServiceDeps,
} from "./webhooks-service";
