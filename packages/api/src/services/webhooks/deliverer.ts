// Webhook deliveries: an outbox row per call, signed POSTs, retries with exponential backoff, and crash recovery.
import { type WebhookDelivery } from "@eyeball/db";

import { type Clock } from "../../clock";
import { type ApiConfig } from "../../config";
import { type Db, type JsonObject, type Queue, type Tx } from "../types";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from "./signing";
import { assertPublicWebhookUrl, systemResolver, type HostResolver } from "./url-guard";
import { ensureOrgWebhookSecret } from "../orgs/webhook-secret";

/** Queue that delivers one webhook: `{deliveryId}`. */
export const WEBHOOK_DELIVER_QUEUE = "webhooks.deliver";
/** Queue whose job re-enqueues due deliveries and then itself: `{}`. */
export const WEBHOOK_SWEEP_QUEUE = "webhooks.sweep";
export const WEBHOOK_USER_AGENT = "Eyeball-Webhooks/1.0";
/** Longest wait between two attempts, whatever the attempt count. */
export const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;
/** How long a claimed attempt keeps others off the row beyond its HTTP timeout (crash → retried after). */
const CLAIM_LEASE_MS = 60_000;
/** Longest error text stored on a delivery. */
const MAX_ERROR_LENGTH = 500;

export type WebhookDeliveryStatus = WebhookDelivery["status"];

export interface EnqueueWebhookInput {
  /** The job the call is about (TesterArmy per-job webhook, or an endpoint delivery about a job). */
  jobId?: string | null;
  /** An organisation endpoint; its secret signs the call. Without it the organisation's webhookSecret does. */
  endpointId?: string | null;
  url: string;
  event: string;
  /** The JSON body, sent as is. */
  payload: JsonObject;
  /** When the first attempt is due (default: the database's now). */
  now?: Date;
}

/**
 * Writes the outbox row inside the caller's transaction, so a webhook exists if and only if the
 * change it reports committed. After the commit, call `deliverer.schedule(id)` (or leave it to
 * the sweep).
 */
export async function enqueueWebhookDelivery(tx: Tx, input: EnqueueWebhookInput): Promise<string> {
  if (!input.jobId && !input.endpointId) throw new Error("a webhook delivery needs a jobId or an endpointId");
  const row = await tx.webhookDelivery.create({
    data: {
      jobId: input.jobId ?? null,
      endpointId: input.endpointId ?? null,
      url: input.url,
      event: input.event,
      payload: input.payload,
      status: "pending",
      ...(input.now === undefined ? {} : { nextAttemptAt: input.now }),
    },
    select: { id: true },
  });
  return row.id;
}

/**
 * Delay before attempt `attempts + 1` after `attempts` failures: `base · 2^(attempts−1)`, scaled by
 * a jitter factor in [0.5, 1) from `random`, capped at MAX_BACKOFF_MS.
 */
export function webhookBackoffMs(
  attempts: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(exponential * (0.5 + random() / 2));
}

export interface DeliveryOutcome {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** Set when the call was not made now: not due yet, already settled, or another worker holds it. */
  skipped?: "not_due" | "settled" | "busy" | "missing";
  statusCode?: number | null;
  error?: string | null;
  nextAttemptAt?: Date | null;
}

export interface WebhookDelivererDeps {
  db: Db;
  queue: Queue;
  clock: Clock;
  config: Pick<ApiConfig, "mode" | "webhooks">;
  fetch?: typeof fetch;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** DNS for the production URL check (default dns.lookup). */
  resolve?: HostResolver;
}

export interface WebhookDeliverer {
  /** Makes one attempt if the delivery is pending and due; records the outcome on the row. */
  deliver(deliveryId: string): Promise<DeliveryOutcome>;
  /** Enqueues an attempt (after a commit, or for a retry), `delayMs` from now. */
  schedule(deliveryId: string, delayMs?: number): Promise<void>;
  /** Re-enqueues pending deliveries whose `nextAttemptAt` has passed (crash recovery); returns how many. */
  sweepDueDeliveries(limit?: number): Promise<number>;
  /** The secret that signs a delivery: the endpoint's, or the organisation's (created on first use). */
  secretFor(delivery: Pick<WebhookDelivery, "endpointId" | "jobId">): Promise<string>;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * True while a delivery's next attempt is queued or running: pending and not waiting out a backoff
 * after a failed attempt (a failure always records lastError; a claim clears it).
 */
export function isDeliveryInFlight(row: Pick<WebhookDelivery, "status" | "lastError">): boolean {
  return row.status === "pending" && row.lastError === null;
}

/** The TesterArmy `webhookStatus` of a job: its latest delivery's status, or null when it has none. */
export async function jobWebhookStatus(db: Db, jobId: string): Promise<WebhookDeliveryStatus | null> {
  const latest = await db.webhookDelivery.findFirst({
    where: { jobId, endpointId: null },
    orderBy: { createdAt: "desc" },
    select: { status: true },
  });
  return latest?.status ?? null;
}

export function createWebhookDeliverer(deps: WebhookDelivererDeps): WebhookDeliverer {
  const { db, queue, clock, config } = deps;
  const doFetch = deps.fetch ?? fetch;
  const random = deps.random ?? Math.random;
  const resolve = deps.resolve ?? systemResolver;
  // Read at each attempt, not captured here: an operator (or a test) may retune retries while running.
  const limits = () => config.webhooks;

  function orgSecret(orgId: string): Promise<string> {
    return ensureOrgWebhookSecret(db, orgId);
  }

  async function secretFor(delivery: Pick<WebhookDelivery, "endpointId" | "jobId">): Promise<string> {
    if (delivery.endpointId) {
      const endpoint = await db.webhookEndpoint.findUniqueOrThrow({
        where: { id: delivery.endpointId },
        select: { secret: true },
      });
      return endpoint.secret;
    }
    if (delivery.jobId) {
      const job = await db.job.findUniqueOrThrow({ where: { id: delivery.jobId }, select: { orgId: true } });
      return orgSecret(job.orgId);
    }
    throw new Error("a webhook delivery needs a jobId or an endpointId");
  }

  /** Records the attempt's result, fenced to the attempt this worker claimed. */
  async function settle(
    id: string,
    attempt: number,
    result:
      | { ok: true; statusCode: number }
      | { ok: false; statusCode: number | null; error: string; retryable: boolean },
  ): Promise<DeliveryOutcome> {
    const now = clock.now();
    const { maxAttempts, backoffBaseMs } = limits();
    if (result.ok) {
      await db.webhookDelivery.updateMany({
        where: { id, attempts: attempt, status: "pending" },
        data: {
          status: "delivered",
          deliveredAt: now,
          lastStatusCode: result.statusCode,
          lastError: null,
          nextAttemptAt: null,
        },
      });
      return {
        id,
        status: "delivered",
        attempts: attempt,
        statusCode: result.statusCode,
        error: null,
        nextAttemptAt: null,
      };
    }
    const final = !result.retryable || attempt >= maxAttempts;
    const nextAttemptAt = final
      ? null
      : new Date(now.getTime() + webhookBackoffMs(attempt, backoffBaseMs, random));
    const status: WebhookDeliveryStatus = final ? "failed" : "pending";
    await db.webhookDelivery.updateMany({
      where: { id, attempts: attempt, status: "pending" },
      data: { status, lastStatusCode: result.statusCode, lastError: result.error, nextAttemptAt },
    });
    return {
      id,
      status,
      attempts: attempt,
      statusCode: result.statusCode,
      error: result.error,
      nextAttemptAt,
    };
  }

  async function deliver(deliveryId: string): Promise<DeliveryOutcome> {
    const row = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
    if (!row) return { id: deliveryId, status: "failed", attempts: 0, skipped: "missing" };
    if (row.status !== "pending")
      return { id: row.id, status: row.status, attempts: row.attempts, skipped: "settled" };
    const now = clock.now();
    if (row.nextAttemptAt && row.nextAttemptAt.getTime() > now.getTime()) {
      return {
        id: row.id,
        status: row.status,
        attempts: row.attempts,
        skipped: "not_due",
        nextAttemptAt: row.nextAttemptAt,
      };
    }
    const { timeoutMs } = limits();
    // Claim the attempt atomically: one worker per attempt, and a lease in case this process dies mid-call.
    // Clearing lastError marks the attempt as in flight (isDeliveryInFlight) until its outcome is recorded.
    const attempt = row.attempts + 1;
    const claimed = await db.webhookDelivery.updateMany({
      where: { id: row.id, status: "pending", attempts: row.attempts },
      data: {
        attempts: attempt,
        nextAttemptAt: new Date(now.getTime() + timeoutMs + CLAIM_LEASE_MS),
        lastError: null,
      },
    });
    if (claimed.count !== 1)
      return { id: row.id, status: row.status, attempts: row.attempts, skipped: "busy" };

    // A refused target or a missing secret will not improve with retries: fail the delivery at once.
    let secret: string;
    try {
      await assertPublicWebhookUrl(row.url, config.mode, resolve);
      secret = await secretFor(row);
    } catch (error) {
      return settle(row.id, attempt, {
        ok: false,
        statusCode: null,
        error: errorText(error),
        retryable: false,
      });
    }

    const body = JSON.stringify(row.payload);
    try {
      const response = await doFetch(row.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": WEBHOOK_USER_AGENT,
          [SIGNATURE_HEADER]: signWebhook(secret, clock.now(), body),
          [EVENT_HEADER]: row.event,
          [DELIVERY_HEADER]: row.id,
        },
        body,
        // A redirect could lead to a private address the check never saw: treat it as a failure.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Free the connection; the receiver's body is not needed.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return await settle(row.id, attempt, { ok: true, statusCode: response.status });
      return await settle(row.id, attempt, {
        ok: false,
        statusCode: response.status,
        error: `HTTP ${response.status}`,
        retryable: true,
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const message = timedOut
        ? `timed out after ${timeoutMs} ms`
        : errorText(error instanceof Error && error.cause ? error.cause : error);
      return settle(row.id, attempt, { ok: false, statusCode: null, error: message, retryable: true });
    }
  }

  async function schedule(deliveryId: string, delayMs = 0): Promise<void> {
    await queue.send(
      WEBHOOK_DELIVER_QUEUE,
      { deliveryId },
      {
        singletonKey: `webhook:${deliveryId}`,
        ...(delayMs > 0 ? { delayMs } : {}),
      },
    );
  }

  async function sweepDueDeliveries(limit = 500): Promise<number> {
    const due = await db.webhookDelivery.findMany({
      where: { status: "pending", nextAttemptAt: { lte: clock.now() } },
      orderBy: { nextAttemptAt: "asc" },
      take: limit,
      select: { id: true },
    });
    for (const { id } of due) await schedule(id);
    return due.length;
  }

  return { deliver, schedule, sweepDueDeliveries, secretFor };
}

/**
 * Worker side: delivers queued attempts and schedules the retry a failure asks for; a sweep loop
 * (one per cluster, a singleton job re-enqueueing itself) catches anything a crash left behind.
 */
export async function registerWebhookWorker(
  queue: Queue,
  deliverer: WebhookDeliverer,
  options: { sweepIntervalMs?: number; clock?: Clock } = {},
): Promise<void> {
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const clock = options.clock;
  await queue.work(WEBHOOK_DELIVER_QUEUE, async (data) => {
    const deliveryId = data.deliveryId;
    if (typeof deliveryId !== "string" || deliveryId.length === 0)
      throw new Error('queue message is missing "deliveryId"');
    const outcome = await deliverer.deliver(deliveryId);
    if (outcome.status === "pending" && outcome.nextAttemptAt) {
      const now = clock ? clock.now().getTime() : Date.now();
      await deliverer.schedule(deliveryId, Math.max(0, outcome.nextAttemptAt.getTime() - now));
    }
  });
  const scheduleSweep = (delayMs: number) =>
    queue.send(
      WEBHOOK_SWEEP_QUEUE,
      {},
      { singletonKey: WEBHOOK_SWEEP_QUEUE, ...(delayMs > 0 ? { delayMs } : {}) },
    );
  await queue.work(WEBHOOK_SWEEP_QUEUE, async () => {
    try {
      await deliverer.sweepDueDeliveries();
    } finally {
      await scheduleSweep(sweepIntervalMs);
    }
  });
  await scheduleSweep(0);
}
