// Owner-side webhooks: the organisation's endpoints, its signing secret, and the deliveries made to them.
import { z } from "zod";

import { DomainError, type JsonValue, validationError } from "@eyeball/core";
import { type Prisma, type WebhookDelivery } from "@eyeball/db";

import { type Clock } from "../../clock";
import { type ApiConfig } from "../../config";
import { decodeCursor, encodeCursor, type Page, pageLimit, pageRequestSchema } from "../../pagination";
import { ensureOrgWebhookSecret, newWebhookSecret } from "../orgs/webhook-secret";
import { type Db, type JsonObject, type Queue } from "../types";
import {
  createWebhookDeliverer,
  enqueueWebhookDelivery,
  isDeliveryInFlight,
  type WebhookDeliverer,
  type WebhookDeliveryStatus,
} from "./deliverer";
import { assertPublicWebhookUrl, type HostResolver } from "./url-guard";

export const MAX_ENDPOINT_URL_LENGTH = 2048;
export const MAX_ENDPOINT_DESCRIPTION_LENGTH = 500;
export const WEBHOOK_DELIVERY_STATUSES = [
  "pending",
  "delivered",
  "failed",
] as const satisfies readonly WebhookDeliveryStatus[];

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  /** Event types the endpoint receives; empty = every event. */
  events: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDeliveryView {
  id: string;
  eventType: string;
  jobId: string | null;
  /** The organisation endpoint it went to; null for a job's own `webhookUrl`. */
  endpointId: string | null;
  url: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  /** When the latest attempt was recorded (null before the first). */
  lastAttemptAt: Date | null;
  /** When the next attempt is due while pending; null once settled. */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  /** An attempt is queued or running now (redeliver answers 409); false while waiting out a retry backoff. */
  inFlight: boolean;
}

export interface WebhookDeliveryDetail extends WebhookDeliveryView {
  /** The exact JSON body that is signed and sent. */
  payload: JsonValue;
}

export interface WebhooksService {
  listEndpoints(orgId: string): Promise<WebhookEndpointView[]>;
  /** `{url, description?, enabled?}`; 400 naming `url` when the URL guard refuses it. */
  createEndpoint(orgId: string, input: CreateEndpointInput): Promise<WebhookEndpointView>;
  updateEndpoint(orgId: string, input: UpdateEndpointInput): Promise<WebhookEndpointView>;
  /** Removes the endpoint and its delivery history. */
  deleteEndpoint(orgId: string, id: string): Promise<void>;
  /** The secret that signs every webhook of the organisation (created on first use). */
  revealSecret(orgId: string): Promise<{ secret: string }>;
  /** A new secret; the old one signs nothing from this moment on (no grace period). */
  rotateSecret(orgId: string): Promise<{ secret: string }>;
  /** Newest first, cursor-paged, filtered by status and endpoint. */
  listDeliveries(orgId: string, input: ListDeliveriesInput): Promise<Page<WebhookDeliveryView>>;
  getDelivery(orgId: string, id: string): Promise<WebhookDeliveryDetail>;
  /**
   * Sends a delivery again now, through the delivery queue. A settled one (delivered or failed)
   * becomes a new delivery row (same event, job and body; the endpoint's current URL) and the
   * original keeps its history; one waiting out a retry backoff has its next attempt moved to now.
   * 409 while an attempt is queued or running, or an earlier redelivery is still pending.
   */
  redeliver(orgId: string, id: string): Promise<WebhookDeliveryView>;
}

const idSchema = z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(100);

const urlSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(MAX_ENDPOINT_URL_LENGTH, { error: `must be at most ${MAX_ENDPOINT_URL_LENGTH} characters` });

const descriptionSchema = z
  .string({ error: "must be a string" })
  .trim()
  .max(MAX_ENDPOINT_DESCRIPTION_LENGTH, {
    error: `must be at most ${MAX_ENDPOINT_DESCRIPTION_LENGTH} characters`,
  });

export const endpointIdInputSchema = z.strictObject({ id: idSchema });

export const createEndpointInputSchema = z.strictObject({
  url: urlSchema,
  description: descriptionSchema.nullish(),
  enabled: z.boolean({ error: "must be true or false" }).default(true),
});
export type CreateEndpointInput = z.input<typeof createEndpointInputSchema>;

export const updateEndpointInputSchema = z.strictObject({
  id: idSchema,
  url: urlSchema.optional(),
  /** null or "" clears it. */
  description: descriptionSchema.nullish(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
});
export type UpdateEndpointInput = z.input<typeof updateEndpointInputSchema>;

export const listDeliveriesInputSchema = pageRequestSchema.extend({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES, { error: "must be pending, delivered or failed" }).nullish(),
  endpointId: idSchema.nullish(),
});
export type ListDeliveriesInput = z.input<typeof listDeliveriesInputSchema>;

export interface WebhooksServiceDeps {
  db: Db;
  queue: Queue;
  clock: Clock;
  config: Pick<ApiConfig, "mode" | "webhooks">;
  /** The deliverer redeliveries go through (default: one over the same db, queue and config). */
  deliverer?: Pick<WebhookDeliverer, "schedule">;
  /** DNS for the production URL check (default dns.lookup). */
  resolve?: HostResolver;
}

type EndpointRow = Prisma.WebhookEndpointGetPayload<object>;

function toEndpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    enabled: row.active,
    events: [...row.events],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toDeliveryView(row: WebhookDelivery): WebhookDeliveryView {
  return {
    id: row.id,
    eventType: row.event,
    jobId: row.jobId,
    endpointId: row.endpointId,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    // Every attempt writes the row (claim, then outcome), so its update time is the last attempt's.
    lastAttemptAt: row.attempts > 0 ? row.updatedAt : null,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
    deliveredAt: row.deliveredAt,
    inFlight: isDeliveryInFlight(row),
  };
}

/** Deliveries of the organisation: to its endpoints, or to the own `webhookUrl` of its jobs. */
function orgDeliveries(orgId: string): Prisma.WebhookDeliveryWhereInput {
  return { OR: [{ endpoint: { orgId } }, { endpointId: null, job: { orgId } }] };
}

export function createWebhooksService(deps: WebhooksServiceDeps): WebhooksService {
  const { db, clock, config } = deps;
  const deliverer = deps.deliverer ?? createWebhookDeliverer(deps);

  /** The same check a delivery makes before each attempt, reported against the `url` field. */
  async function checkUrl(url: string): Promise<string> {
    try {
      return (await assertPublicWebhookUrl(url, config.mode, deps.resolve)).toString();
    } catch (error) {
      if (error instanceof DomainError && error.code === "VALIDATION")
        throw validationError("url", error.message.replace(/^[^:]*:\s*/, ""));
      throw error;
    }
  }

  async function endpointOf(orgId: string, id: string): Promise<EndpointRow> {
    const row = await db.webhookEndpoint.findFirst({ where: { id, orgId } });
    if (!row) throw new DomainError("NOT_FOUND", `Webhook endpoint ${id} was not found`);
    return row;
  }

  async function deliveryOf(orgId: string, id: string): Promise<WebhookDelivery> {
    const row = await db.webhookDelivery.findFirst({ where: { id, ...orgDeliveries(orgId) } });
    if (!row) throw new DomainError("NOT_FOUND", `Webhook delivery ${id} was not found`);
    return row;
  }

  return {
    async listEndpoints(orgId) {
      const rows = await db.webhookEndpoint.findMany({
        where: { orgId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return rows.map(toEndpointView);
    },

    async createEndpoint(orgId, input) {
      const body = createEndpointInputSchema.parse(input);
      const url = await checkUrl(body.url);
      // One secret per organisation signs every webhook: the endpoint carries a copy, kept in step by rotateSecret.
      const secret = await ensureOrgWebhookSecret(db, orgId);
      const row = await db.webhookEndpoint.create({
        data: {
          orgId,
          url,
          secret,
          description: body.description ? body.description : null,
          active: body.enabled,
          createdAt: clock.now(),
        },
      });
      return toEndpointView(row);
    },

    async updateEndpoint(orgId, input) {
      const body = updateEndpointInputSchema.parse(input);
      await endpointOf(orgId, body.id);
      const url = body.url === undefined ? undefined : await checkUrl(body.url);
      const row = await db.webhookEndpoint.update({
        where: { id: body.id },
        data: {
          ...(url === undefined ? {} : { url }),
          ...(body.description === undefined ? {} : { description: body.description || null }),
          ...(body.enabled === undefined ? {} : { active: body.enabled }),
        },
      });
      return toEndpointView(row);
    },

    async deleteEndpoint(orgId, id) {
      const deleted = await db.webhookEndpoint.deleteMany({ where: { id, orgId } });
      if (deleted.count === 0) throw new DomainError("NOT_FOUND", `Webhook endpoint ${id} was not found`);
    },

    async revealSecret(orgId) {
      return { secret: await ensureOrgWebhookSecret(db, orgId) };
    },

    async rotateSecret(orgId) {
      const secret = newWebhookSecret();
      await db.$transaction(async (tx) => {
        const org = await tx.organization.updateMany({
          where: { id: orgId },
          data: { webhookSecret: secret },
        });
        if (org.count === 0) throw new DomainError("NOT_FOUND", `Organisation ${orgId} was not found`);
        await tx.webhookEndpoint.updateMany({ where: { orgId }, data: { secret } });
      });
      // Deliverers read the secret at each attempt, so retries of older deliveries sign with this one too.
      return { secret };
    },

    async listDeliveries(orgId, input) {
      const query = listDeliveriesInputSchema.parse(input);
      const limit = pageLimit(query.limit);
      const filters: Prisma.WebhookDeliveryWhereInput[] = [orgDeliveries(orgId)];
      if (query.status) filters.push({ status: query.status });
      if (query.endpointId) filters.push({ endpointId: query.endpointId });
      if (query.cursor) {
        const [createdAtMs, id] = decodeCursor(query.cursor, ["number", "string"]) as [number, string];
        const createdAt = new Date(createdAtMs);
        filters.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
      }
      const rows = await db.webhookDelivery.findMany({
        where: { AND: filters },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(toDeliveryView),
        next: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
      };
    },

    async getDelivery(orgId, id) {
      const row = await deliveryOf(orgId, id);
      return { ...toDeliveryView(row), payload: row.payload as JsonValue };
    },

    async redeliver(orgId, id) {
      const original = await deliveryOf(orgId, id);
      const now = clock.now();
      const resent = await db.$transaction(async (tx) => {
        // Serialises concurrent redeliveries of one row, so the checks below hold.
        await tx.$queryRaw`SELECT id FROM webhook_deliveries WHERE id = ${original.id} FOR UPDATE`;
        const row = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: original.id } });
        if (isDeliveryInFlight(row))
          throw new DomainError(
            "CONFLICT",
            `Webhook delivery ${id} is already in flight; wait for it to settle`,
          );
        if (row.endpointId) {
          const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: row.endpointId } });
          if (!endpoint.active)
            throw new DomainError("CONFLICT", "The endpoint is disabled; enable it before redelivering");
        }
        if (row.status === "pending") {
          // Waiting out a backoff after a failure: the same delivery's next attempt, due now.
          const moved = await tx.webhookDelivery.updateMany({
            where: { id: row.id, status: "pending", attempts: row.attempts, lastError: { not: null } },
            data: { nextAttemptAt: now },
          });
          if (moved.count !== 1)
            throw new DomainError(
              "CONFLICT",
              `Webhook delivery ${id} is already in flight; wait for it to settle`,
            );
          return tx.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
        }
        // Settled: a new delivery row, so the original keeps its own attempts and outcome.
        const inFlight = await tx.webhookDelivery.findFirst({
          where: { endpointId: row.endpointId, jobId: row.jobId, event: row.event, status: "pending" },
          select: { id: true },
        });
        if (inFlight)
          throw new DomainError(
            "CONFLICT",
            `A delivery of ${row.event} to this target is already in flight (${inFlight.id})`,
          );
        const url = row.endpointId
          ? (await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: row.endpointId } })).url
          : row.url;
        const newId = await enqueueWebhookDelivery(tx, {
          jobId: row.jobId,
          endpointId: row.endpointId,
          url,
          event: row.event,
          payload: row.payload as JsonObject,
          now,
        });
        return tx.webhookDelivery.findUniqueOrThrow({ where: { id: newId } });
      });
      await deliverer.schedule(resent.id);
      return toDeliveryView(resent);
    },
  };
}
