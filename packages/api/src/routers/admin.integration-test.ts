// admin.* through the caller on both engines: organisations and testers in pages, overview counts, open disputes, access.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { trpcError } from "./testing/trpc-error";

/** Every item of a paged list, following `next` with `limit` per page; fails on a repeated id. */
async function everyPage<T>(
  fetchPage: (cursor: string | null) => Promise<{ data: T[]; next: string | null }>,
  idOf: (item: T) => string,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.data);
    cursor = page.next;
    pages += 1;
  } while (cursor !== null && pages < 100);
  expect(new Set(items.map(idOf)).size).toBe(items.length);
  return { items, pages };
}

const admin: Actor = { kind: "user", userId: "admin", orgId: null, isAdmin: true };

describeEachEngine("admin router", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;

  const caller = (actor?: Actor) =>
    createCaller(createContextInner({ services, ...(actor ? { actor } : {}) }));

  /** A finished single-tester job of `owner` with an open dispute on its one assignment. */
  async function disputedJob(owner: TestOrg, reason: string) {
    const tester = await h.newTester();
    const job = await h.services.jobs.create(
      owner.live,
      { url: "https://example.com", description: "Sign up" },
      { source: "instahuman" },
    );
    const { assignment } = await h.services.tester.claim(tester, job.id);
    h.clock.advance(60_000);
    await h.services.tester.submit(tester, assignment.id, "The signup form works. Done.");
    await h.runExtractions();
    await h.services.jobs.dispute(owner.owner, job.id, { assignmentIds: [assignment.id], reason });
    return { jobId: job.id, assignmentId: assignment.id, testerId: tester };
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    org = await h.newOrg();
  });

  afterAll(async () => {
    await h.close();
  });

  it("lists every organisation newest first, in cursor pages, with their sizes", async () => {
    const more = [await h.newOrg(), await h.newOrg(), await h.newOrg()];
    await h.db.project.create({ data: { orgId: org.orgId, name: "Counted" } });
    const { items, pages } = await everyPage(
      (cursor) => caller(admin).admin.orgs({ limit: 2, cursor }),
      (o) => o.id,
    );
    const all = await h.db.organization.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(items.map((o) => o.id)).toEqual(all.map((o) => o.id));
    expect(pages).toBe(Math.ceil(all.length / 2));
    for (const created of more) expect(items.map((o) => o.id)).toContain(created.orgId);
    expect(items.find((o) => o.id === org.orgId)).toMatchObject({
      memberCount: 1,
      projectCount: 1,
      jobCount: 0,
    });
    const first = await caller(admin).admin.orgs({});
    expect(first.data.length).toBe(Math.min(all.length, 20));
    // The per-organisation webhook secret is never listed.
    expect(JSON.stringify(first)).not.toMatch(/webhookSecret/);
  });

  it("lists testers in pages, without the sandbox's simulated testers unless asked", async () => {
    const real = [await h.newTester(), await h.newTester(), await h.newTester()];
    const simulated = await h.db.user.create({
      data: {
        email: `sandbox-admin-test@sandbox.eyeball.invalid`,
        name: "Sandbox",
        testerProfile: { create: { alias: "Sandbox 1", isSandbox: true } },
      },
      include: { testerProfile: true },
    });
    const simulatedId = simulated.testerProfile?.id ?? "";

    const { items } = await everyPage(
      (cursor) => caller(admin).admin.testers({ limit: 2, cursor }),
      (t) => t.testerId,
    );
    const ids = items.map((t) => t.testerId);
    for (const id of real) expect(ids).toContain(id);
    expect(ids).not.toContain(simulatedId);
    expect(items.every((t) => !t.isSandbox)).toBe(true);
    const one = items.find((t) => t.testerId === real[0]);
    expect(one?.email).toMatch(/@example\.test$/);
    expect(one?.assignmentCount).toBe(0);

    const withSandbox = await everyPage(
      (cursor) => caller(admin).admin.testers({ limit: 3, cursor, includeSandbox: true }),
      (t) => t.testerId,
    );
    expect(withSandbox.items.find((t) => t.testerId === simulatedId)).toMatchObject({ isSandbox: true });
    expect(withSandbox.items).toHaveLength(items.length + 1);
  });

  it("overview counts jobs by status (per mode when asked) and open disputes; disputes lists the open ones", async () => {
    const before = await caller(admin).admin.overview();
    const beforeLive = await caller(admin).admin.overview({ mode: "live" });
    const owner = await h.newOrg();

    await h.services.jobs.create(
      owner.live,
      { url: "https://example.com", description: "Waits" },
      { source: "instahuman" },
    );
    const cancelled = await h.services.jobs.create(
      owner.test,
      { url: "https://example.com", description: "Cancelled" },
      { source: "instahuman" },
    );
    await h.services.jobs.cancel(owner.test, cancelled.id);
    const first = await disputedJob(owner, "The tester skipped step 2");
    h.clock.advance(1000);
    const second = await disputedJob(org, "No screenshot of the error");
    h.clock.advance(1000);
    const third = await disputedJob(owner, "Wrong screen size");
    // A dispute already decided is not open any more.
    await h.db.dispute.update({ where: { assignmentId: third.assignmentId }, data: { status: "upheld" } });

    const after = await caller(admin).admin.overview();
    expect(after.jobsByStatus).toEqual({
      ...before.jobsByStatus,
      waiting: before.jobsByStatus.waiting + 1,
      cancelled: before.jobsByStatus.cancelled + 1,
      completed: before.jobsByStatus.completed + 3,
    });
    expect(after.jobs).toBe(before.jobs + 5);
    expect(after.openDisputes).toBe(before.openDisputes + 2);
    expect(after.organisations).toBe(before.organisations + 1);
    expect(after.testers).toBe(before.testers + 3);
    const live = await caller(admin).admin.overview({ mode: "live" });
    expect(live.jobsByStatus.cancelled).toBe(beforeLive.jobsByStatus.cancelled);
    expect(live.jobsByStatus.waiting).toBe(beforeLive.jobsByStatus.waiting + 1);
    expect(live.jobs).toBe(beforeLive.jobs + 4);
    expect(Object.keys(after.jobsByStatus).sort()).toEqual([
      "abandoned",
      "cancelled",
      "completed",
      "error",
      "incomplete",
      "pending",
      "rejected",
      "waiting",
      "working",
    ]);

    // Oldest first, one per page, with the job and assignment they are about.
    const page1 = await caller(admin).admin.disputes({ limit: 1 });
    expect(page1.data).toHaveLength(1);
    expect(page1.data[0]).toMatchObject({
      jobId: first.jobId,
      assignmentId: first.assignmentId,
      orgId: owner.orgId,
      testerId: first.testerId,
      reason: "The tester skipped step 2",
      openedByUserId: owner.owner.userId,
    });
    expect(page1.data[0]?.disputeWindowEndsAt).toBeInstanceOf(Date);
    expect(page1.next).toEqual(expect.any(String));
    const page2 = await caller(admin).admin.disputes({ limit: 1, cursor: page1.next });
    expect(page2.data.map((d) => [d.jobId, d.assignmentId, d.reason])).toEqual([
      [second.jobId, second.assignmentId, "No screenshot of the error"],
    ]);
    expect(page2.next).toBeNull();
    const all = await caller(admin).admin.disputes({});
    expect(all.data.map((d) => d.assignmentId)).toEqual([first.assignmentId, second.assignmentId]);
    expect(all.next).toBeNull();
  });

  it("bad input is BAD_REQUEST naming the field", async () => {
    const cases: [Promise<unknown>, RegExp][] = [
      [caller(admin).admin.orgs({ limit: 0 }), /^limit: /],
      [caller(admin).admin.orgs({ limit: 101 }), /^limit: /],
      [caller(admin).admin.testers({ includeSandbox: "yes" as unknown as boolean }), /^includeSandbox: /],
      [caller(admin).admin.overview({ mode: "staging" as "live" }), /^mode: /],
      [caller(admin).admin.disputes({ cursor: "not-a-cursor" }), /^cursor: /],
      [caller(admin).admin.orgs({ cursor: 5 as unknown as string }), /^cursor: /],
    ];
    for (const [call, message] of cases) {
      const error = await trpcError(call);
      expect(error.code, String(message)).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
    }
  });

  it("non-admin users are FORBIDDEN; anonymous callers, API keys and testers UNAUTHORIZED", async () => {
    const admins = (actor?: Actor) => caller(actor).admin;
    const calls = (actor?: Actor) => [
      admins(actor).orgs({}),
      admins(actor).testers({}),
      admins(actor).overview(),
      admins(actor).disputes({}),
    ];
    for (const call of calls(org.owner)) expect((await trpcError(call)).code).toBe("FORBIDDEN");
    const homeless: Actor = { kind: "user", userId: "u", orgId: null, isAdmin: false };
    for (const call of calls(homeless)) expect((await trpcError(call)).code).toBe("FORBIDDEN");
    for (const call of calls()) expect((await trpcError(call)).code).toBe("UNAUTHORIZED");
    for (const call of calls(org.live)) expect((await trpcError(call)).code).toBe("UNAUTHORIZED");
    const tester: Actor = { kind: "tester", userId: "u", testerId: await h.newTester() };
    for (const call of calls(tester)) expect((await trpcError(call)).code).toBe("UNAUTHORIZED");
  });
});
