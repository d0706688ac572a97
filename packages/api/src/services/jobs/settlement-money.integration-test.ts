// Money after settlement on both engines: earnings on the ledger, share precedence, auto-approve, org price overrides, sandbox isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../../actor";
import { createContextInner } from "../../context";
import { createCaller } from "../../root";
import { trpcError } from "../../routers/testing/trpc-error";
import { accountBalance, accounts } from "../ledger/accounts";
import { earningIdempotencyKey } from "../ledger";
import { type Mode } from "../types";
import { QUEUES } from "./queue-names";
import { registerWorkers } from "../workers";
import { createHarness, type Harness, type TestOrg } from "./testing/harness";
import { createRecordingQueue } from "./testing/recording-queue";

const FULL = "I signed up with a new email and it worked. Done.";
const WINDOW_MS = 60 * 60 * 1000;
const SHARE_BPS = 6000;
const admin: Actor = { kind: "user", userId: "admin", orgId: null, isAdmin: true };

describeEachEngine("settlement money", (getDb) => {
  let h: Harness;
  let adminId: string;

  beforeAll(async () => {
    h = await createHarness(getDb(), { config: { disputeWindowMs: WINDOW_MS, testerShareBps: SHARE_BPS } });
    adminId = (await h.db.user.create({ data: { email: "ops@example.test", name: "Ops", isAdmin: true } }))
      .id;
  });
  afterAll(async () => {
    await h.close();
  });

  const adminCaller = () => createCaller(createContextInner({ services: h.contextServices, actor: admin }));

  async function createJob(org: TestOrg, extra: Record<string, unknown> = {}, mode: Mode = "live") {
    return h.services.jobs.create(
      mode === "live" ? org.live : org.test,
      { url: "https://example.com", description: "Sign up", targetDurationMinutes: 5, ...extra },
      { source: "instahuman" },
    );
  }

  /** A tester claims a slot, works `ms` and submits; the extraction charges the slot. */
  async function work(tester: string, jobId: string, ms: number): Promise<string> {
    const { assignment } = await h.services.tester.claim(tester, jobId);
    h.clock.advance(ms);
    await h.services.tester.submit(tester, assignment.id, FULL);
    await h.runExtractions();
    return assignment.id;
  }

  const payable = (testerId: string, mode: Mode = "live") =>
    accountBalance(h.db, accounts.testerPayable(testerId, mode));

  describe("tester earnings on the ledger", () => {
    it("approval books each assignment's earning to its tester's payable, once", async () => {
      const org = await h.newOrg();
      const [a, b] = [await h.newTester(), await h.newTester()];
      const job = await createJob(org, { testerCount: 2 });
      const slotA = await work(a, job.id, 10_000); // 18 000 µ$ charged
      const slotB = await work(b, job.id, 20_000); // 36 000 µ$
      const revenueBefore = await accountBalance(h.db, accounts.platformRevenue("live"));

      await h.services.jobs.approve(org.owner, job.id);
      expect(await payable(a)).toBe(10_800n); // 60 % (config) of 18 000
      expect(await payable(b)).toBe(21_600n);
      expect(await accountBalance(h.db, accounts.platformRevenue("live"))).toBe(revenueBefore - 32_400n);
      const earnings = await h.db.ledgerTransaction.findMany({
        where: { jobId: job.id, kind: "tester_earning" },
        orderBy: { assignmentId: "asc" },
      });
      expect(earnings.map((t) => t.idempotencyKey).sort()).toEqual(
        [earningIdempotencyKey(slotA), earningIdempotencyKey(slotB)].sort(),
      );
      const rows = await h.db.assignment.findMany({
        where: { jobId: job.id },
        orderBy: { slotIndex: "asc" },
      });
      expect(rows.map((r) => r.earningsMicros)).toEqual([10_800n, 21_600n]);

      // Approving again is a 409 and books nothing.
      const again = await h.services.jobs.approve(org.owner, job.id).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: "INVALID_TRANSITION" });
      expect(await h.db.ledgerTransaction.count({ where: { jobId: job.id, kind: "tester_earning" } })).toBe(
        2,
      );
      const approved = await h.db.jobEvent.findFirst({ where: { jobId: job.id, type: "job.approved" } });
      expect(approved?.payload).toEqual({ auto: false });
    });

    it("share precedence: the tester's own, else the organisation's, else the deployment's", async () => {
      const org = await h.newOrg();
      await h.db.organization.update({ where: { id: org.orgId }, data: { earningsShareOverrideBps: 5000 } });
      const plain = await h.newOrg();
      const [own, viaOrg, viaDefault] = [await h.newTester(), await h.newTester(), await h.newTester()];
      await h.db.testerProfile.update({ where: { id: own }, data: { earningsShareBps: 9000 } });

      const job = await createJob(org, { testerCount: 2 });
      await work(own, job.id, 10_000);
      await work(viaOrg, job.id, 10_000);
      const other = await createJob(plain);
      await work(viaDefault, other.id, 10_000);

      // Before approval the tester's view shows the share the approval will release.
      expect((await h.services.tester.earnings(own)).pendingMicros).toBe(16_200);
      expect((await h.services.tester.earnings(viaOrg)).pendingMicros).toBe(9_000);

      await h.services.jobs.approve(org.owner, job.id);
      await h.services.jobs.approve(plain.owner, other.id);
      expect(await payable(own)).toBe(16_200n); // 90 % of 18 000 (tester beats the org's 50 %)
      expect(await payable(viaOrg)).toBe(9_000n); // 50 %: the organisation's override
      expect(await payable(viaDefault)).toBe(10_800n); // 60 %: ApiConfig.testerShareBps
    });

    it("a refunded assignment earns nothing; the tester view reads approved and unpaid figures from the ledger", async () => {
      const org = await h.newOrg();
      const t = await h.newTester();
      const refundedJob = await createJob(org);
      const refunded = await work(t, refundedJob.id, 30_000);
      await h.services.jobs.dispute(org.owner, refundedJob.id, { assignmentIds: [refunded], reason: "no" });
      const dispute = await h.db.dispute.findUniqueOrThrow({ where: { assignmentId: refunded } });
      await h.services.adminDisputes.resolve(adminId, { id: dispute.id, resolution: "refund", note: "ok" });
      await h.services.jobs.approve(org.owner, refundedJob.id);

      const paidJob = await createJob(org);
      await work(t, paidJob.id, 100_000); // 180 000 µ$ → 108 000 µ$ at 60 %
      await h.services.jobs.approve(org.owner, paidJob.id);
      expect(await payable(t)).toBe(108_000n);
      expect(
        await h.db.ledgerTransaction.count({ where: { assignmentId: refunded, kind: "tester_earning" } }),
      ).toBe(0);

      const payout = await h.db.payout.create({
        data: { testerId: t, amountMicros: 40_000n, status: "pending" },
      });
      // Recorded but not booked yet: still spoken for.
      expect(await h.services.tester.earnings(t)).toMatchObject({
        totalMicros: 108_000,
        pendingMicros: 0,
        availableMicros: 68_000,
        payoutPendingMicros: 40_000,
      });
      await h.db.$transaction((tx) =>
        h.deps.ledger.payOut(tx, { testerId: t, micros: 40_000n, payoutId: payout.id }),
      );
      expect(await h.deps.ledger.testerBalance(t, "live")).toEqual({
        payableMicros: 68_000n,
        paidMicros: 40_000n,
      });
      expect(await h.services.tester.earnings(t)).toMatchObject({
        totalMicros: 108_000,
        availableMicros: 68_000,
      });
    });
  });

  describe("auto-approve at the end of the dispute window", () => {
    it("approves un-disputed settlements once their window ended, through the same path, once", async () => {
      const org = await h.newOrg();
      const t = await h.newTester();
      const job = await createJob(org);
      await work(t, job.id, 10_000);
      const early = await h.services.jobs.approveDueSettlements();
      expect(early.approved).not.toContain(job.id);

      h.clock.advance(WINDOW_MS);
      const due = await h.services.jobs.approveDueSettlements();
      expect(due.approved).toContain(job.id);
      expect(due.failed).toEqual([]);
      expect(await payable(t)).toBe(10_800n);
      const view = await h.services.jobs.get(org.owner, job.id);
      expect(view.settlement).toBe("approved");
      const events = await h.db.jobEvent.findMany({ where: { jobId: job.id, type: "job.approved" } });
      expect(events.map((e) => e.payload)).toEqual([{ auto: true }]);
      const settlement = await h.db.settlement.findUniqueOrThrow({ where: { jobId: job.id } });
      expect(settlement).toMatchObject({ status: "approved", approvedAt: h.clock.now() });

      // The next sweep finds nothing more to do for it.
      expect((await h.services.jobs.approveDueSettlements()).approved).not.toContain(job.id);
      expect(await h.db.ledgerTransaction.count({ where: { jobId: job.id, kind: "tester_earning" } })).toBe(
        1,
      );
    });

    it("waits for an open dispute; once resolved after the window, the next sweep approves", async () => {
      const org = await h.newOrg();
      const [t, u] = [await h.newTester(), await h.newTester()];
      const job = await createJob(org, { testerCount: 2 });
      const disputed = await work(t, job.id, 10_000);
      await work(u, job.id, 10_000);
      await h.services.jobs.dispute(org.owner, job.id, { assignmentIds: [disputed], reason: "skipped" });

      h.clock.advance(WINDOW_MS + 1);
      expect((await h.services.jobs.approveDueSettlements()).approved).not.toContain(job.id);
      expect((await h.services.jobs.get(org.owner, job.id)).settlement).toBe("settled");

      const dispute = await h.db.dispute.findUniqueOrThrow({ where: { assignmentId: disputed } });
      await h.services.adminDisputes.resolve(adminId, { id: dispute.id, resolution: "refund", note: "fair" });
      expect((await h.services.jobs.approveDueSettlements()).approved).toContain(job.id);
      expect(await payable(t)).toBe(0n);
      expect(await payable(u)).toBe(10_800n);
    });

    it("a settlement the owner approved first is left alone by the sweep", async () => {
      const org = await h.newOrg();
      const t = await h.newTester();
      const job = await createJob(org);
      await work(t, job.id, 10_000);
      await h.services.jobs.approve(org.owner, job.id);
      h.clock.advance(WINDOW_MS);
      const report = await h.services.jobs.approveDueSettlements();
      expect(report.approved).not.toContain(job.id);
      expect(await h.db.jobEvent.count({ where: { jobId: job.id, type: "job.approved" } })).toBe(1);
    });

    it("is a worker: its own queue, run at once, then re-enqueued every autoApproveSweepMs", async () => {
      expect(h.config.autoApproveSweepMs).toBe(60_000);
      const queue = createRecordingQueue();
      await registerWorkers(h.services, queue, { autoApproveSweepMs: 12_345 });
      const first = queue.take(QUEUES.autoApproveSweep);
      expect(first.map((m) => m.options)).toEqual([{ delayMs: 0, singletonKey: QUEUES.autoApproveSweep }]);

      const org = await h.newOrg();
      const t = await h.newTester();
      const job = await createJob(org);
      await work(t, job.id, 10_000);
      h.clock.advance(WINDOW_MS);
      await queue.handlers.get(QUEUES.autoApproveSweep)?.({});
      expect((await h.services.jobs.get(org.owner, job.id)).settlement).toBe("approved");
      const next = queue.take(QUEUES.autoApproveSweep);
      expect(next.map((m) => m.options)).toEqual([
        { delayMs: 12_345, singletonKey: QUEUES.autoApproveSweep },
      ]);
    });
  });

  describe("per-organisation price overrides", () => {
    it("admin.setOrgPricing validates with 400s naming the field", async () => {
      const org = await h.newOrg();
      const set = (input: Record<string, unknown>) =>
        adminCaller().admin.setOrgPricing({ orgId: org.orgId, ...input });
      for (const [input, field] of [
        [{ usdPerSecond: 0 }, /^usdPerSecond: must be more than 0/],
        [{ usdPerSecond: -1 }, /^usdPerSecond: /],
        [{ usdPerSecond: 1.000001 }, /^usdPerSecond: must be at most 1/],
        [{ usdPerSecond: 0.0000015 }, /^usdPerSecond: must have at most 6 decimals/],
        [{ usdPerSecond: "0.002" }, /^usdPerSecond: /],
        [{ testerShareBps: 10_001 }, /^testerShareBps: /],
        [{ testerShareBps: -1 }, /^testerShareBps: /],
        [{ testerShareBps: 12.5 }, /^testerShareBps: /],
      ] as const) {
        const error = await trpcError(set(input));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.message).toMatch(field);
      }
      const missing = await trpcError(
        adminCaller().admin.setOrgPricing({ orgId: "nope", usdPerSecond: null, testerShareBps: null }),
      );
      expect(missing.code).toBe("NOT_FOUND");
      const owner = await trpcError(
        createCaller(
          createContextInner({ services: h.contextServices, actor: org.owner }),
        ).admin.setOrgPricing({
          orgId: org.orgId,
          usdPerSecond: 0.002,
          testerShareBps: null,
        }),
      );
      expect(owner.code).toBe("FORBIDDEN");
    });

    it("a job created after an override holds and charges at the override; earlier holds are unchanged", async () => {
      const org = await h.newOrg();
      const t = await h.newTester();
      const before = await createJob(org, { allowDurationExtension: false });
      expect(before.holdMicros).toBe(5 * 60 * 1800);

      const set = await adminCaller().admin.setOrgPricing({
        orgId: org.orgId,
        usdPerSecond: 0.0025,
        testerShareBps: 5000,
      });
      expect(set).toMatchObject({
        microsPerSecond: 2500,
        usdPerSecond: 0.0025,
        rateOverrideMicrosPerSecond: 2500,
        testerShareBps: 5000,
      });
      const listed = await adminCaller().admin.orgs({ limit: 100 });
      expect(listed.data.find((o) => o.id === org.orgId)?.pricing).toEqual({
        microsPerSecond: 2500,
        usdPerSecond: 0.0025,
        rateOverrideMicrosPerSecond: 2500,
        testerShareBps: 5000,
      });

      const after = await createJob(org, { allowDurationExtension: false });
      expect(after.holdMicros).toBe(5 * 60 * 2500);
      expect((await h.services.jobs.get(org.owner, before.id)).holdMicros).toBe(5 * 60 * 1800);
      const hold = await h.db.hold.findUniqueOrThrow({ where: { jobId: after.id } });
      expect(hold.amountMicros).toBe(750_000n);

      const slot = await work(t, after.id, 10_500); // 11 s billed
      const charged = await h.db.assignment.findUniqueOrThrow({ where: { id: slot } });
      expect(charged.costMicros).toBe(11n * 2500n);
      const capture = await h.db.ledgerTransaction.findUniqueOrThrow({
        where: { idempotencyKey: `capture:${slot}` },
        include: { postings: true },
      });
      expect(capture.postings.map((p) => p.amountMicros).sort()).toEqual([-27_500n, 27_500n]);
      await h.services.jobs.approve(org.owner, after.id);
      expect(await payable(t)).toBe(13_750n); // the organisation's 50 %

      // The earlier job still charges at the rate it was created with.
      const old = await work(t, before.id, 10_000);
      expect((await h.db.assignment.findUniqueOrThrow({ where: { id: old } })).costMicros).toBe(18_000n);

      const reset = await adminCaller().admin.setOrgPricing({
        orgId: org.orgId,
        usdPerSecond: null,
        testerShareBps: null,
      });
      expect(reset).toMatchObject({
        microsPerSecond: 1800,
        rateOverrideMicrosPerSecond: null,
        testerShareBps: null,
      });
      expect((await createJob(org, { allowDurationExtension: false })).holdMicros).toBe(5 * 60 * 1800);
    });

    it("the service refuses bad prices with DomainError VALIDATION too", async () => {
      const error = await h.contextServices.admin
        .setOrgPricing({ orgId: "x", usdPerSecond: 0.1234567 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toMatch(/^usdPerSecond: /);
    });
  });

  describe("ledger isolation between live and test books", () => {
    /** Every live (or test) account's balance by key. */
    async function books(mode: Mode): Promise<Map<string, bigint>> {
      const rows = await h.db.ledgerPosting.groupBy({
        by: ["accountId"],
        where: { account: { mode } },
        _sum: { amountMicros: true },
      });
      const keys = await h.db.ledgerAccount.findMany({ where: { mode }, select: { id: true, key: true } });
      const keyOf = new Map(keys.map((k) => [k.id, k.key]));
      return new Map(
        rows.map((row) => [keyOf.get(row.accountId) ?? row.accountId, row._sum.amountMicros ?? 0n]),
      );
    }

    it("sandbox jobs from create to approval never change a live account, and live jobs never a test one", async () => {
      const org = await h.newOrg();
      // Earlier tests' settlements would come due in this test's sweep: approve them first.
      h.clock.advance(WINDOW_MS);
      await h.services.jobs.approveDueSettlements();
      const liveBefore = await books("live");
      const testJobs = [];
      for (const testerCount of [1, 2]) {
        const job = await createJob(org, { testerCount }, "test");
        await h.runSandbox(job.id);
        testJobs.push(job.id);
      }
      // Settled already (the sandbox completed every slot); approve one by hand, one by the sweep.
      const [first, second] = testJobs as [string, string];
      expect((await h.services.jobs.get(org.test, first)).settlement).toBe("settled");
      await h.services.jobs.approve(org.test, first);
      h.clock.advance(WINDOW_MS);
      expect((await h.services.jobs.approveDueSettlements()).approved).toContain(second);
      const testCharges = await h.db.ledgerTransaction.count({
        where: { jobId: { in: testJobs }, kind: { in: ["hold_capture", "tester_earning"] } },
      });
      expect(testCharges).toBeGreaterThan(0);
      expect(await books("live")).toEqual(liveBefore);

      const testBefore = await books("test");
      const t = await h.newTester();
      const live = await createJob(org, { testerCount: 2 });
      await work(t, live.id, 10_000);
      await h.services.jobs.settle(org.owner, live.id);
      await h.services.jobs.approve(org.owner, live.id);
      expect(await payable(t)).toBe(10_800n);
      expect(await books("test")).toEqual(testBefore);
      // No transaction ever mixes the two books.
      const mixed = await h.db.ledgerTransaction.findMany({
        where: { postings: { some: { account: { mode: "live" } } }, mode: "test" },
      });
      expect(mixed).toEqual([]);
      const mixedLive = await h.db.ledgerTransaction.findMany({
        where: { postings: { some: { account: { mode: "test" } } }, mode: "live" },
      });
      expect(mixedLive).toEqual([]);
    });
  });
});
