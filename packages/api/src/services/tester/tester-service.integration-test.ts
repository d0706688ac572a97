// Tester service against both engines: feed and pools, claim, the done rule, extraction and cost, time-outs, extensions, history, earnings and payouts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";
import { type Extractor } from "@eyeball/extraction";

import { createHarness, type Harness, type TestOrg } from "../jobs/testing/harness";

async function expectCode(promise: Promise<unknown>, code: DomainError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (message) expect((error as DomainError).message).toMatch(message);
}

const schema = {
  signupWorks: { type: "boolean", description: "Whether the tester could sign up" },
  errorMessage: { type: "string", description: "The error message shown for a weak password" },
} as const;

const FULL =
  'I signed up with a new email and it worked. With a weak password the page showed "Password too weak". Done.';

describeEachEngine("tester service", (getDb) => {
  let h: Harness;
  let org: TestOrg;
  let failNext = false;
  beforeAll(async () => {
    const { createBuiltinExtractor } = await import("@eyeball/extraction");
    const builtin = createBuiltinExtractor();
    // Wraps the real extractor so one test can make it fail (the system error path).
    const extractor: Extractor = {
      name: "test",
      extract: (input) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("extractor down"));
        }
        return builtin.extract(input);
      },
    };
    h = await createHarness(getDb(), { extractor });
    org = await h.newOrg();
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (input: Record<string, unknown> = {}, by: TestOrg = org) =>
    h.services.jobs.create(
      by.live,
      { url: "https://example.com/signup", description: "Sign up", outputSchema: schema, ...input },
      { source: "runhuman" },
    );

  it("full lifecycle: claim → non-final refused → submit → extraction → completed at the exact cost", async () => {
    const tester = await h.newTester();
    const job = await create({ credentials: [{ username: "qa", password: "pw-123" }] });
    const claimed = await h.services.tester.claim(tester, job.id);
    const claimedAt = h.clock.now();
    expect(claimed.assignment).toMatchObject({ status: "working", jobId: job.id, slotIndex: 0 });
    expect(claimed.assignment.deadlineAt?.getTime()).toBe(claimedAt.getTime() + 5 * 60_000);
    expect(claimed.job).toMatchObject({
      url: "https://example.com/signup",
      screenSize: { width: 1920, height: 1080 },
      outputSchema: schema,
    });
    expect(claimed.credentials).toEqual([{ username: "qa", password: "pw-123" }]);
    expect((await h.services.jobs.get(org.live, job.id)).status).toBe("working");

    const other = await h.newTester();
    await expectCode(h.services.tester.assignment(other, claimed.assignment.id), "FORBIDDEN");
    await expectCode(h.services.tester.submit(other, claimed.assignment.id, "Done."), "FORBIDDEN");

    h.clock.advance(220_000);
    await expectCode(
      h.services.tester.submit(tester, claimed.assignment.id, "Signed up fine, still checking the footer"),
      "VALIDATION",
      /^message: must end with the word "done"$/,
    );
    const submitted = await h.services.tester.submit(tester, claimed.assignment.id, FULL);
    expect(submitted.status).toBe("submitted");
    expect((await h.services.tester.assignment(tester, claimed.assignment.id)).credentials).toEqual([]);
    const sent = h.queue.take("assignment.extract", (d) => d.assignmentId === claimed.assignment.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.options?.singletonKey).toBe(`extract:${claimed.assignment.id}`);
    expect((await h.services.jobs.get(org.live, job.id)).status).toBe("working");

    await h.services.tester.extract(claimed.assignment.id);
    await h.services.tester.extract(claimed.assignment.id); // a redelivery changes nothing
    const done = await h.services.jobs.get(org.live, job.id);
    expect(done).toMatchObject({
      status: "completed",
      costMicros: 396_000,
      testDurationSeconds: 220,
      testerResponse: FULL,
      holdMicros: 0,
      settlement: "settled",
      result: { success: true, data: { signupWorks: true, errorMessage: "Password too weak" } },
    });
    expect(done.tester?.alias).toMatch(/^Tester /);
    expect(done.completedAt).toEqual(h.clock.now());
    const balance = await h.deps.ledger.balance(org.orgId, "live");
    expect(balance.heldMicros).toBe(0n);
    const types = (await h.db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } })).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      "job.created",
      "job.posted",
      "assignment.claimed",
      "job.status_changed",
      "assignment.submitted",
      "assignment.extracted",
      "job.status_changed",
      "job.finished",
    ]);
    await expectCode(h.services.tester.abandon(tester, claimed.assignment.id), "INVALID_TRANSITION");
  });

  it("rounds seconds up and caps billing at the allowed time", async () => {
    const t = await h.newTester();
    const job = await create({ targetDurationMinutes: 1 });
    const { assignment } = await h.services.tester.claim(t, job.id);
    h.clock.advance(60_200); // 60.2 s worked on a 1-minute job: inside the grace, billed only up to the limit
    await h.services.tester.submit(t, assignment.id, FULL);
    await h.runExtractions();
    expect((await h.services.jobs.get(org.live, job.id)).costMicros).toBe(60 * 1800); // capped at 60 s
  });

  it("incomplete: charged, success false, null fields", async () => {
    const t = await h.newTester();
    const job = await create();
    const { assignment } = await h.services.tester.claim(t, job.id);
    h.clock.advance(10_500);
    await h.services.tester.submit(t, assignment.id, "I signed up and it worked fine. Done.");
    await h.runExtractions();
    const view = await h.services.jobs.get(org.live, job.id);
    expect(view).toMatchObject({
      status: "incomplete",
      costMicros: 11 * 1800,
      result: { success: false, data: { signupWorks: true, errorMessage: null } },
    });
  });

  it("abandon, reject and an extraction error cost nothing", async () => {
    const before = await h.deps.ledger.balance(org.orgId, "live");
    const t = await h.newTester();
    const a = await create({ allowSlotReopen: false });
    const sa = await h.services.tester.claim(t, a.id);
    h.clock.advance(30_000);
    expect((await h.services.tester.abandon(t, sa.assignment.id)).status).toBe("abandoned");
    expect(await h.services.jobs.get(org.live, a.id)).toMatchObject({
      status: "abandoned",
      costMicros: 0,
      result: { success: false },
    });

    const r = await create();
    const sr = await h.services.tester.claim(t, r.id);
    await expectCode(h.services.tester.reject(t, sr.assignment.id, " "), "VALIDATION", /^reason: /);
    await h.services.tester.reject(t, sr.assignment.id, "The signup page returns 404");
    const rejected = await h.services.jobs.get(org.live, r.id);
    expect(rejected).toMatchObject({
      status: "rejected",
      costMicros: 0,
      result: { success: false, explanation: "The tester rejected the job: The signup page returns 404" },
    });
    expect(rejected.slots).toHaveLength(1); // rejections never reopen

    const e = await create();
    const se = await h.services.tester.claim(t, e.id);
    h.clock.advance(30_000);
    await h.services.tester.submit(t, se.assignment.id, FULL);
    failNext = true;
    await h.runExtractions();
    expect(await h.services.jobs.get(org.live, e.id)).toMatchObject({ status: "error", costMicros: 0 });

    const after = await h.deps.ledger.balance(org.orgId, "live");
    expect(after.balanceMicros).toBe(before.balanceMicros);
    expect(after.heldMicros).toBe(before.heldMicros);
  });

  it("abandon reopens the slot when allowed; the job goes back to waiting", async () => {
    const t1 = await h.newTester();
    const t2 = await h.newTester();
    const job = await create();
    const first = await h.services.tester.claim(t1, job.id);
    await h.services.tester.abandon(t1, first.assignment.id);
    const view = await h.services.jobs.get(org.live, job.id);
    expect(view.status).toBe("waiting");
    expect(view.slots.map((s) => [s.slotIndex, s.status, s.replaced])).toEqual([
      [0, "abandoned", true],
      [1, "open", false],
    ]);
    expect(view.testerCount).toBe(1);
    await expectCode(h.services.tester.claim(t1, job.id), "CONFLICT");
    const second = await h.services.tester.claim(t2, job.id);
    expect(second.assignment.slotIndex).toBe(1);
    await h.services.tester.submit(t2, second.assignment.id, FULL);
    await h.runExtractions();
    expect((await h.services.jobs.get(org.live, job.id)).status).toBe("completed");
  });

  it("time-outs: past deadline + grace the tester is abandoned and the slot reopens (clock-injected)", async () => {
    const t = await h.newTester();
    const job = await create({ targetDurationMinutes: 1 });
    const { assignment } = await h.services.tester.claim(t, job.id);
    h.clock.advance(60_000 + h.config.timeoutGraceMs);
    expect(await h.services.tester.sweepTimeouts()).toBe(0); // exactly at the limit: not yet
    h.clock.advance(1);
    expect(await h.services.tester.sweepTimeouts()).toBeGreaterThanOrEqual(1);
    const view = await h.services.jobs.get(org.live, job.id);
    expect(view.status).toBe("waiting");
    expect(view.slots.map((s) => s.status)).toEqual(["abandoned", "open"]);
    await expectCode(h.services.tester.submit(t, assignment.id, FULL), "INVALID_TRANSITION");
  });

  it("a late submission past deadline + grace is timed out instead (409)", async () => {
    const t = await h.newTester();
    const job = await create({ targetDurationMinutes: 1, allowSlotReopen: false });
    const { assignment } = await h.services.tester.claim(t, job.id);
    h.clock.advance(60_000 + h.config.timeoutGraceMs + 1);
    await expectCode(h.services.tester.submit(t, assignment.id, FULL), "INVALID_TRANSITION", /timed out/);
    expect((await h.services.jobs.get(org.live, job.id)).status).toBe("abandoned");
  });

  it("extensions: unlimited raises the hold first, 402 when credit is short; capped ones are pre-held", async () => {
    const poor = await h.newOrg({ creditMicros: 540_000n + 2n * 60n * 1800n });
    const t = await h.newTester();
    const job = await create({}, poor);
    const { assignment } = await h.services.tester.claim(t, job.id);
    const timing = await h.services.tester.requestExtension(t, assignment.id, 2);
    expect(timing.extensionMinutesGranted).toBe(2);
    expect(timing.deadlineAt.getTime()).toBe(h.clock.now().getTime() + 7 * 60_000);
    expect((await h.services.jobs.get(poor.live, job.id)).holdMicros).toBe(540_000 + 216_000);
    expect((await h.deps.ledger.balance(poor.orgId, "live")).heldMicros).toBe(756_000n);
    await expectCode(h.services.tester.requestExtension(t, assignment.id, 1), "INSUFFICIENT_CREDIT");
    expect(
      (await h.db.assignment.findUniqueOrThrow({ where: { id: assignment.id } })).extensionMinutesGranted,
    ).toBe(2);
    // Extended time is billable: 6 minutes worked, all of it charged.
    h.clock.advance(6 * 60_000);
    await h.services.tester.submit(t, assignment.id, FULL);
    await h.runExtractions();
    expect((await h.services.jobs.get(poor.live, job.id)).costMicros).toBe(360 * 1800);

    const capped = await create({ maxExtensionMinutes: 3 });
    expect(capped.holdMicros).toBe(8 * 60 * 1800);
    const c = await h.services.tester.claim(t, capped.id);
    await expectCode(
      h.services.tester.requestExtension(t, c.assignment.id, 4),
      "VALIDATION",
      /^minutes: at most 3/,
    );
    await h.services.tester.requestExtension(t, c.assignment.id, 3);
    expect((await h.services.jobs.get(org.live, capped.id)).holdMicros).toBe(8 * 60 * 1800);
    await expectCode(h.services.tester.requestExtension(t, c.assignment.id, 1), "INVALID_TRANSITION");
    const off = await create({ allowDurationExtension: false });
    const o = await h.services.tester.claim(t, off.id);
    await expectCode(h.services.tester.requestExtension(t, o.assignment.id, 1), "INVALID_TRANSITION");
    const beat = await h.services.tester.heartbeat(t, o.assignment.id);
    expect(beat.remainingMs).toBe(5 * 60_000);
  });

  it("multi-tester: each slot is charged, the job completes when the last slot ends, result aggregated", async () => {
    const [t1, t2, t3] = [await h.newTester(), await h.newTester(), await h.newTester()];
    const own = await h.newOrg();
    const job = await create({ testerCount: 3 }, own);
    const s1 = await h.services.tester.claim(t1, job.id);
    const s2 = await h.services.tester.claim(t2, job.id);
    expect((await h.services.jobs.get(own.live, job.id)).status).toBe("working");
    h.clock.advance(100_000);
    await h.services.tester.submit(t1, s1.assignment.id, FULL);
    await h.runExtractions();
    await h.services.tester.abandon(t2, s2.assignment.id);
    const mid = await h.services.jobs.get(own.live, job.id);
    expect(mid.status).toBe("waiting");
    expect(mid.costMicros).toBe(180_000);
    const s3 = await h.services.tester.claim(t3, job.id);
    h.clock.advance(50_000);
    await h.services.tester.submit(t3, s3.assignment.id, "I signed up and it worked. Done.");
    await h.runExtractions();
    // One open slot (the reopened one) remains: stop closes it and the job ends.
    const stopped = await h.services.jobs.stop(own.live, job.id);
    expect(stopped.status).toBe("completed");
    expect(stopped.costMicros).toBe(180_000 + 90_000);
    expect(stopped.result).toMatchObject({
      success: true,
      data: { signupWorks: true, errorMessage: "Password too weak" },
    });
    expect(stopped.result?.explanation).toMatch(/^1 of 2 testers completed\./); // the abandoned slot was replaced
    expect(stopped.testerResponse).toBe(FULL);
    expect((await h.deps.ledger.balance(own.orgId, "live")).heldMicros).toBe(0n);
  });

  describe("feed and pools", () => {
    it("shows live claimable jobs; hides taken, paused, test-mode, blocked and other pools' jobs", async () => {
      const owner = await h.newOrg();
      const [a, b, c] = [await h.newTester(), await h.newTester(), await h.newTester()];
      const open = await create({}, owner);
      const pooled = await h.db.project.create({ data: { orgId: owner.orgId, name: "pooled" } });
      await h.db.projectTester.create({ data: { projectId: pooled.id, testerId: a, preferred: true } });
      await h.db.projectTester.create({ data: { projectId: pooled.id, testerId: b, blocked: true } });
      const poolJob = await create({ projectId: pooled.id }, owner);
      const blocking = await h.db.project.create({ data: { orgId: owner.orgId, name: "blocking" } });
      await h.db.projectTester.create({ data: { projectId: blocking.id, testerId: c, blocked: true } });
      const blockJob = await create({ projectId: blocking.id }, owner);
      const testJob = await h.services.jobs.create(
        owner.test,
        { url: "https://example.com", description: "x" },
        { source: "runhuman" },
      );
      const ids = async (t: string) =>
        (await h.services.tester.feed(t))
          .map((i) => i.jobId)
          .filter((id) => [open.id, poolJob.id, blockJob.id, testJob.id].includes(id));
      expect((await ids(a)).sort()).toEqual([open.id, poolJob.id, blockJob.id].sort());
      expect((await ids(b)).sort()).toEqual([open.id, blockJob.id].sort());
      expect((await ids(c)).sort()).toEqual([open.id].sort());
      await expectCode(h.services.tester.claim(c, blockJob.id), "NOT_FOUND");
      await expectCode(h.services.tester.claim(b, poolJob.id), "NOT_FOUND");
      await expectCode(h.services.tester.claim(a, testJob.id), "NOT_FOUND");
      await h.services.tester.claim(a, open.id);
      expect(await ids(a)).not.toContain(open.id);
      expect(await ids(b)).not.toContain(open.id); // its only slot is taken
      const item = (await h.services.tester.feed(a)).find((i) => i.jobId === poolJob.id);
      expect(item).toMatchObject({
        openSlots: 1,
        rateMicrosPerSecond: 1800,
        screenSize: { preset: "desktop" },
        projectName: "pooled",
        payMicros: 378_000, // 70 % of 5 minutes at 1800 µ$/s
      });
      expect(JSON.stringify(item)).not.toContain("credentials");
      expect((await h.services.tester.feed(b)).find((i) => i.jobId === blockJob.id)?.projectName).toBe(
        "blocking",
      );
    });

    it("payMicros is the tester share of the target duration at the job's rate; projectName null without a project", async () => {
      const pricey = await h.newOrg({ rateOverrideMicrosPerSecond: 3000n });
      const job = await create({ targetDurationMinutes: 2 }, pricey);
      const item = (await h.services.tester.feed(await h.newTester())).find((i) => i.jobId === job.id);
      expect(item).toMatchObject({ projectName: null, rateMicrosPerSecond: 3000, payMicros: 252_000 });
    });
  });

  describe("history, earnings and payouts", () => {
    /** Claims, works `ms` and submits a final message; the extraction runs, so the slot is charged. */
    async function work(tester: string, jobId: string, ms: number) {
      const { assignment } = await h.services.tester.claim(tester, jobId);
      h.clock.advance(ms);
      await h.services.tester.submit(tester, assignment.id, FULL);
      await h.runExtractions();
      return assignment.id;
    }

    it("a new tester has an empty history, zero earnings and no payouts", async () => {
      const t = await h.newTester();
      expect(await h.services.tester.history(t)).toEqual({ items: [], nextCursor: null });
      expect(await h.services.tester.payouts(t, {})).toEqual({ items: [], nextCursor: null });
      const earnings = await h.services.tester.earnings(t);
      expect(earnings).toMatchObject({
        currency: "usd",
        totalMicros: 0,
        pendingMicros: 0,
        availableMicros: 0,
        paidMicros: 0,
        payoutPendingMicros: 0,
      });
      // The harness clock stands at 2030-01-01: twelve months back to 2029-02, oldest first.
      expect(earnings.byMonth).toHaveLength(12);
      expect(earnings.byMonth[0]).toEqual({ month: "2029-02", earnedMicros: 0, assignments: 0 });
      expect(earnings.byMonth.at(-1)).toEqual({ month: "2030-01", earnedMicros: 0, assignments: 0 });
    });

    it("a submitted assignment shows its title, project, duration and pending earnings; approval releases them", async () => {
      const owner = await h.newOrg();
      const t = await h.newTester();
      const project = await h.db.project.create({ data: { orgId: owner.orgId, name: "Web shop" } });
      const job = await create({ title: "Signup flow", projectId: project.id }, owner);
      const { assignment } = await h.services.tester.claim(t, job.id);
      const claimedAt = h.clock.now();

      const working = (await h.services.tester.history(t)).items;
      expect(working).toEqual([
        expect.objectContaining({
          assignmentId: assignment.id,
          status: "working",
          claimedAt,
          durationSeconds: null,
          earningsMicros: 0,
        }),
      ]);

      h.clock.advance(220_000);
      await h.services.tester.submit(t, assignment.id, FULL);
      expect((await h.services.tester.history(t)).items[0]).toMatchObject({
        status: "submitted",
        durationSeconds: null,
      });
      await h.runExtractions();
      const [item] = (await h.services.tester.history(t)).items;
      expect(item).toEqual({
        assignmentId: assignment.id,
        jobId: job.id,
        title: "Signup flow",
        url: "https://example.com/signup",
        projectName: "Web shop",
        status: "completed",
        claimedAt,
        submittedAt: h.clock.now(),
        finishedAt: h.clock.now(),
        durationSeconds: 220,
        earningsMicros: 277_200, // 70 % of 396 000
        earningsReleased: false,
        disputed: false,
      });
      expect(await h.services.tester.earnings(t)).toMatchObject({
        totalMicros: 277_200,
        pendingMicros: 277_200,
        availableMicros: 0,
      });

      await h.services.jobs.approve(owner.owner, job.id);
      expect((await h.services.tester.history(t)).items[0]).toMatchObject({
        earningsMicros: 277_200,
        earningsReleased: true,
      });
      const earnings = await h.services.tester.earnings(t);
      expect(earnings).toMatchObject({ totalMicros: 277_200, pendingMicros: 0, availableMicros: 277_200 });
      expect(earnings.byMonth.at(-1)).toEqual({ month: "2030-01", earnedMicros: 277_200, assignments: 1 });
    });

    it("untitled jobs show the URL's host; unpaid endings earn nothing; a refunded dispute earns nothing", async () => {
      const owner = await h.newOrg();
      const t = await h.newTester();
      const gone = await create({ url: "https://shop.example.com/cart?x=1", allowSlotReopen: false }, owner);
      const g = await h.services.tester.claim(t, gone.id);
      h.clock.advance(30_000);
      await h.services.tester.abandon(t, g.assignment.id);

      const disputedJob = await create({}, owner);
      const d = await work(t, disputedJob.id, 10_000);
      await h.services.jobs.dispute(owner.owner, disputedJob.id, { assignmentIds: [d], reason: "skipped" });

      const history = (await h.services.tester.history(t)).items;
      expect(history.map((i) => [i.assignmentId, i.status, i.disputed, i.earningsMicros])).toEqual([
        [d, "completed", true, 12_600], // 70 % of 10 s; the dispute is still open
        [g.assignment.id, "abandoned", false, 0],
      ]);
      expect(history[1]).toMatchObject({ title: "shop.example.com", durationSeconds: 0 });
      expect((await h.services.tester.earnings(t)).pendingMicros).toBe(12_600);

      await h.db.dispute.update({ where: { assignmentId: d }, data: { status: "refunded" } });
      expect((await h.services.tester.history(t)).items[0]).toMatchObject({
        disputed: true,
        earningsMicros: 0,
      });
      expect(await h.services.tester.earnings(t)).toMatchObject({ totalMicros: 0, pendingMicros: 0 });
    });

    it("pages newest first with nextCursor; another tester's assignments never appear", async () => {
      const owner = await h.newOrg();
      const [t, other] = [await h.newTester(), await h.newTester()];
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const job = await create({ testerCount: 2, title: `Job ${i}` }, owner);
        ids.push((await h.services.tester.claim(t, job.id)).assignment.id);
        await h.services.tester.claim(other, job.id);
        h.clock.advance(1_000);
      }
      const own = await create({}, owner);
      await work(other, own.id, 5_000);

      const first = await h.services.tester.history(t, { limit: 2 });
      expect(first.items.map((i) => i.assignmentId)).toEqual([ids[2], ids[1]]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await h.services.tester.history(t, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((i) => i.assignmentId)).toEqual([ids[0]]);
      expect(second.nextCursor).toBeNull();
      expect((await h.services.tester.history(t)).items.map((i) => i.title)).toEqual([
        "Job 2",
        "Job 1",
        "Job 0",
      ]);
      const theirs = (await h.services.tester.history(other)).items.map((i) => i.assignmentId);
      expect(theirs).toHaveLength(4);
      expect(theirs.some((id) => ids.includes(id))).toBe(false);
      expect((await h.services.tester.earnings(t)).totalMicros).toBe(0);
      expect((await h.services.tester.earnings(other)).totalMicros).toBe(6_300);

      await expectCode(h.services.tester.history(t, { cursor: "nope" }), "VALIDATION", /^cursor: /);
      await expectCode(h.services.tester.history(t, { limit: 0 }), "VALIDATION", /^limit: /);
      await expectCode(h.services.tester.history(t, { limit: 101 }), "VALIDATION", /^limit: /);
    });

    it("lists payouts newest first and sums them into paid, pending and available", async () => {
      const owner = await h.newOrg();
      const [t, other] = [await h.newTester(), await h.newTester()];
      const job = await create({}, owner);
      await work(t, job.id, 100_000); // 180 000 µ$ charged, 126 000 µ$ earned
      await h.services.jobs.approve(owner.owner, job.id);

      const at = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000);
      const paid = await h.db.payout.create({
        data: {
          testerId: t,
          amountMicros: 50_000n,
          status: "paid",
          createdAt: at(1),
          paidAt: at(2),
          note: "May",
        },
      });
      const failed = await h.db.payout.create({
        data: { testerId: t, amountMicros: 40_000n, status: "failed", createdAt: at(3) },
      });
      const pending = await h.db.payout.create({
        data: { testerId: t, amountMicros: 30_000n, status: "pending", createdAt: at(4) },
      });
      await h.db.payout.create({ data: { testerId: other, amountMicros: 99_000n, status: "paid" } });

      const first = await h.services.tester.payouts(t, { limit: 2 });
      expect(first.items).toEqual([
        {
          id: pending.id,
          amountMicros: 30_000,
          status: "pending",
          createdAt: at(4),
          paidAt: null,
          note: null,
        },
        { id: failed.id, amountMicros: 40_000, status: "failed", createdAt: at(3), paidAt: null, note: null },
      ]);
      const second = await h.services.tester.payouts(t, { limit: 2, cursor: first.nextCursor });
      expect(second).toEqual({
        items: [
          { id: paid.id, amountMicros: 50_000, status: "paid", createdAt: at(1), paidAt: at(2), note: "May" },
        ],
        nextCursor: null,
      });
      expect(await h.services.tester.earnings(t)).toMatchObject({
        totalMicros: 126_000,
        pendingMicros: 0,
        paidMicros: 50_000,
        payoutPendingMicros: 30_000,
        availableMicros: 126_000 - 50_000 - 30_000,
      });
    });
  });
});
