// Instahuman job routes over HTTP on both engines: cursor pages, scoping, every owner action, 409 and 402.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type InstahumanApp, type InstahumanOrg, startInstahumanApp } from "./instahuman-testing";

const desc = "Check that the signup form works";

describeEachEngine("Instahuman job routes", (getDb) => {
  let app: InstahumanApp;
  let org: InstahumanOrg;
  let other: InstahumanOrg;

  beforeAll(async () => {
    app = await startInstahumanApp(getDb());
    org = await app.newOrg();
    other = await app.newOrg();
  });
  afterAll(async () => {
    await app.close();
  });

  const createJob = async (owner: InstahumanOrg, input: Record<string, unknown> = {}) =>
    app.h.services.jobs.create(
      owner.live,
      { url: "https://example.com", description: desc, ...input },
      { source: "instahuman" },
    );

  it("GET /api/jobs pages newest first with an opaque cursor and filters by status and project", async () => {
    const owner = await app.newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      app.h.clock.advance(1000);
      ids.push((await createJob(owner)).id);
    }
    const first = await app.call(owner.liveKey, "GET", "/jobs?limit=2");
    expect(first.status).toBe(200);
    const firstData = first.body.data as { id: string; status: string }[];
    expect(firstData.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(typeof first.body.next).toBe("string");
    const second = await app.call(owner.liveKey, "GET", `/jobs?limit=2&cursor=${String(first.body.next)}`);
    expect((second.body.data as { id: string }[]).map((j) => j.id)).toEqual([ids[0]]);
    expect(second.body.next).toBeNull();

    expect((await app.call(owner.liveKey, "GET", "/jobs?status=completed")).body).toEqual({
      data: [],
      next: null,
    });
    const waiting = await app.call(owner.liveKey, "GET", "/jobs?status=waiting");
    expect((waiting.body.data as unknown[]).length).toBe(3);
    // Default limit 20; the other organisation and the test key see none of these.
    expect((await app.call(other.liveKey, "GET", "/jobs")).body.data).toEqual([]);
    expect((await app.call(owner.testKey, "GET", "/jobs")).body.data).toEqual([]);

    const project = await app.projects.create(owner.live, { name: "Checkout" });
    const inProject = await createJob(owner, { projectId: project.id });
    const filtered = await app.call(owner.liveKey, "GET", `/jobs?projectId=${project.id}`);
    expect((filtered.body.data as { id: string }[]).map((j) => j.id)).toEqual([inProject.id]);
  });

  it("400 names the bad query parameter", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=abc", "limit"],
      ["cursor=nope", "cursor"],
      ["status=bogus", "status"],
    ] as const) {
      const res = await app.call(org.liveKey, "GET", `/jobs?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toBe("validation_error");
      expect(String(res.body.message)).toMatch(new RegExp(`^${field}: `));
    }
  });

  it("GET /api/jobs/:id answers the Instahuman job resource; 403 for another org's, 404 for none, 401 without a key", async () => {
    const job = await createJob(org, { testerCount: 2, title: "Signup" });
    const res = await app.call(org.liveKey, "GET", `/jobs/${job.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: job.id,
      status: "waiting",
      control: "active",
      settlement: "unsettled",
      url: "https://example.com",
      description: desc,
      title: "Signup",
      projectId: null,
      testerCount: 2,
      costUsd: 0,
      holdUsd: 1.08,
      result: null,
    });
    expect(res.body.assignments).toHaveLength(2);
    expect((res.body.assignments as { status: string; tester: unknown }[])[0]).toMatchObject({
      status: "open",
      tester: null,
    });
    expect(typeof res.body.createdAt).toBe("string");
    expect(res.body).not.toHaveProperty("orgId");
    expect(res.body).not.toHaveProperty("webhookUrl");

    expect((await app.call(other.liveKey, "GET", `/jobs/${job.id}`)).status).toBe(403);
    expect((await app.call(org.liveKey, "GET", "/jobs/job_missing")).status).toBe(404);
    expect((await app.call(org.testKey, "GET", `/jobs/${job.id}`)).status).toBe(404);
    expect((await fetch(`${app.base}/jobs/${job.id}`)).status).toBe(401);
  });

  it("pause, resume and stop return the updated job; illegal moves are 409; another org's is 403", async () => {
    const job = await createJob(org);
    const paused = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: job.id, control: "paused" });
    const again = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("invalid_transition");

    expect((await app.call(other.liveKey, "POST", `/owner/jobs/${job.id}/resume`)).status).toBe(403);
    expect((await app.call(org.liveKey, "POST", "/owner/jobs/job_missing/resume")).status).toBe(404);

    const resumed = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resume`);
    expect(resumed.body).toMatchObject({ control: "active" });
    const stopped = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ control: "stopped", holdUsd: 0 });
    expect((await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resume`)).status).toBe(409);
  });

  it("settle, dispute and approve: costUsd at full precision, dispute blocks approve (409)", async () => {
    const owner = await app.newOrg();
    const tester = await app.h.newTester();
    const job = await createJob(owner, { testerCount: 2 });
    const { assignment } = await app.h.services.tester.claim(tester, job.id);
    expect((await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/settle`)).status).toBe(409);
    app.h.clock.advance(61_500);
    await app.h.services.tester.submit(tester, assignment.id, "The signup form works. Done.");
    await app.h.runExtractions();

    const settled = await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/settle`);
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({
      status: "completed",
      settlement: "settled",
      costUsd: 0.1116,
      holdUsd: 0,
    });
    const slots = settled.body.assignments as {
      id: string;
      status: string;
      costUsd: number;
      tester: unknown;
    }[];
    expect(slots.map((s) => s.status)).toEqual(["completed", "closed"]);
    expect(slots[0]).toMatchObject({ id: assignment.id, costUsd: 0.1116, tester: { testerId: tester } });

    const badDispute = await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/dispute`, {
      assignmentIds: "x",
      reason: "r",
    });
    expect(badDispute.status).toBe(400);
    expect(String(badDispute.body.message)).toMatch(/^assignmentIds: /);

    const disputed = await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/dispute`, {
      assignmentIds: [assignment.id],
      reason: "The tester skipped step 2",
    });
    expect(disputed.status).toBe(200);
    expect(disputed.body).toMatchObject({ id: job.id, settlement: "settled" });
    const blocked = await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/approve`);
    expect(blocked.status).toBe(409);
    expect(String(blocked.body.message)).toMatch(/under dispute/);

    await app.h.db.dispute.updateMany({ where: { assignmentId: assignment.id }, data: { status: "upheld" } });
    const approved = await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ settlement: "approved" });
    expect((await app.call(owner.liveKey, "POST", `/owner/jobs/${job.id}/approve`)).status).toBe(409);
  });

  it("approve before settle and dispute of an unsettled job are 409", async () => {
    const job = await createJob(org);
    expect((await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/approve`)).status).toBe(409);
    const res = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/dispute`, {
      assignmentIds: ["a"],
      reason: "r",
    });
    expect(res.status).toBe(409);
  });

  it("resize up opens slots and raises the hold; below claimed is 409; beyond credit is 402", async () => {
    const job = await createJob(org);
    const up = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resize`, { testerCount: 3 });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ testerCount: 3, holdUsd: 1.62 });
    expect(up.body.assignments).toHaveLength(3);

    for (let i = 0; i < 2; i++) await app.h.services.tester.claim(await app.h.newTester(), job.id);
    const below = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resize`, { testerCount: 0 });
    expect(below.status).toBe(400);
    expect(String(below.body.message)).toMatch(/^testerCount: /);
    const conflict = await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resize`, { testerCount: 1 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe("invalid_transition");
    expect(
      (await app.call(org.liveKey, "POST", `/owner/jobs/${job.id}/resize`, { testerCount: "2" })).status,
    ).toBe(400);

    const poor = await app.newOrg({ creditMicros: 600_000n });
    const small = await createJob(poor);
    const refused = await app.call(poor.liveKey, "POST", `/owner/jobs/${small.id}/resize`, {
      testerCount: 2,
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toBe("insufficient_credit");
    expect((await app.call(poor.liveKey, "GET", `/jobs/${small.id}`)).body).toMatchObject({
      testerCount: 1,
      holdUsd: 0.54,
    });
  });
});
