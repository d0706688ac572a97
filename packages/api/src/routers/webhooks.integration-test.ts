// webhooks.* through the caller on both engines: endpoint CRUD, validation, access, scoping, secret rotation, deliveries and redelivery.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { apiConfig } from "../config";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import {
  createWebhookDeliverer,
  createWebhooksService,
  verifyWebhookSignature,
  WEBHOOK_DELIVER_QUEUE,
  type WebhookDeliverer,
} from "../services/webhooks";
import { trpcError } from "./testing/trpc-error";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver answering every request with `status` (changeable while it runs). */
function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status, { "content-type": "text/plain" }).end("ok");
    });
  });
  return {
    received,
    state,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    listen: () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describeEachEngine("webhooks router", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let deliverer: WebhookDeliverer;
  let org: TestOrg;
  let other: TestOrg;
  const receiver = startReceiver();

  const caller = (actor?: Actor) =>
    createCaller(createContextInner({ services, ...(actor ? { actor } : {}) }));

  /** Delivers every attempt the queue holds, as the worker would. */
  async function drain(): Promise<void> {
    for (const message of h.queue.take(WEBHOOK_DELIVER_QUEUE)) {
      const { deliveryId } = message.data;
      if (typeof deliveryId !== "string") throw new Error("queue message without deliveryId");
      await deliverer.deliver(deliveryId);
    }
  }

  /** A test-mode job of `owner` run to completion by the sandbox tester; its webhook rows are written. */
  async function completeJob(owner: TestOrg): Promise<string> {
    const job = await h.services.jobs.create(
      owner.test,
      { url: "https://example.com", description: "Check the page" },
      { source: "instahuman" },
    );
    const [assignmentId = ""] = await h.services.sandbox.claim(job.id);
    h.clock.advance(30_000);
    await h.services.sandbox.work(assignmentId);
    await h.runExtractions();
    // The dispatcher (startJobWebhookDispatch) does this after the commit in the server.
    const pending = await h.db.webhookDelivery.findMany({ where: { jobId: job.id, status: "pending" } });
    for (const row of pending) await deliverer.schedule(row.id);
    return job.id;
  }

  beforeAll(async () => {
    await receiver.listen();
    h = await createHarness(getDb());
    const config = { ...h.config, webhooks: { ...h.config.webhooks, maxAttempts: 2 } };
    deliverer = createWebhookDeliverer({ db: h.db, queue: h.queue, clock: h.clock, config, random: () => 0 });
    services = {
      ...h.contextServices,
      webhooks: createWebhooksService({ db: h.db, queue: h.queue, clock: h.clock, config, deliverer }),
    };
    org = await h.newOrg();
    other = await h.newOrg();
  });

  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it("creates, lists, updates and deletes endpoints; another organisation's ids are 404", async () => {
    const created = await caller(org.owner).webhooks.create({
      url: " https://hooks.example.com/eyeball ",
      description: "CI",
    });
    expect(created).toMatchObject({
      url: "https://hooks.example.com/eyeball",
      description: "CI",
      enabled: true,
      events: [],
    });
    const disabled = await caller(org.owner).webhooks.create({
      url: "https://b.example.com/",
      enabled: false,
    });
    expect(disabled.enabled).toBe(false);

    // Reads are open to API keys; the list is in creation order.
    const listed = await caller(org.live).webhooks.endpoints();
    expect(listed.map((e) => e.id)).toEqual([created.id, disabled.id]);

    const updated = await caller(org.owner).webhooks.update({
      id: created.id,
      url: "https://hooks.example.com/v2",
      description: "",
      enabled: false,
    });
    expect(updated).toMatchObject({ url: "https://hooks.example.com/v2", description: null, enabled: false });
    expect((await caller(org.owner).webhooks.update({ id: created.id, enabled: true })).enabled).toBe(true);

    for (const call of [
      () => caller(other.owner).webhooks.update({ id: created.id, enabled: false }),
      () => caller(other.owner).webhooks.delete({ id: created.id }),
    ]) {
      expect((await trpcError(call())).code).toBe("NOT_FOUND");
    }
    expect(await caller(other.owner).webhooks.endpoints()).toEqual([]);

    await expect(caller(org.owner).webhooks.delete({ id: created.id })).resolves.toEqual({
      id: created.id,
      deleted: true,
    });
    expect((await trpcError(caller(org.owner).webhooks.delete({ id: created.id }))).code).toBe("NOT_FOUND");
    await caller(org.owner).webhooks.delete({ id: disabled.id });
    expect(await caller(org.owner).webhooks.endpoints()).toEqual([]);
  });

  it("refuses bad URLs naming the url field, with the delivery rules of the configured mode", async () => {
    for (const [url, message] of [
      ["not a url", /^url: must be an absolute URL/],
      ["ftp://example.com/x", /^url: must use http or https/],
      ["https://user:pw@example.com/x", /^url: must not contain credentials/],
      ["", /^url: is required/],
    ] as const) {
      const error = await trpcError(caller(org.owner).webhooks.create({ url }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
    }
    const tooLong = await trpcError(
      caller(org.owner).webhooks.create({ url: "https://example.com/", description: "x".repeat(501) }),
    );
    expect(tooLong.message).toMatch(/^description: /);

    // Production refuses loopback and private targets, as the deliverer would at send time.
    const production = createCaller(
      createContextInner({
        services: {
          ...services,
          webhooks: createWebhooksService({
            db: h.db,
            queue: h.queue,
            clock: h.clock,
            config: apiConfig({ mode: "production" }),
            resolve: () => Promise.resolve(["10.0.0.7"]),
          }),
        },
        actor: org.owner,
      }),
    );
    for (const url of ["http://127.0.0.1:9/hook", "http://localhost/x", "https://internal.example.com/"]) {
      const error = await trpcError(production.webhooks.create({ url }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/^url: must not point at|^url: host internal\.example\.com resolves/);
    }
    expect(await caller(org.owner).webhooks.endpoints()).toEqual([]);
  });

  it("keeps endpoint management and the secret to signed-in owners", async () => {
    for (const call of [
      () => caller(org.live).webhooks.create({ url: "https://example.com/" }),
      () => caller(org.test).webhooks.revealSecret(),
      () => caller(org.live).webhooks.rotateSecret(),
    ]) {
      expect((await trpcError(call())).code).toBe("FORBIDDEN");
    }
    expect((await trpcError(caller().webhooks.endpoints())).code).toBe("UNAUTHORIZED");
  });

  it("delivers a finished job to each enabled endpoint, signed with the secret the owner reveals; rotation re-signs", async () => {
    const owner = await h.newOrg();
    const endpoint = await caller(owner.owner).webhooks.create({ url: receiver.url() });
    await caller(owner.owner).webhooks.create({ url: `${receiver.url()}/off`, enabled: false });
    const { secret } = await caller(owner.owner).webhooks.revealSecret();
    expect(secret).toMatch(/^whsec_/);
    expect((await caller(owner.owner).webhooks.revealSecret()).secret).toBe(secret);

    receiver.received.length = 0;
    receiver.state.status = 200;
    const jobId = await completeJob(owner);
    await drain();
    expect(receiver.received).toHaveLength(1);
    const first = receiver.received[0];
    if (!first) throw new Error("nothing received");
    const signature = first.headers["eyeball-signature"] as string;
    expect(verifyWebhookSignature(secret, signature, first.body, { now: h.clock.now() })).toBe(true);
    expect(JSON.parse(first.body)).toMatchObject({ id: jobId, status: "completed" });

    const page = await caller(owner.live).webhooks.deliveries({});
    expect(page.next).toBeNull();
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      eventType: "run.completed",
      jobId,
      endpointId: endpoint.id,
      url: receiver.url(),
      status: "delivered",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      inFlight: false,
    });
    expect(page.data[0]?.lastAttemptAt).toBeInstanceOf(Date);

    const rotated = await caller(owner.owner).webhooks.rotateSecret();
    expect(rotated.secret).not.toBe(secret);
    expect((await caller(owner.owner).webhooks.revealSecret()).secret).toBe(rotated.secret);
    receiver.received.length = 0;
    await completeJob(owner);
    await drain();
    const second = receiver.received[0];
    if (!second) throw new Error("nothing received");
    const resigned = second.headers["eyeball-signature"] as string;
    // The old secret stops signing at once.
    expect(verifyWebhookSignature(rotated.secret, resigned, second.body, { now: h.clock.now() })).toBe(true);
    expect(verifyWebhookSignature(secret, resigned, second.body, { now: h.clock.now() })).toBe(false);
  });

  it("records failures, pages and filters deliveries, and redelivers once the receiver is fixed", async () => {
    const owner = await h.newOrg();
    const endpoint = await caller(owner.owner).webhooks.create({ url: receiver.url() });
    const spare = await caller(owner.owner).webhooks.create({
      url: `${receiver.url()}/spare`,
      enabled: false,
    });
    receiver.state.status = 200;
    const okJob = await completeJob(owner);
    await drain();

    receiver.state.status = 500;
    const badJob = await completeJob(owner);
    const [queued] = (await caller(owner.owner).webhooks.deliveries({ status: "pending" })).data;
    expect(queued).toMatchObject({ jobId: badJob, status: "pending", attempts: 0, inFlight: true });
    // Queued for its first attempt: in flight.
    expect((await trpcError(caller(owner.owner).webhooks.redeliver({ id: queued?.id ?? "" }))).code).toBe(
      "CONFLICT",
    );
    await drain();
    const retrying = await caller(owner.owner).webhooks.delivery({ id: queued?.id ?? "" });
    expect(retrying).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      inFlight: false,
      payload: { id: badJob, status: "completed" },
    });
    expect(retrying.nextAttemptAt).toBeInstanceOf(Date);
    // The second (last) attempt fails too: failed for good.
    h.clock.advance(60_000);
    await deliverer.sweepDueDeliveries();
    await drain();
    const failed = await caller(owner.owner).webhooks.delivery({ id: queued?.id ?? "" });
    expect(failed).toMatchObject({ status: "failed", attempts: 2, lastStatusCode: 500, nextAttemptAt: null });

    // Newest first, one per page; filters by status and endpoint.
    const firstPage = await caller(owner.owner).webhooks.deliveries({ limit: 1 });
    expect(firstPage.data.map((d) => d.jobId)).toEqual([badJob]);
    const secondPage = await caller(owner.owner).webhooks.deliveries({ limit: 1, cursor: firstPage.next });
    expect(secondPage.data.map((d) => d.jobId)).toEqual([okJob]);
    expect(secondPage.next).toBeNull();
    expect(
      (await caller(owner.owner).webhooks.deliveries({ status: "failed" })).data.map((d) => d.id),
    ).toEqual([failed.id]);
    expect((await caller(owner.owner).webhooks.deliveries({ endpointId: spare.id })).data).toEqual([]);
    expect(
      (await caller(owner.owner).webhooks.deliveries({ endpointId: endpoint.id })).data.map((d) => d.jobId),
    ).toEqual([badJob, okJob]);
    const badStatus = await trpcError(
      caller(owner.owner).webhooks.deliveries({ status: "lost" as unknown as "failed" }),
    );
    expect(badStatus.message).toMatch(/^status: /);

    // Another organisation sees none of it.
    expect((await caller(other.owner).webhooks.deliveries({})).data).toEqual([]);
    // Thunks, started one at a time: a second call made up front would reject unhandled while the first is awaited.
    for (const call of [
      () => caller(other.owner).webhooks.delivery({ id: failed.id }),
      () => caller(other.owner).webhooks.redeliver({ id: failed.id }),
    ]) {
      expect((await trpcError(call())).code).toBe("NOT_FOUND");
    }

    // Fixed: the redelivery is a new row sent now; the failed one keeps its history.
    receiver.state.status = 200;
    receiver.received.length = 0;
    const resent = await caller(owner.owner).webhooks.redeliver({ id: failed.id });
    expect(resent).toMatchObject({ jobId: badJob, endpointId: endpoint.id, status: "pending", attempts: 0 });
    expect(resent.id).not.toBe(failed.id);
    // A second click while it is queued is 409.
    expect((await trpcError(caller(owner.owner).webhooks.redeliver({ id: failed.id }))).code).toBe(
      "CONFLICT",
    );
    await drain();
    expect(await caller(owner.owner).webhooks.delivery({ id: resent.id })).toMatchObject({
      status: "delivered",
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(await caller(owner.owner).webhooks.delivery({ id: failed.id })).toMatchObject({
      status: "failed",
      attempts: 2,
    });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers["eyeball-delivery"]).toBe(resent.id);
  });

  it("redelivers a delivery waiting out its backoff as its next attempt, now", async () => {
    const owner = await h.newOrg();
    await caller(owner.owner).webhooks.create({ url: receiver.url() });
    receiver.state.status = 503;
    await completeJob(owner);
    await drain();
    const [waiting] = (await caller(owner.owner).webhooks.deliveries({})).data;
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 503", inFlight: false });
    receiver.state.status = 200;
    const again = await caller(owner.owner).webhooks.redeliver({ id: waiting?.id ?? "" });
    expect(again).toMatchObject({ id: waiting?.id, status: "pending", attempts: 1 });
    await drain();
    expect(await caller(owner.owner).webhooks.delivery({ id: waiting?.id ?? "" })).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatusCode: 200,
    });
  });
});
