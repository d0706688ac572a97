import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import { type Database } from "@eyeball/db";
import { describeEachEngine } from "@eyeball/db/testing";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";

import { ManualClock, systemClock } from "../../clock";
import { apiConfig, type ApiConfig } from "../../config";
import { createTestJob } from "../events/test-rows";
import { createQueue } from "../queue";
import { type JsonObject, type Queue, type QueueSendOptions } from "../types";
import {
  createWebhookDeliverer,
  enqueueWebhookDelivery,
  jobWebhookStatus,
  registerWebhookWorker,
  WEBHOOK_DELIVER_QUEUE,
  WEBHOOK_USER_AGENT,
} from "./deliverer";
import { verifyWebhookSignature } from "./signing";

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver answering each request with the next planned status ("hang" never answers). */
function startReceiver() {
  const received: Received[] = [];
  const plan: (number | "hang")[] = [];
  const hanging: ServerResponse[] = [];
  let onRequest: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body });
      const next = plan.shift() ?? 200;
      onRequest?.();
      if (next === "hang") {
        hanging.push(res);
        return;
      }
      res.writeHead(next, { "content-type": "text/plain" }).end("ok");
    });
  });
  return {
    received,
    plan,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    listen: () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    nextRequest: () => new Promise<void>((resolve) => (onRequest = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function recordingQueue(): Queue & {
  sent: { name: string; data: JsonObject; options?: QueueSendOptions }[];
} {
  const sent: { name: string; data: JsonObject; options?: QueueSendOptions }[] = [];
  return {
    sent,
    send: (name, data, options) => {
      sent.push({ name, data, ...(options ? { options } : {}) });
      return Promise.resolve(String(sent.length));
    },
    work: () => Promise.resolve(),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error("timed out"));
      }, ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}

describeEachEngine("webhook deliverer", (getDb) => {
  let db: Database;
  const receiver = startReceiver();
  let clock: ManualClock;
  let queue: ReturnType<typeof recordingQueue>;
  const base = 2_000;
  const config = (overrides: Partial<ApiConfig["webhooks"]> = {}, mode: ApiConfig["mode"] = "development") =>
    apiConfig({ mode, webhooks: { maxAttempts: 4, backoffBaseMs: base, timeoutMs: 5_000, ...overrides } });

  beforeAll(async () => {
    db = getDb();
    await receiver.listen();
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    clock = new ManualClock();
    queue = recordingQueue();
    receiver.received.length = 0;
    receiver.plan.length = 0;
  });

  async function enqueue(jobId: string, extra: { endpointId?: string; url?: string } = {}) {
    return db.prisma.$transaction((tx) =>
      enqueueWebhookDelivery(tx, {
        jobId,
        url: extra.url ?? receiver.url(),
        event: "run.completed",
        payload: { id: jobId, status: "completed", nested: { n: 1 } },
        now: clock.now(),
        ...(extra.endpointId ? { endpointId: extra.endpointId } : {}),
      }),
    );
  }

  it("POSTs a signed JSON body with the Eyeball headers and marks the delivery delivered", async () => {
    const { job, org } = await createTestJob(db.prisma, { webhookUrl: receiver.url() });
    expect(await jobWebhookStatus(db.prisma, job.id)).toBeNull();
    const id = await enqueue(job.id);
    expect(await jobWebhookStatus(db.prisma, job.id)).toBe("pending");
    const deliverer = createWebhookDeliverer({ db: db.prisma, queue, clock, config: config() });
    const outcome = await deliverer.deliver(id);
    expect(outcome).toMatchObject({ status: "delivered", attempts: 1, statusCode: 200 });

    // The organisation had no secret: one was generated, stored, and used.
    const { webhookSecret } = await db.prisma.organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(webhookSecret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    const [request] = receiver.received;
    expect(request).toBeDefined();
    expect(JSON.parse(request!.body)).toEqual({ id: job.id, status: "completed", nested: { n: 1 } });
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": WEBHOOK_USER_AGENT,
      "eyeball-event": "run.completed",
      "eyeball-delivery": id,
    });
    const signature = request!.headers["eyeball-signature"] as string;
    expect(signature).toMatch(new RegExp(`^t=${clock.now().getTime() / 1000},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(webhookSecret!, signature, request!.body, { now: clock.now() })).toBe(true);
    expect(verifyWebhookSignature("whsec_wrong", signature, request!.body, { now: clock.now() })).toBe(false);

    const row = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      status: "delivered",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(row.deliveredAt).toEqual(clock.now());
    expect(await jobWebhookStatus(db.prisma, job.id)).toBe("delivered");
    // Settled: a second call does nothing.
    expect(await deliverer.deliver(id)).toMatchObject({ status: "delivered", skipped: "settled" });
    expect(receiver.received).toHaveLength(1);
  });

  it("signs endpoint deliveries with the endpoint's own secret", async () => {
    const { job, org } = await createTestJob(db.prisma, { webhookSecret: "whsec_org" });
    const endpoint = await db.prisma.webhookEndpoint.create({
      data: { orgId: org.id, url: receiver.url(), secret: `whsec_ep_${randomBytes(4).toString("hex")}` },
    });
    const id = await enqueue(job.id, { endpointId: endpoint.id });
    const deliverer = createWebhookDeliverer({ db: db.prisma, queue, clock, config: config() });
    expect(await deliverer.deliver(id)).toMatchObject({ status: "delivered" });
    const [request] = receiver.received;
    const signature = request!.headers["eyeball-signature"] as string;
    expect(verifyWebhookSignature(endpoint.secret, signature, request!.body, { now: clock.now() })).toBe(
      true,
    );
    expect(verifyWebhookSignature("whsec_org", signature, request!.body, { now: clock.now() })).toBe(false);
  });

  it("retries after 500s with exponential backoff and jitter, then delivers", async () => {
    const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_retry" });
    const id = await enqueue(job.id);
    const jitter = [0, 0.5]; // → factors 0.5 and 0.75
    const deliverer = createWebhookDeliverer({
      db: db.prisma,
      queue,
      clock,
      config: config(),
      random: () => jitter.shift() ?? 0,
    });
    receiver.plan.push(500, 503, 200);

    const first = await deliverer.deliver(id);
    expect(first).toMatchObject({ status: "pending", attempts: 1, statusCode: 500, error: "HTTP 500" });
    expect(first.nextAttemptAt).toEqual(new Date(clock.now().getTime() + base * 0.5));
    // Not due yet: no call.
    clock.advance(base * 0.5 - 1);
    expect(await deliverer.deliver(id)).toMatchObject({ skipped: "not_due", attempts: 1 });
    expect(receiver.received).toHaveLength(1);

    clock.advance(1);
    const second = await deliverer.deliver(id);
    expect(second).toMatchObject({ status: "pending", attempts: 2, statusCode: 503 });
    expect(second.nextAttemptAt).toEqual(new Date(clock.now().getTime() + base * 2 * 0.75));
    const stored = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      status: "pending",
      attempts: 2,
      lastStatusCode: 503,
      lastError: "HTTP 503",
    });

    clock.advance(base * 2 * 0.75);
    expect(await deliverer.deliver(id)).toMatchObject({ status: "delivered", attempts: 3, statusCode: 200 });
    expect(receiver.received).toHaveLength(3);
    // Every attempt is signed afresh and carries the same delivery id.
    for (const request of receiver.received) {
      expect(request.headers["eyeball-delivery"]).toBe(id);
      expect(
        verifyWebhookSignature("whsec_retry", request.headers["eyeball-signature"] as string, request.body, {
          now: clock.now(),
        }),
      ).toBe(true);
    }
    const row = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null });
  });

  it("fails for good after maxAttempts", async () => {
    const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_fail" });
    const id = await enqueue(job.id);
    const deliverer = createWebhookDeliverer({
      db: db.prisma,
      queue,
      clock,
      config: config({ maxAttempts: 3 }),
      random: () => 0.999,
    });
    receiver.plan.push(500, 500, 500, 200);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await deliverer.deliver(id);
      expect(outcome).toMatchObject({ attempts: attempt, status: attempt < 3 ? "pending" : "failed" });
      if (outcome.nextAttemptAt) clock.set(outcome.nextAttemptAt);
    }
    expect(await deliverer.deliver(id)).toMatchObject({ status: "failed", skipped: "settled" });
    expect(receiver.received).toHaveLength(3);
    const row = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      status: "failed",
      attempts: 3,
      lastStatusCode: 500,
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(await jobWebhookStatus(db.prisma, job.id)).toBe("failed");
  });

  it("times out on a receiver that never answers and schedules a retry", async () => {
    const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_hang" });
    const id = await enqueue(job.id);
    const deliverer = createWebhookDeliverer({
      db: db.prisma,
      queue,
      clock,
      config: config({ timeoutMs: 150 }),
      random: () => 0,
    });
    receiver.plan.push("hang");
    const outcome = await within(deliverer.deliver(id), 5_000);
    expect(outcome).toMatchObject({
      status: "pending",
      attempts: 1,
      statusCode: null,
      error: "timed out after 150 ms",
    });
    expect(outcome.nextAttemptAt).toEqual(new Date(clock.now().getTime() + base * 0.5));
  });

  it("refuses private targets in production mode without calling them", async () => {
    const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_prod" });
    const id = await enqueue(job.id);
    const deliverer = createWebhookDeliverer({
      db: db.prisma,
      queue,
      clock,
      config: config({}, "production"),
    });
    const outcome = await deliverer.deliver(id);
    expect(outcome).toMatchObject({ status: "failed", attempts: 1 });
    expect(outcome.error).toMatch(/private or loopback/);
    expect(receiver.received).toHaveLength(0);
  });

  it("sweeps due pending deliveries back onto the queue", async () => {
    const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_sweep" });
    const due = await enqueue(job.id);
    const later = await db.prisma.$transaction((tx) =>
      enqueueWebhookDelivery(tx, {
        jobId: job.id,
        url: receiver.url(),
        event: "run.completed",
        payload: {},
        now: new Date(clock.now().getTime() + 60_000),
      }),
    );
    const deliverer = createWebhookDeliverer({ db: db.prisma, queue, clock, config: config() });
    await deliverer.sweepDueDeliveries();
    const ids = queue.sent.filter((m) => m.name === WEBHOOK_DELIVER_QUEUE).map((m) => m.data.deliveryId);
    expect(ids).toContain(due);
    expect(ids).not.toContain(later);
  });

  it("delivers through the real queue and worker", async () => {
    const realQueue = createQueue(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 2_000 });
    try {
      const deliverer = createWebhookDeliverer({
        db: db.prisma,
        queue: realQueue,
        clock: systemClock,
        config: config({ backoffBaseMs: 200 }),
      });
      await registerWebhookWorker(realQueue, deliverer, { sweepIntervalMs: 60_000 });
      const { job } = await createTestJob(db.prisma, { webhookSecret: "whsec_queue" });
      const id = await db.prisma.$transaction((tx) =>
        enqueueWebhookDelivery(tx, {
          jobId: job.id,
          url: receiver.url(),
          event: "run.completed",
          payload: { ok: true },
        }),
      );
      receiver.plan.push(500, 200);
      // The first attempt fails; the worker itself schedules the retry 100–200 ms later.
      const twoRequests = (async () => {
        while (receiver.received.filter((r) => r.headers["eyeball-delivery"] === id).length < 2)
          await receiver.nextRequest();
      })();
      await deliverer.schedule(id);
      await within(twoRequests, 15_000);
      const settled = async () => {
        for (;;) {
          const row = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
          if (row.status !== "pending") return row;
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      expect(await within(settled(), 5_000)).toMatchObject({ status: "delivered", attempts: 2 });
    } finally {
      await realQueue.stop();
    }
  });
});
