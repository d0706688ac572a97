// run(human) REST dialect over HTTP: create, poll, the blocking run (200/408), field presence, errors.
import { randomBytes } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type AppServices, createAccessServices } from "../../app-services";
import { createHarness, type Harness } from "../../services/jobs/testing/harness";
import { createRestRouter } from "../router";
import { createRunhumanRoutes, RUNHUMAN_CREATED_MESSAGE } from "./runhuman-routes";

const schema = { checkoutWorks: { type: "boolean", description: "Order placed successfully?" } };

describeEachEngine("run(human) REST routes", (getDb) => {
  let h: Harness;
  let services: AppServices;
  const servers: Server[] = [];
  let base: string;
  let shortBase: string;
  let key: string;
  let otherKey: string;

  async function start(runWaitMs: number): Promise<string> {
    const app = express();
    const config = { ...h.config, runWaitMs };
    app.use(
      "/api",
      createRestRouter(
        { ...services, config },
        { rateLimit: false, routes: [createRunhumanRoutes(h.services)] },
      ),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  }

  async function newKey(): Promise<string> {
    const org = await services.orgs.create({ slug: `rh-${randomBytes(4).toString("hex")}` });
    return (await services.apiKeys.create(org.id, { name: "runhuman", mode: "test" })).key;
  }

  const headers = (k = key, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${k}`,
    "content-type": "application/json",
    ...extra,
  });
  const post = (url: string, body: unknown, k = key, extra: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: headers(k, extra), body: JSON.stringify(body) });
  const getJob = async (id: string, k = key) => {
    const res = await fetch(`${base}/job/${id}`, { headers: headers(k) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** The sandbox tester claims now, works `seconds`, submits; the extraction runs — no sleeping. */
  async function complete(jobId: string, seconds: number): Promise<void> {
    const [assignmentId] = await h.services.sandbox.claim(jobId);
    if (!assignmentId) throw new Error("nothing claimed");
    h.clock.advance(seconds * 1000);
    await h.services.sandbox.work(assignmentId);
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
    key = await newKey();
    otherKey = await newKey();
    base = await start(60_000);
    shortBase = await start(150);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await h.close();
  });

  describe("POST /api/jobs and GET /api/job/:jobId", () => {
    it("creates (201, idempotent) and shows only {id, status} until completed, then every field", async () => {
      const idem = { "idempotency-key": `rh-${randomBytes(4).toString("hex")}` };
      const body = { url: "https://example.com/checkout", description: "Buy a thing", outputSchema: schema };
      const res = await post(`${base}/jobs`, body, key, idem);
      expect(res.status).toBe(201);
      const created = (await res.json()) as { jobId: string; message: string };
      expect(created).toEqual({
        jobId: expect.stringMatching(/^job_/) as unknown,
        message: RUNHUMAN_CREATED_MESSAGE,
      });
      const again = await post(`${base}/jobs`, body, key, idem);
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual(created);
      expect(await h.db.job.count({ where: { id: created.jobId } })).toBe(1);

      const before = await getJob(created.jobId);
      expect(before).toEqual({ status: 200, body: { id: created.jobId, status: "waiting" } });

      await h.services.sandbox.claim(created.jobId);
      const working = await getJob(created.jobId);
      expect(working.body).toEqual({ id: created.jobId, status: "working" });

      const [slot] = await h.db.assignment.findMany({ where: { jobId: created.jobId } });
      h.clock.advance(220_000);
      await h.services.sandbox.work(slot?.id ?? "");
      await h.runExtractions();

      const after = await getJob(created.jobId);
      expect(after.status).toBe(200);
      expect(after.body).toEqual({
        id: created.jobId,
        status: "completed",
        result: {
          success: true,
          explanation: expect.any(String) as unknown,
          data: { checkoutWorks: expect.anything() as unknown },
        },
        costUsd: 0.396,
        testDurationSeconds: 220,
        testerResponse: expect.stringMatching(/done/i) as unknown,
        testerAlias: expect.stringMatching(/^Sandbox Tester/) as unknown,
        testerAvatarUrl: null,
        testerColor: expect.anything() as unknown,
        testerData: {
          testDurationSeconds: 220,
          consoleMessages: [],
          networkRequests: [],
          clicks: [],
          screenshots: [],
        },
      });
    });

    it("returns an incomplete job's result with its unanswered field null and its cost", async () => {
      const res = await post(`${base}/jobs`, {
        url: "https://example.com",
        description: "Check it [sandbox:incomplete]",
        outputSchema: { ...schema, total: { type: "number", description: "Total?" } },
      });
      const { jobId } = (await res.json()) as { jobId: string };
      await complete(jobId, 61);
      const body = (await getJob(jobId)).body as {
        status: string;
        result: { success: boolean; data: Record<string, unknown> };
        costUsd: number;
        testDurationSeconds: number;
      };
      expect(body).toMatchObject({
        id: jobId,
        status: "incomplete",
        costUsd: 0.1098,
        testDurationSeconds: 61,
      });
      expect(body.result.success).toBe(false);
      expect(Object.values(body.result.data)).toContain(null);
    });

    it("answers 400 naming the field, 401 without a key, 403 for another org's job, 404 for unknown", async () => {
      const noUrl = await post(`${base}/jobs`, { description: "x" });
      expect(noUrl.status).toBe(400);
      expect(await noUrl.json()).toEqual({
        error: "validation_error",
        message: expect.stringMatching(/^url: /) as unknown,
      });
      const badDuration = await post(`${base}/jobs`, {
        url: "https://example.com",
        description: "x",
        targetDurationMinutes: 99,
      });
      expect(badDuration.status).toBe(400);
      expect(((await badDuration.json()) as { message: string }).message).toMatch(/^targetDurationMinutes: /);

      const unauthenticated = await fetch(`${base}/jobs`, { method: "POST", body: "{}" });
      expect(unauthenticated.status).toBe(401);
      expect(((await unauthenticated.json()) as { error: string }).error).toBe("unauthorized");
      expect((await fetch(`${base}/job/job_x`, { headers: headers("eb_test_nope") })).status).toBe(401);

      const mine = (await (
        await post(`${base}/jobs`, { url: "https://example.com", description: "x" })
      ).json()) as {
        jobId: string;
      };
      const theirs = await getJob(mine.jobId, otherKey);
      expect(theirs.status).toBe(403);
      expect(theirs.body.error).toBe("forbidden");
      const unknown = await getJob("job_does_not_exist");
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: "not_found" });
    });
  });

  describe("POST /api/run", () => {
    it("blocks until the job ends and answers 200 with the GET body", async () => {
      const pending = post(`${base}/run`, {
        url: "https://example.com",
        description: "Try it",
        outputSchema: schema,
      });
      let jobId: string | undefined;
      for (let i = 0; i < 200 && !jobId; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const job = await h.db.job.findFirst({
          where: { description: "Try it", status: "waiting" },
          select: { id: true },
        });
        jobId = job?.id;
      }
      if (!jobId) throw new Error("the run's job was not created");
      await complete(jobId, 100);
      const res = await pending;
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ id: jobId, status: "completed", costUsd: 0.18, testDurationSeconds: 100 });
      expect(body).toEqual((await getJob(jobId)).body);
    });

    it("answers 408 with the job id when the wait runs out; the job goes on", async () => {
      const res = await post(`${shortBase}/run`, { url: "https://example.com", description: "Slow one" });
      expect(res.status).toBe(408);
      const body = (await res.json()) as { error: string; message: string; jobId: string };
      expect(body).toEqual({
        error: "timeout",
        message: "Test did not complete within 0.15 seconds",
        jobId: expect.stringMatching(/^job_/) as unknown,
      });
      expect((await getJob(body.jobId)).body).toEqual({ id: body.jobId, status: "waiting" });
    });

    it("answers a terminal failure at once with {id, status}", async () => {
      const pending = post(`${base}/run`, {
        url: "https://example.com",
        description: "Nope [sandbox:reject]",
      });
      let jobId: string | undefined;
      for (let i = 0; i < 200 && !jobId; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        jobId = (await h.db.job.findFirst({ where: { description: "Nope [sandbox:reject]" } }))?.id;
      }
      if (!jobId) throw new Error("the run's job was not created");
      const [assignmentId] = await h.services.sandbox.claim(jobId);
      await h.services.sandbox.work(assignmentId ?? "");
      const res = await pending;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: jobId, status: "rejected" });
    });

    it("400 names the field before anything is created", async () => {
      const res = await post(`${base}/run`, { url: "ftp://example.com", description: "x" });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^url: /);
    });
  });
});
