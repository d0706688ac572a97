// TesterArmy REST dialect over HTTP: create, get, list with paging and filters, cancel, and the signed webhook.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type AppServices, createAccessServices } from "../../app-services";
import { type ApiConfig } from "../../config";
import { startJobWebhookDispatch } from "../../services/jobs/job-webhooks";
import { pngOf } from "../../services/artifacts/testing/png";
import { createHarness, type Harness } from "../../services/jobs/testing/harness";
import {
  createWebhookDeliverer,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  WEBHOOK_DELIVER_QUEUE,
} from "../../services/webhooks";
import { createRestRouter } from "../router";
import { createTesterArmyRoutes } from "./testerarmy-routes";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describeEachEngine("TesterArmy REST routes", (getDb) => {
  let h: Harness;
  let services: AppServices;
  const servers: Server[] = [];
  let base: string;
  let productionBase: string;
  let production: Harness;
  let key: string;
  let orgId: string;
  let otherKey: string;
  let receiverUrl: string;
  const received: Received[] = [];

  async function listen(server: Server): Promise<string> {
    server.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function start(config: ApiConfig, jobs = h.services.jobs): Promise<string> {
    const app = express();
    app.use(
      "/api",
      createRestRouter(
        { ...services, config },
        { rateLimit: false, routes: [createTesterArmyRoutes({ jobs, artifacts: h.services.artifacts })] },
      ),
    );
    return `${await listen(createServer(app))}/api/v1`;
  }

  async function newOrg(): Promise<{ orgId: string; key: string }> {
    const org = await services.orgs.create({ slug: `ta-${randomBytes(4).toString("hex")}` });
    return { orgId: org.id, key: (await services.apiKeys.create(org.id, { name: "ta", mode: "test" })).key };
  }

  const headers = (k = key) => ({ authorization: `Bearer ${k}`, "content-type": "application/json" });
  const post = (url: string, body: unknown, k = key) =>
    fetch(url, { method: "POST", headers: headers(k), body: JSON.stringify(body) });
  async function getJson(url: string, k = key) {
    const res = await fetch(url, { headers: headers(k) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function createRun(prompt: string, extra: Record<string, unknown> = {}, k = key): Promise<string> {
    const res = await post(`${base}/runs`, { prompt, ...extra }, k);
    expect(res.status).toBe(202);
    // Distinct creation times keep the newest-first order unambiguous.
    h.clock.advance(1000);
    return ((await res.json()) as { id: string }).id;
  }
  async function finish(jobId: string, seconds = 30): Promise<void> {
    const [assignmentId] = await h.services.sandbox.claim(jobId);
    h.clock.advance(seconds * 1000);
    await h.services.sandbox.work(assignmentId ?? "");
    await h.runExtractions();
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = {
      db: h.db,
      clock: h.clock,
      config: h.config,
      ...createAccessServices({ db: h.db, clock: h.clock }),
    };
    ({ orgId, key } = await newOrg());
    otherKey = (await newOrg()).key;
    base = await start(h.config);
    // The outbound-URL rule lives in the jobs service, so production needs a service in production mode.
    production = await createHarness(getDb(), { config: { mode: "production" } });
    productionBase = await start(production.config, production.services.jobs);
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(204).end();
      });
    });
    receiverUrl = `${await listen(receiver)}/hooks/testerarmy`;
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await production.close();
    await h.close();
  });

  describe("POST /runs and GET /runs/:id", () => {
    it("202 {id, status: queued, createdAt}; the URL comes from the prompt", async () => {
      const prompt = "Go to https://example.com/pricing. Click the Pro plan Get Started button.";
      const res = await post(`${base}/runs`, { prompt });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; status: string; createdAt: string };
      expect(body).toEqual({
        id: expect.stringMatching(/^job_/) as unknown,
        status: "queued",
        createdAt: h.clock.now().toISOString(),
      });
      const job = await h.db.job.findUniqueOrThrow({ where: { id: body.id } });
      expect(job).toMatchObject({
        url: "https://example.com/pricing",
        description: prompt,
        source: "testerarmy",
      });

      const run = await getJson(`${base}/runs/${body.id}`);
      expect(run).toEqual({
        status: 200,
        body: {
          id: body.id,
          type: "chat",
          status: "queued",
          input: { prompt },
          output: null,
          error: null,
          durationMs: null,
          webhookUrl: null,
          webhookStatus: null,
          createdAt: body.createdAt,
          startedAt: null,
          completedAt: null,
        },
      });
    });

    it("400 naming prompt without a URL, webhookUrl in production for private targets; 401; 403; 404", async () => {
      const noUrl = await post(`${base}/runs`, { prompt: "test the signup page" });
      expect(noUrl.status).toBe(400);
      expect(await noUrl.json()).toEqual({
        error: "validation_error",
        message: expect.stringMatching(/^prompt: /) as unknown,
      });
      const missing = await post(`${base}/runs`, {});
      expect(((await missing.json()) as { message: string }).message).toMatch(/^prompt: /);

      const privateHook = await post(`${productionBase}/runs`, {
        prompt: "Open https://example.com",
        webhookUrl: "http://127.0.0.1:9/hook",
      });
      expect(privateHook.status).toBe(400);
      expect(((await privateHook.json()) as { message: string }).message).toMatch(/^webhookUrl: /);

      expect((await fetch(`${base}/runs`, { method: "POST", body: "{}" })).status).toBe(401);
      const id = await createRun("Open https://example.com");
      expect((await getJson(`${base}/runs/${id}`, otherKey)).status).toBe(403);
      expect((await getJson(`${base}/runs/job_unknown`)).status).toBe(404);
    });

    it("maps a completed run to PASS with its output and duration", async () => {
      const id = await createRun("Check https://example.com/signup works");
      await h.services.sandbox.claim(id);
      expect((await getJson(`${base}/runs/${id}`)).body).toMatchObject({ status: "running", output: null });
      const [slot] = await h.db.assignment.findMany({ where: { jobId: id } });
      h.clock.advance(12_000);
      await h.services.sandbox.work(slot?.id ?? "");
      await h.runExtractions();
      const { body } = await getJson(`${base}/runs/${id}`);
      expect(body).toMatchObject({
        status: "completed",
        output: {
          featureName: "Check https://example.com/signup works",
          result: "PASS",
          description: expect.any(String) as unknown,
          issues: [],
          screenshots: [],
        },
        error: null,
        durationMs: 12_000,
        startedAt: expect.any(String) as unknown,
        completedAt: h.clock.now().toISOString(),
      });
    });

    it("maps a rejected run to failed with FAIL and the error", async () => {
      const id = await createRun("Open https://example.com [sandbox:reject]");
      await finish(id);
      const { body } = await getJson(`${base}/runs/${id}`);
      expect(body).toMatchObject({
        status: "failed",
        output: { result: "FAIL", description: expect.stringMatching(/rejected/) as unknown },
        error: expect.stringMatching(/rejected/) as unknown,
      });
    });
  });

  describe("GET /runs", () => {
    it("pages newest first, filters by run status and refuses limit > 100", async () => {
      const org = await newOrg();
      const queued = await createRun("A https://example.com/a", {}, org.key);
      const failed = await createRun("B https://example.com/b [sandbox:reject]", {}, org.key);
      const abandoned = await createRun("C https://example.com/c [sandbox:abandon]", {}, org.key);
      const completed = await createRun("D https://example.com/d", {}, org.key);
      await finish(failed);
      await finish(completed);
      await h.db.job.update({ where: { id: abandoned }, data: { allowSlotReopen: false } });
      await finish(abandoned);

      const first = await getJson(`${base}/runs?limit=3`, org.key);
      expect(first.status).toBe(200);
      const page = first.body as { runs: { id: string; status: string }[]; nextCursor: string | null };
      expect(page.runs.map((r) => r.id)).toEqual([completed, abandoned, failed]);
      expect(page.runs[0]).toEqual({
        id: completed,
        type: "chat",
        status: "completed",
        input: { prompt: "D https://example.com/d" },
        durationMs: 30_000,
        createdAt: expect.any(String) as unknown,
        completedAt: expect.any(String) as unknown,
      });
      expect(page.nextCursor).toEqual(expect.any(String));
      const second = (await getJson(`${base}/runs?limit=3&cursor=${page.nextCursor ?? ""}`, org.key)).body;
      expect(second).toEqual({
        runs: [expect.objectContaining({ id: queued, status: "queued" })],
        nextCursor: null,
      });

      const all = (await getJson(`${base}/runs`, org.key)).body as { runs: unknown[] };
      expect(all.runs).toHaveLength(4);

      const failedRuns = (await getJson(`${base}/runs?status=failed&limit=1`, org.key)).body as {
        runs: { id: string; status: string }[];
        nextCursor: string | null;
      };
      expect(failedRuns.runs.map((r) => [r.id, r.status])).toEqual([[abandoned, "failed"]]);
      const failedNext = (
        await getJson(`${base}/runs?status=failed&limit=1&cursor=${failedRuns.nextCursor ?? ""}`, org.key)
      ).body as { runs: { id: string }[]; nextCursor: string | null };
      expect(failedNext).toEqual({ runs: [expect.objectContaining({ id: failed })], nextCursor: null });
      const queuedRuns = (await getJson(`${base}/runs?status=queued`, org.key)).body as {
        runs: { id: string }[];
      };
      expect(queuedRuns.runs.map((r) => r.id)).toEqual([queued]);

      const tooMany = await getJson(`${base}/runs?limit=101`, org.key);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toMatch(/^limit: /);
      const badStatus = await getJson(`${base}/runs?status=waiting`, org.key);
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.message).toMatch(/^status: /);
    });
  });

  describe("POST /runs/:id/cancel", () => {
    it("cancels a queued run (200) and refuses once a tester claimed (409)", async () => {
      const id = await createRun("Open https://example.com/cancel-me");
      const res = await post(`${base}/runs/${id}/cancel`, {});
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id, status: "cancelled" });
      expect((await getJson(`${base}/runs/${id}`)).body).toMatchObject({ status: "cancelled", output: null });

      const claimed = await createRun("Open https://example.com/too-late");
      await h.services.sandbox.claim(claimed);
      const late = await post(`${base}/runs/${claimed}/cancel`, {});
      expect(late.status).toBe(409);
      expect(((await late.json()) as { error: string }).error).toBe("invalid_transition");
    });
  });

  describe("webhooks", () => {
    it("delivers the signed run body on completion, after commit; webhookStatus becomes delivered", async () => {
      const deliverer = createWebhookDeliverer({
        db: h.db,
        queue: h.queue,
        clock: h.clock,
        config: h.config,
      });
      const dispatch = startJobWebhookDispatch({ db: h.db, events: h.deps.events, deliverer });
      try {
        const id = await createRun("Check https://example.com/hooks", { webhookUrl: receiverUrl });
        expect((await getJson(`${base}/runs/${id}`)).body).toMatchObject({
          webhookUrl: receiverUrl,
          webhookStatus: "pending",
        });
        // The tester's recording has a screenshot: the run body links to it.
        const [assignmentId = ""] = await h.services.sandbox.claim(id);
        const shot = await h.services.artifacts.put({
          assignmentId,
          kind: "screenshot",
          contentType: "image/png",
          data: pngOf(1366, 768),
        });
        h.clock.advance(30_000);
        await h.services.sandbox.work(assignmentId);
        await h.runExtractions();

        const delivery = await h.db.webhookDelivery.findFirstOrThrow({ where: { jobId: id } });
        expect(delivery).toMatchObject({ event: "run.completed", url: receiverUrl, status: "pending" });
        // The dispatcher hears job.finished after the commit and schedules the delivery.
        let scheduled = h.queue.take(WEBHOOK_DELIVER_QUEUE, (d) => d.deliveryId === delivery.id);
        for (let i = 0; i < 100 && scheduled.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          scheduled = h.queue.take(WEBHOOK_DELIVER_QUEUE, (d) => d.deliveryId === delivery.id);
        }
        expect(scheduled).toHaveLength(1);

        const outcome = await deliverer.deliver(delivery.id);
        expect(outcome).toMatchObject({ status: "delivered", statusCode: 204 });
        const call = received.at(-1);
        if (!call) throw new Error("nothing received");
        const org = await h.db.organization.findUniqueOrThrow({ where: { id: orgId } });
        const signature = call.headers[SIGNATURE_HEADER.toLowerCase()];
        expect(
          verifyWebhookSignature(
            org.webhookSecret ?? "",
            typeof signature === "string" ? signature : null,
            call.body,
            {
              now: h.clock.now(),
            },
          ),
        ).toBe(true);
        const sent = JSON.parse(call.body) as { output: { screenshots: string[] } };
        expect(sent).toMatchObject({
          id,
          status: "completed",
          output: { result: "PASS" },
          webhookUrl: receiverUrl,
        });
        expect(sent.output.screenshots).toEqual([
          expect.stringMatching(new RegExp(`/artifacts/${shot.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`)),
        ]);
        const read = (await getJson(`${base}/runs/${id}`)).body as { output: { screenshots: string[] } };
        expect(read.output.screenshots).toEqual(sent.output.screenshots);
        expect(call.headers["eyeball-event"]).toBe("run.completed");
        expect((await getJson(`${base}/runs/${id}`)).body).toMatchObject({ webhookStatus: "delivered" });
      } finally {
        dispatch.stop();
        await dispatch.done;
      }
    });

    it("writes run.cancelled when a run with a webhook is cancelled", async () => {
      const id = await createRun("Open https://example.com/x", { webhookUrl: receiverUrl });
      expect((await post(`${base}/runs/${id}/cancel`, {})).status).toBe(200);
      const delivery = await h.db.webhookDelivery.findFirstOrThrow({ where: { jobId: id } });
      expect(delivery.event).toBe("run.cancelled");
      expect(delivery.payload).toMatchObject({ id, status: "cancelled", webhookStatus: "pending" });
    });
  });
});
