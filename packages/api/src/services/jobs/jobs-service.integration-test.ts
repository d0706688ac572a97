// Jobs service against both engines: creation and holds, scoping, paging, cancel, owner actions, waiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { createHarness, type Harness, type TestOrg } from "./testing/harness";

const desc = "Check that the signup form works";

async function expectCode(promise: Promise<unknown>, code: DomainError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (message) expect((error as DomainError).message).toMatch(message);
}

describeEachEngine("jobs service", (getDb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(getDb());
  });
  afterAll(async () => {
    await h.close();
  });

  describe("create", () => {
    it("applies run(human) defaults, posts the job and holds its maximum cost", async () => {
      const org = await h.newOrg();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      expect(job).toMatchObject({
        status: "waiting",
        mode: "live",
        source: "runhuman",
        targetDurationMinutes: 5,
        allowDurationExtension: true,
        maxExtensionMinutes: false,
        screenSize: { preset: "desktop", width: 1920, height: 1080 },
        testerCount: 1,
        holdMicros: 540_000, // 5 min × 60 s × 1800 µ$ (unlimited extensions raise it per grant)
        costMicros: 0,
        result: null,
        hasCredentials: false,
      });
      expect(job.id).toMatch(/^job_/);
      expect(job.slots).toHaveLength(1);
      expect(job.slots[0]?.status).toBe("open");
      expect(job.postedAt).toEqual(h.clock.now());
      const balance = await h.deps.ledger.balance(org.orgId, "live");
      expect(balance.heldMicros).toBe(540_000n);
      const events = await h.db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
      expect(events.map((e) => e.type)).toEqual(["job.created", "job.posted"]);
    });

    it("holds (target + max extension) × testers at the organisation's rate", async () => {
      const org = await h.newOrg({ rateOverrideMicrosPerSecond: 1000n });
      const job = await h.services.jobs.create(
        org.live,
        {
          url: "https://example.com",
          description: desc,
          targetDurationMinutes: 2,
          maxExtensionMinutes: 3,
          testerCount: 3,
          screenSize: { width: 1440, height: 900 },
        },
        { source: "instahuman" },
      );
      expect(job.holdMicros).toBe(5 * 60 * 1000 * 3);
      expect(job.slots.map((s) => s.slotIndex)).toEqual([0, 1, 2]);
      expect(job.screenSize).toEqual({ preset: "custom", width: 1440, height: 900 });
    });

    it("402 leaves nothing behind", async () => {
      const org = await h.newOrg({ creditMicros: 100_000n });
      await expectCode(
        h.services.jobs.create(
          org.live,
          { url: "https://example.com", description: desc },
          { source: "runhuman" },
        ),
        "INSUFFICIENT_CREDIT",
      );
      expect(await h.db.job.count({ where: { orgId: org.orgId } })).toBe(0);
      expect(await h.db.hold.count({ where: { orgId: org.orgId } })).toBe(0);
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(0n);
    });

    it("400 names the field", async () => {
      const org = await h.newOrg();
      await expectCode(
        h.services.jobs.create(org.live, { url: "ftp://x", description: desc }, { source: "runhuman" }),
        "VALIDATION",
        /^url: /,
      );
      await expectCode(
        h.services.jobs.create(org.live, { prompt: "no url here" }, { source: "testerarmy" }),
        "VALIDATION",
        /^prompt: /,
      );
    });

    it("TesterArmy: URL from the prompt, prompt as description, credentials encrypted and never returned", async () => {
      const org = await h.newOrg();
      const prompt = "Go to https://example.com/pricing. Click the Pro plan button.";
      const job = await h.services.jobs.create(
        org.live,
        {
          prompt,
          credentials: [{ username: "qa@example.com", password: "s3cret-pass" }],
          webhookUrl: "https://hooks.example.com/x",
        },
        { source: "testerarmy" },
      );
      expect(job).toMatchObject({
        url: "https://example.com/pricing",
        description: prompt,
        webhookUrl: "https://hooks.example.com/x",
        hasCredentials: true,
        source: "testerarmy",
      });
      expect(JSON.stringify(job)).not.toContain("s3cret-pass");
      const row = await h.db.job.findUniqueOrThrow({ where: { id: job.id } });
      expect(row.credentialsEncrypted).not.toBeNull();
      expect(Buffer.from(row.credentialsEncrypted ?? new Uint8Array()).toString("latin1")).not.toContain(
        "s3cret",
      );
    });

    it("test keys create test-mode jobs without touching live credit and wake the sandbox", async () => {
      const org = await h.newOrg({ creditMicros: 0n });
      const job = await h.services.jobs.create(
        org.test,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      expect(job.mode).toBe("test");
      expect(h.queue.take("sandbox.claim", (d) => d.jobId === job.id)).toHaveLength(1);
    });
  });

  describe("get", () => {
    let a: TestOrg;
    let b: TestOrg;
    let jobId: string;
    beforeAll(async () => {
      a = await h.newOrg();
      b = await h.newOrg();
      jobId = (
        await h.services.jobs.create(
          a.live,
          { url: "https://example.com", description: desc },
          { source: "runhuman" },
        )
      ).id;
    });
    it("returns the caller's job to its keys and users", async () => {
      expect((await h.services.jobs.get(a.live, jobId)).id).toBe(jobId);
      expect((await h.services.jobs.get(a.owner, jobId)).id).toBe(jobId);
    });
    it("403 for another organisation, 404 for none, 404 for the other mode's key", async () => {
      await expectCode(h.services.jobs.get(b.live, jobId), "FORBIDDEN");
      await expectCode(h.services.jobs.get(a.live, "job_doesnotexist0000000000"), "NOT_FOUND");
      await expectCode(h.services.jobs.get(a.test, jobId), "NOT_FOUND");
      await expectCode(h.services.jobs.get({ kind: "anonymous" }, jobId), "UNAUTHORIZED");
    });
  });

  it("lists newest first in pages with an opaque cursor, filtered by status and mode", async () => {
    const org = await h.newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      ids.push(
        (
          await h.services.jobs.create(
            org.live,
            { url: "https://example.com", description: `${desc} ${i}` },
            { source: "runhuman" },
          )
        ).id,
      );
    }
    await h.services.jobs.create(
      org.test,
      { url: "https://example.com", description: desc },
      { source: "runhuman" },
    );
    await h.services.jobs.cancel(org.live, ids[0] ?? "");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Harness["services"]["jobs"]["list"]>> = await h.services.jobs.list(
        org.live,
        { limit: 2, cursor },
      );
      seen.push(...page.items.map((j) => j.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const cancelled = await h.services.jobs.list(org.live, { status: "cancelled" });
    expect(cancelled.items.map((j) => j.id)).toEqual([ids[0]]);
    expect((await h.services.jobs.list(org.test, {})).items).toHaveLength(1);
    expect((await h.services.jobs.list(org.owner, { limit: 100 })).items).toHaveLength(6);
    await expectCode(h.services.jobs.list(org.live, { limit: 101 }), "VALIDATION", /^limit: /);
    await expectCode(h.services.jobs.list(org.live, { cursor: "garbage" }), "VALIDATION", /^cursor: /);
    await expectCode(h.services.jobs.list(org.live, { status: "queued" }), "VALIDATION", /^status: /);
  });

  describe("cancel", () => {
    it("before any claim: cancelled, slot closed, hold released", async () => {
      const org = await h.newOrg();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      const cancelled = await h.services.jobs.cancel(org.live, job.id);
      expect(cancelled).toMatchObject({ status: "cancelled", holdMicros: 0, costMicros: 0 });
      expect(cancelled.cancelledAt).not.toBeNull();
      expect(cancelled.slots.map((s) => s.status)).toEqual(["closed"]);
      expect(cancelled.settlement).toBe("unsettled");
      expect(await h.db.settlement.count({ where: { jobId: job.id } })).toBe(0);
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(0n);
      await expectCode(h.services.jobs.cancel(org.live, job.id), "INVALID_TRANSITION");
    });
    it("409 once a tester claimed", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      await h.services.tester.claim(tester, job.id);
      await expectCode(h.services.jobs.cancel(org.live, job.id), "INVALID_TRANSITION");
      expect((await h.services.jobs.get(org.live, job.id)).status).toBe("working");
    });
    it("403 for another organisation", async () => {
      const org = await h.newOrg();
      const other = await h.newOrg();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      await expectCode(h.services.jobs.cancel(other.live, job.id), "FORBIDDEN");
    });
  });

  it("concurrent claims on a 3-slot job: three winners, the rest 409, the job working", async () => {
    const org = await h.newOrg();
    const testers = await Promise.all(Array.from({ length: 5 }, () => h.newTester()));
    const job = await h.services.jobs.create(
      org.live,
      { url: "https://example.com", description: desc, testerCount: 3 },
      { source: "instahuman" },
    );
    const results = await Promise.allSettled(testers.map((t) => h.services.tester.claim(t, job.id)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(3);
    for (const r of results) {
      if (r.status === "rejected")
        expect((r.reason as DomainError).code).toMatch(/INVALID_TRANSITION|CONFLICT/);
    }
    const view = await h.services.jobs.get(org.live, job.id);
    expect(view.status).toBe("working");
    expect(new Set(view.slots.map((s) => s.tester?.id)).size).toBe(3);
  });

  describe("owner actions", () => {
    it("pause blocks claims, resume allows them again", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "instahuman" },
      );
      expect((await h.services.jobs.pause(org.live, job.id)).control).toBe("paused");
      expect(await h.services.tester.feed(tester)).not.toContainEqual(
        expect.objectContaining({ jobId: job.id }),
      );
      await expectCode(h.services.tester.claim(tester, job.id), "INVALID_TRANSITION");
      await expectCode(h.services.jobs.pause(org.live, job.id), "INVALID_TRANSITION");
      expect((await h.services.jobs.resume(org.live, job.id)).control).toBe("active");
      const claimed = await h.services.tester.claim(tester, job.id);
      expect(claimed.assignment.status).toBe("working");
    });

    it("resize up opens slots and raises the hold; down closes open slots; below claimed is 409", async () => {
      const org = await h.newOrg();
      const t1 = await h.newTester();
      const t2 = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc, testerCount: 2 },
        { source: "instahuman" },
      );
      const up = await h.services.jobs.resize(org.live, job.id, 4);
      expect(up.testerCount).toBe(4);
      expect(up.slots.filter((s) => s.status === "open")).toHaveLength(4);
      expect(up.holdMicros).toBe(4 * 540_000);
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(4n * 540_000n);
      await h.services.tester.claim(t1, job.id);
      await h.services.tester.claim(t2, job.id);
      await expectCode(h.services.jobs.resize(org.live, job.id, 1), "INVALID_TRANSITION", /already claimed/);
      const down = await h.services.jobs.resize(org.live, job.id, 2);
      expect(down.testerCount).toBe(2);
      expect(down.slots.map((s) => s.status)).toEqual(["working", "working", "closed", "closed"]);
      expect(down.holdMicros).toBe(2 * 540_000);
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(2n * 540_000n);
      await expectCode(h.services.jobs.resize(org.live, job.id, 51), "VALIDATION", /^testerCount: /);
    });

    it("resize up beyond credit is 402 and changes nothing", async () => {
      const org = await h.newOrg({ creditMicros: 600_000n });
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "instahuman" },
      );
      await expectCode(h.services.jobs.resize(org.live, job.id, 2), "INSUFFICIENT_CREDIT");
      const after = await h.services.jobs.get(org.live, job.id);
      expect(after.slots).toHaveLength(1);
      expect(after.holdMicros).toBe(540_000);
    });

    it("stop closes open slots, releases their hold, and lets working testers finish", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc, testerCount: 3 },
        { source: "instahuman" },
      );
      const { assignment } = await h.services.tester.claim(tester, job.id);
      const stopped = await h.services.jobs.stop(org.live, job.id);
      expect(stopped).toMatchObject({
        control: "stopped",
        status: "working",
        holdMicros: 540_000,
        testerCount: 1,
      });
      expect(stopped.slots.map((s) => s.status)).toEqual(["working", "closed", "closed"]);
      await h.services.tester.submit(tester, assignment.id, "Signup works fine. Done.");
      await h.runExtractions();
      const finished = await h.services.jobs.get(org.live, job.id);
      expect(finished.status).toBe("completed");
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(0n);
    });

    it("settle closes a multi-tester job, then dispute within the window and approve after", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc, testerCount: 2 },
        { source: "instahuman" },
      );
      const { assignment } = await h.services.tester.claim(tester, job.id);
      await expectCode(h.services.jobs.settle(org.live, job.id), "INVALID_TRANSITION", /being worked on/);
      h.clock.advance(60_000);
      await h.services.tester.submit(tester, assignment.id, "The signup form works. Done.");
      await expectCode(h.services.jobs.settle(org.live, job.id), "INVALID_TRANSITION", /being extracted/);
      await h.runExtractions();
      expect((await h.services.jobs.get(org.live, job.id)).status).toBe("waiting");
      const settled = await h.services.jobs.settle(org.live, job.id);
      expect(settled).toMatchObject({
        status: "completed",
        settlement: "settled",
        costMicros: 108_000,
        holdMicros: 0,
      });
      expect(settled.slots.map((s) => s.status)).toEqual(["completed", "closed"]);
      const settlement = await h.db.settlement.findUniqueOrThrow({ where: { jobId: job.id } });
      expect(settlement).toMatchObject({ status: "settled", chargedMicros: 108_000n });
      expect(settlement.disputeWindowEndsAt.getTime()).toBe(
        h.clock.now().getTime() + h.config.disputeWindowMs,
      );
      expect((await h.deps.ledger.balance(org.orgId, "live")).heldMicros).toBe(0n);

      await expectCode(h.services.jobs.settle(org.live, job.id), "INVALID_TRANSITION");
      await expectCode(
        h.services.jobs.dispute(org.live, job.id, { assignmentIds: [assignment.id], reason: "  " }),
        "VALIDATION",
        /^reason: /,
      );
      const disputed = await h.services.jobs.dispute(org.owner, job.id, {
        assignmentIds: [assignment.id],
        reason: "The tester skipped step 2",
      });
      expect(disputed.settlement).toBe("settled");
      const dispute = await h.db.dispute.findUniqueOrThrow({ where: { assignmentId: assignment.id } });
      expect(dispute).toMatchObject({
        status: "open",
        reason: "The tester skipped step 2",
        openedByUserId: org.owner.userId,
      });
      await expectCode(
        h.services.jobs.dispute(org.live, job.id, { assignmentIds: [assignment.id], reason: "again" }),
        "CONFLICT",
      );
      await expectCode(h.services.jobs.approve(org.live, job.id), "INVALID_TRANSITION", /under dispute/);
      await h.db.dispute.update({ where: { id: dispute.id }, data: { status: "upheld" } });
      const approved = await h.services.jobs.approve(org.live, job.id);
      expect(approved.settlement).toBe("approved");
      const slot = await h.db.assignment.findUniqueOrThrow({ where: { id: assignment.id } });
      expect(slot.earningsMicros).toBe(75_600n); // 70 % of 108 000
      expect((await h.db.settlement.findUniqueOrThrow({ where: { jobId: job.id } })).status).toBe("approved");
      await expectCode(h.services.jobs.approve(org.live, job.id), "INVALID_TRANSITION");
    });

    it("dispute after the window is 409", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "instahuman" },
      );
      const { assignment } = await h.services.tester.claim(tester, job.id);
      await h.services.tester.submit(tester, assignment.id, "Works. Done.");
      await h.runExtractions();
      h.clock.advance(h.config.disputeWindowMs + 1);
      await expectCode(
        h.services.jobs.dispute(org.live, job.id, { assignmentIds: [assignment.id], reason: "late" }),
        "INVALID_TRANSITION",
        /dispute window/,
      );
    });
  });

  describe("waitForTerminal", () => {
    it("returns at once for a terminal job and null after the timeout", async () => {
      const org = await h.newOrg();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      expect(await h.services.jobs.waitForTerminal(org.live, job.id, 50)).toBeNull();
      await h.services.jobs.cancel(org.live, job.id);
      expect((await h.services.jobs.waitForTerminal(org.live, job.id, 50))?.status).toBe("cancelled");
    });

    it("wakes when the job finishes", async () => {
      const org = await h.newOrg();
      const tester = await h.newTester();
      const job = await h.services.jobs.create(
        org.live,
        { url: "https://example.com", description: desc },
        { source: "runhuman" },
      );
      const { assignment } = await h.services.tester.claim(tester, job.id);
      const waiting = h.services.jobs.waitForTerminal(org.live, job.id, 15_000);
      await h.services.tester.submit(tester, assignment.id, "All good. Done.");
      await h.runExtractions();
      const view = await waiting;
      expect(view?.status).toBe("completed");
      await expectCode(h.services.jobs.waitForTerminal((await h.newOrg()).live, job.id, 10), "FORBIDDEN");
    });
  });
});
