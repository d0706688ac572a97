// Randomised money invariants on both engines: jobs, resizes, work, settlements, disputes, approvals and payouts through the real services.
import { randomUUID } from "node:crypto";

import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";

import {
  allowedMs,
  chargeForAssignment,
  DomainError,
  type Micros,
  micros,
  resolveTesterShareBps,
  testerEarnings,
} from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { createHarness, type Harness, type TestOrg } from "./jobs/testing/harness";
import { limitsOf } from "./jobs/job-terms";
import { accounts } from "./ledger/accounts";
import { unbalancedTransactions } from "./ledger/ledger-fixtures";

const FULL = "I signed up with a new email and it worked. Done.";
const WINDOW_MS = 10 * 60 * 1000;
const RUNS = 6;
const MAX_STEPS = 30;
/** Outcomes a random step may legitimately meet: a refused move, too little credit, a lost race. */
const EXPECTED_REFUSALS = new Set(["INVALID_TRANSITION", "INSUFFICIENT_CREDIT", "CONFLICT"]);
const PRICES = [null, 0.001, 0.0025] as const;

type Command =
  | { kind: "create"; testerCount: number; minutes: number; maxExtension: number | false }
  | { kind: "resize"; job: number; testerCount: number }
  | { kind: "work"; job: number; seconds: number }
  | { kind: "settle"; job: number }
  | { kind: "dispute"; job: number }
  | { kind: "resolve"; dispute: number; refund: boolean }
  | { kind: "approve"; job: number }
  | { kind: "advance"; minutes: number }
  | { kind: "payout"; tester: number; percent: number }
  | { kind: "price"; price: number };

const pick = fc.nat({ max: 7 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      testerCount: fc.integer({ min: 1, max: 3 }),
      minutes: fc.integer({ min: 3, max: 6 }),
      maxExtension: fc.oneof(fc.constant(false as const), fc.integer({ min: 1, max: 2 })),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("resize" as const),
      job: pick,
      testerCount: fc.integer({ min: 1, max: 3 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("work" as const),
      job: pick,
      seconds: fc.integer({ min: 1, max: 180 }),
    }),
    weight: 4,
  },
  // Settle and approve weigh more than their share of real traffic so runs reach earnings often.
  { arbitrary: fc.record({ kind: fc.constant("settle" as const), job: pick }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("dispute" as const), job: pick }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant("resolve" as const), dispute: pick, refund: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("approve" as const), job: pick }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 15 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("payout" as const),
      tester: fc.nat({ max: 2 }),
      percent: fc.integer({ min: 1, max: 100 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("price" as const), price: fc.nat({ max: PRICES.length - 1 }) }),
    weight: 1,
  },
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  creditUsd: fc.integer({ min: 1, max: 6 }),
  orgShareBps: fc.constantFrom(null, 5000),
  testerShares: fc.tuple(fc.constantFrom(null, 8000), fc.constantFrom(null, 0), fc.constant(null)),
  commands: fc.array(command, { minLength: 12, maxLength: MAX_STEPS }),
});

describeEachEngine("money invariants", (getDb, engine) => {
  let h: Harness;
  let adminId: string;
  /** The rate each job was created at, as the test set it (independent of how the job stores it). */
  const rateOfJob = new Map<string, Micros>();
  const orgIds: string[] = [];
  const testerIds: string[] = [];
  let steps = 0;

  beforeAll(async () => {
    h = await createHarness(getDb(), { config: { disputeWindowMs: WINDOW_MS } });
    adminId = (await h.db.user.create({ data: { email: "ops@example.test", name: "Ops", isAdmin: true } }))
      .id;
  });
  afterAll(async () => {
    await h.close();
  });

  /** Runs a step; expected refusals are swallowed, anything else (INTERNAL, a crash) fails the run. */
  async function attempt(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (error instanceof DomainError && EXPECTED_REFUSALS.has(error.code)) return;
      throw error;
    }
  }

  /** No watched account below zero: the org's credit and hold, platform revenue, each tester's payable. */
  async function assertNonNegative(org: TestOrg, testers: readonly string[]): Promise<void> {
    const keys = [
      accounts.orgCredit(org.orgId, "live").key,
      accounts.orgHold(org.orgId, "live").key,
      accounts.platformRevenue("live").key,
      ...testers.map((t) => accounts.testerPayable(t, "live").key),
    ];
    const rows = await h.db.ledgerAccount.findMany({
      where: { key: { in: keys } },
      select: { id: true, key: true },
    });
    const sums = await h.db.ledgerPosting.groupBy({
      by: ["accountId"],
      where: { accountId: { in: rows.map((r) => r.id) } },
      _sum: { amountMicros: true },
    });
    for (const sum of sums) {
      const key = rows.find((r) => r.id === sum.accountId)?.key;
      expect(sum._sum.amountMicros ?? 0n, `${key ?? sum.accountId} went negative`).toBeGreaterThanOrEqual(0n);
    }
  }

  async function runScenario(input: Scenario): Promise<void> {
    const { creditUsd, orgShareBps, testerShares, commands } = input;
    const org = await h.newOrg({ creditMicros: BigInt(creditUsd) * 1_000_000n });
    orgIds.push(org.orgId);
    await h.db.organization.update({
      where: { id: org.orgId },
      data: { earningsShareOverrideBps: orgShareBps },
    });
    const testers: string[] = [];
    for (const share of testerShares) {
      const id = await h.newTester();
      await h.db.testerProfile.update({ where: { id }, data: { earningsShareBps: share } });
      testers.push(id);
    }
    testerIds.push(...testers);
    const jobs: string[] = [];
    let rate: Micros = micros(1800);
    /** The step's job among those it can act on, so few steps are wasted on refusals. */
    const jobFor = async (
      index: number,
      want: "open" | "unsettled" | "settled",
    ): Promise<string | undefined> => {
      const rows = await h.db.job.findMany({
        where: { id: { in: jobs } },
        orderBy: { createdAt: "asc" },
        select: { id: true, settlementState: true, assignments: { select: { status: true } } },
      });
      const fit = rows.filter((job) =>
        want === "settled"
          ? job.settlementState === "settled"
          : job.settlementState === "unsettled" &&
            (want === "unsettled" || job.assignments.some((slot) => slot.status === "open")),
      );
      // One step in eight ignores the filter, so refusals are exercised too.
      const pool = index === 7 ? rows : fit;
      return pool[index % Math.max(1, pool.length)]?.id;
    };

    for (const step of commands) {
      steps += 1;
      switch (step.kind) {
        case "create":
          await attempt(async () => {
            const job = await h.services.jobs.create(
              org.live,
              {
                url: "https://example.com",
                description: "Sign up",
                testerCount: step.testerCount,
                targetDurationMinutes: step.minutes,
                maxExtensionMinutes: step.maxExtension,
              },
              { source: "instahuman" },
            );
            jobs.push(job.id);
            rateOfJob.set(job.id, rate);
          });
          break;
        case "resize": {
          const jobId = await jobFor(step.job, "unsettled");
          if (jobId) await attempt(() => h.services.jobs.resize(org.owner, jobId, step.testerCount));
          break;
        }
        case "work": {
          const jobId = await jobFor(step.job, "open");
          if (!jobId) break;
          const taken = await h.db.assignment.findMany({ where: { jobId }, select: { testerId: true } });
          const tester = testers.find((t) => !taken.some((slot) => slot.testerId === t));
          if (!tester) break;
          await attempt(async () => {
            const { assignment } = await h.services.tester.claim(tester, jobId);
            h.clock.advance(step.seconds * 1000 - 1);
            await h.services.tester.submit(tester, assignment.id, FULL);
            await h.runExtractions();
          });
          break;
        }
        case "settle": {
          const jobId = await jobFor(step.job, "unsettled");
          if (jobId) await attempt(() => h.services.jobs.settle(org.owner, jobId));
          break;
        }
        case "dispute": {
          const jobId = await jobFor(step.job, "settled");
          if (!jobId) break;
          const slot = await h.db.assignment.findFirst({
            where: { jobId, costMicros: { gt: 0n }, dispute: null },
            orderBy: { slotIndex: "asc" },
          });
          if (slot) {
            await attempt(() =>
              h.services.jobs.dispute(org.owner, jobId, { assignmentIds: [slot.id], reason: "looks wrong" }),
            );
          }
          break;
        }
        case "resolve": {
          const open = await h.db.dispute.findMany({
            where: { status: "open", settlement: { job: { orgId: org.orgId } } },
            orderBy: { id: "asc" },
          });
          const dispute = open[step.dispute % Math.max(1, open.length)];
          if (dispute) {
            await attempt(() =>
              h.services.adminDisputes.resolve(adminId, {
                id: dispute.id,
                resolution: step.refund ? "refund" : "uphold",
                note: "decided",
              }),
            );
          }
          break;
        }
        case "approve": {
          const jobId = await jobFor(step.job, "settled");
          if (jobId) await attempt(() => h.services.jobs.approve(org.owner, jobId));
          break;
        }
        case "advance": {
          h.clock.advance(step.minutes * 60_000);
          const report = await h.services.jobs.approveDueSettlements();
          expect(report.failed).toEqual([]);
          break;
        }
        case "payout": {
          const tester = testers[step.tester];
          if (!tester) break;
          await h.db.$transaction(async (tx) => {
            const { payableMicros } = await h.deps.ledger.testerBalance(tester, "live", tx);
            const amount = (payableMicros * BigInt(step.percent)) / 100n;
            if (amount > 0n)
              await h.deps.ledger.payOut(tx, { testerId: tester, micros: amount, payoutId: randomUUID() });
          });
          break;
        }
        case "price": {
          const usd = PRICES[step.price] ?? null;
          const set = await h.contextServices.admin.setOrgPricing({ orgId: org.orgId, usdPerSecond: usd });
          rate = micros(set.microsPerSecond);
          break;
        }
      }
      await assertNonNegative(org, testers);
    }
  }

  it(
    `keeps every invariant over ${RUNS} random sequences of up to ${MAX_STEPS} steps`,
    { timeout: 120_000 },
    async () => {
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(scenario, async (input) => {
          await runScenario(input);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );

      // Every ledger transaction balances, and every book sums to zero.
      expect(await unbalancedTransactions(h.db)).toEqual([]);
      for (const mode of ["live", "test"] as const) {
        const total = await h.db.ledgerPosting.aggregate({
          where: { account: { mode } },
          _sum: { amountMicros: true },
        });
        expect(total._sum.amountMicros ?? 0n, `${mode} books`).toBe(0n);
      }

      // Every capture is the cost engine's figure for its assignment at the rate the job was created with.
      const captures = await h.db.ledgerTransaction.findMany({
        where: { kind: "hold_capture", job: { orgId: { in: orgIds } } },
        include: { postings: true },
      });
      const capturedSlots = new Set<string>();
      for (const capture of captures) {
        const slot = await h.db.assignment.findUniqueOrThrow({
          where: { id: capture.assignmentId ?? "" },
          include: { job: true },
        });
        capturedSlots.add(slot.id);
        const rate = rateOfJob.get(slot.jobId);
        expect(rate, `rate of ${slot.jobId}`).toBeDefined();
        const expected = chargeForAssignment(
          slot.status,
          (slot.submittedAt?.getTime() ?? 0) - (slot.claimedAt?.getTime() ?? 0),
          rate ?? micros(0),
          allowedMs(limitsOf(slot.job), slot.extensionMinutesGranted),
        );
        const revenue = capture.postings.find((p) => p.amountMicros > 0n)?.amountMicros;
        expect(revenue, `capture of ${slot.id}`).toBe(BigInt(expected));
        expect(slot.costMicros).toBe(BigInt(expected));
      }
      // …and nothing charged escaped a capture.
      const charged = await h.db.assignment.findMany({
        where: { costMicros: { gt: 0n }, job: { orgId: { in: orgIds } } },
        select: { id: true },
      });
      expect(charged.map((s) => s.id).filter((id) => !capturedSlots.has(id))).toEqual([]);

      // Every approved, non-refunded, charged assignment earned exactly once, the core's figure; nothing else earned.
      const slots = await h.db.assignment.findMany({
        where: { job: { orgId: { in: orgIds } } },
        include: {
          dispute: true,
          tester: { select: { earningsShareBps: true } },
          job: { include: { org: { select: { earningsShareOverrideBps: true } } } },
        },
      });
      let approvedEarning = 0;
      for (const slot of slots) {
        const earnings = await h.db.ledgerTransaction.findMany({
          where: { assignmentId: slot.id, kind: "tester_earning" },
          include: { postings: { include: { account: true } } },
        });
        const earns =
          slot.job.settlementState === "approved" &&
          slot.costMicros > 0n &&
          slot.dispute?.status !== "refunded";
        const figure = earns
          ? testerEarnings(
              micros(Number(slot.costMicros)),
              resolveTesterShareBps({
                testerBps: slot.tester?.earningsShareBps,
                orgBps: slot.job.org.earningsShareOverrideBps,
                defaultBps: h.config.testerShareBps,
              }),
            ).tester
          : 0;
        if (figure === 0) {
          expect(earnings, `earning of ${slot.id}`).toEqual([]);
          continue;
        }
        approvedEarning += 1;
        expect(earnings, `earning of ${slot.id}`).toHaveLength(1);
        const toTester = earnings[0]?.postings.find((p) => p.account.kind === "tester_payable");
        expect(toTester?.account.testerId).toBe(slot.testerId);
        expect(toTester?.amountMicros).toBe(BigInt(figure));
        expect(slot.earningsMicros).toBe(BigInt(figure));
      }

      // Payouts never overdrew: payable + paid is exactly what was earned, per tester.
      for (const tester of testerIds) {
        const { payableMicros, paidMicros } = await h.deps.ledger.testerBalance(tester, "live");
        const earned = slots
          .filter((s) => s.testerId === tester)
          .reduce((sum, s) => sum + (s.job.settlementState === "approved" ? s.earningsMicros : 0n), 0n);
        expect(payableMicros).toBeGreaterThanOrEqual(0n);
        expect(payableMicros + paidMicros).toBe(earned);
      }
      const elapsed = Math.round(performance.now() - started);
      console.info(
        `[${engine}] ${RUNS} runs, ${steps} steps, ${captures.length} captures, ${approvedEarning} earnings in ${elapsed} ms`,
      );
    },
  );
});

interface Scenario {
  creditUsd: number;
  orgShareBps: number | null;
  testerShares: [number | null, number | null, null];
  commands: Command[];
}
