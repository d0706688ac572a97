// The SDK against a real server (embedded database, sandbox tester): run() to completion through events and polling,
// typed errors from real answers, idempotent creates, every dialect's reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@eyeball/server/testing";

import {
  AuthenticationError,
  BadRequestError,
  createEyeballClient,
  type EyeballClient,
  NotFoundError,
  type RunhumanJob,
} from "./index";

let eyeball: TestServer;
let baseUrl: string;
let sdk: EyeballClient;

const job = {
  url: "https://example.com",
  description: "Check that the page loads",
  outputSchema: { loads: { type: "boolean" as const, description: "Does the page load?" } },
};

beforeAll(async () => {
  eyeball = await startTestServer();
  baseUrl = eyeball.url;
  sdk = createEyeballClient({ apiKey: eyeball.testKey, baseUrl });
}, 120_000);

afterAll(async () => {
  await eyeball?.close();
});

describe("run()", () => {
  it("creates a job and follows it through events to completed, with the result and cost", async () => {
    const statuses: string[] = [];
    let createdId: string | undefined;
    const done: RunhumanJob = await sdk.run(job, {
      onCreated: (id) => (createdId = id),
      onUpdate: (update) => statuses.push(update.status),
      transport: "events",
      timeoutMs: 30_000,
    });
    expect(done.id).toBe(createdId);
    expect(done.status).toBe("completed");
    expect(typeof done.result?.success).toBe("boolean");
    expect(done.result?.data).toHaveProperty("loads");
    expect(done.costUsd).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe("completed");
    expect(statuses).toContain("working");
  });

  it("completes the same way by polling", async () => {
    const done = await sdk.run(job, { transport: "poll", pollIntervalMs: 50, timeoutMs: 30_000 });
    expect(done.status).toBe("completed");
    await expect(sdk.jobs.get(done.id)).resolves.toMatchObject({ id: done.id, status: "completed" });
  });

  it("follow() yields the job's bodies and ends after the terminal one", async () => {
    const { jobId } = await sdk.jobs.create(job);
    const bodies: RunhumanJob[] = [];
    for await (const body of sdk.jobs.follow(jobId)) bodies.push(body);
    expect(bodies[0]!.id).toBe(jobId);
    expect(bodies.at(-1)!.status).toBe("completed");
  });

  it("runBlocking() waits on the server", async () => {
    await expect(sdk.runBlocking(job)).resolves.toMatchObject({ status: "completed" });
  });
});

describe("requests", () => {
  it("a repeated Idempotency-Key creates one job", async () => {
    const a = await sdk.jobs.create(job, { idempotencyKey: "sdk-idem-1" });
    const b = await sdk.jobs.create(job, { idempotencyKey: "sdk-idem-1" });
    expect(b.jobId).toBe(a.jobId);
  });

  it("raises typed errors from the server's real answers", async () => {
    const bad = await sdk.jobs.create({ ...job, targetDurationMinutes: 99 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).message).toMatch(/targetDurationMinutes/);
    await expect(sdk.jobs.get("00000000-0000-7000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    const stranger = createEyeballClient({ apiKey: "eb_test_not_a_key", baseUrl });
    await expect(stranger.jobs.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("reads every dialect: Instahuman jobs and pages, TesterArmy runs, projects, billing, catalogs, health", async () => {
    const page = await sdk.jobs.list({ limit: 2 });
    expect(page.data.length).toBeGreaterThan(0);
    const all: string[] = [];
    for await (const item of sdk.jobs.all({ limit: 2 })) all.push(item.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(page.data.length);
    await expect(sdk.jobs.details(page.data[0]!.id)).resolves.toMatchObject({ id: page.data[0]!.id });
    await expect(sdk.runs.list({ limit: 1 })).resolves.toHaveProperty("runs");
    const project = await sdk.projects.create({ name: "SDK project" });
    await expect(sdk.projects.get(project.id)).resolves.toMatchObject({ name: "SDK project" });
    await expect(sdk.billing.get()).resolves.toMatchObject({ mode: "test", cardPayments: false });
    // Card payments are not configured on this server: 501 in the error shape, as a typed error.
    await expect(sdk.billing.addCredits({ usd: 10 })).rejects.toMatchObject({
      status: 501,
      type: "payments_not_configured",
    });
    await expect(sdk.catalogs.categories()).resolves.toHaveProperty("data");
    await expect(sdk.health()).resolves.toMatchObject({ status: "ok" });
  });
});
