// The sandbox tester on both engines: default completion through the real extractor, each magic word, workers and reconcile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { QUEUES } from "../jobs/queue-names";
import { createHarness, type Harness, type TestOrg } from "../jobs/testing/harness";
import { reconcile, registerWorkers } from "../workers";

const schema = {
  loginWorks: { type: "boolean", description: "Does login work with valid credentials?" },
  errorMessage: { type: "string", description: "What error appears for invalid password?" },
  issuesFound: { type: "array", description: "List of any UI/UX issues discovered" },
  loadTimeSeconds: { type: "number", description: "Approximate time in seconds for the dashboard to load" },
  confirmationNumber: { type: "string", description: "Order confirmation number", example: "AB12-3456" },
} as const;

describeEachEngine("sandbox tester", (getDb) => {
  let h: Harness;
  let org: TestOrg;
  beforeAll(async () => {
    h = await createHarness(getDb());
    org = await h.newOrg({ creditMicros: 0n });
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (description: string, extra: Record<string, unknown> = {}) =>
    h.services.jobs.create(
      org.test,
      { url: "https://example.com/login", description, outputSchema: schema, ...extra },
      { source: "runhuman" },
    );

  /** What the workers would do: claim after claimDelayMs, work after workDurationMs, then extract. */
  async function runSandbox(jobId: string): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const claims = h.queue.take(QUEUES.sandboxClaim, (d) => d.jobId === jobId);
      if (claims.length === 0) return;
      expect(claims[0]?.options?.delayMs).toBe(h.config.sandbox.claimDelayMs);
      h.clock.advance(h.config.sandbox.claimDelayMs);
      await h.services.sandbox.claim(jobId);
      const works = h.queue.take(QUEUES.sandboxWork);
      h.clock.advance(h.config.sandbox.workDurationMs);
      for (const work of works) {
        expect(work.options?.delayMs).toBe(h.config.sandbox.workDurationMs);
        await h.services.sandbox.work(work.data.assignmentId as string);
      }
      await h.runExtractions();
    }
  }

  it("by default claims, answers every field in plain words and completes through the real extractor", async () => {
    const before = await h.deps.ledger.balance(org.orgId, "live");
    const job = await create("Log in and check the dashboard");
    await runSandbox(job.id);
    const view = await h.services.jobs.get(org.test, job.id);
    expect(view.status).toBe("completed");
    expect(view.result?.success).toBe(true);
    expect(view.result?.data).toMatchObject({
      loginWorks: true,
      loadTimeSeconds: 3,
      confirmationNumber: "AB12-3456",
    });
    expect(Object.values(view.result?.data ?? {}).every((value) => value !== null)).toBe(true);
    expect(view.testerResponse).toMatch(/Done\.$/);
    expect(view.tester?.alias).toBe("Sandbox Tester Alpha");
    expect(view.testDurationSeconds).toBe(2); // 1.5 s of simulated work, rounded up
    expect(view.costMicros).toBe(3600);
    // Test-mode jobs never touch live credit.
    expect(await h.deps.ledger.balance(org.orgId, "live")).toEqual(before);
    const profile = await h.db.testerProfile.findUniqueOrThrow({ where: { id: view.tester?.id ?? "" } });
    expect(profile.isSandbox).toBe(true);
  });

  it("serves multi-tester jobs with one sandbox tester per slot", async () => {
    const job = await create("Check login", { testerCount: 3 });
    await runSandbox(job.id);
    const view = await h.services.jobs.get(org.test, job.id);
    expect(view.status).toBe("completed");
    expect(new Set(view.slots.map((s) => s.tester?.id)).size).toBe(3);
    expect(view.slots.every((s) => s.status === "completed")).toBe(true);
  });

  describe("magic words", () => {
    it("[sandbox:incomplete] leaves one field unanswered", async () => {
      const job = await create("Check login [sandbox:incomplete]");
      await runSandbox(job.id);
      const view = await h.services.jobs.get(org.test, job.id);
      expect(view.status).toBe("incomplete");
      expect(Object.values(view.result?.data ?? {}).filter((value) => value === null)).toHaveLength(1);
      expect(view.costMicros).toBe(3600);
    });

    it("[sandbox:reject] rejects the job", async () => {
      const job = await create("Check login [SANDBOX:REJECT]");
      await runSandbox(job.id);
      expect(await h.services.jobs.get(org.test, job.id)).toMatchObject({
        status: "rejected",
        costMicros: 0,
      });
    });

    it("[sandbox:abandon] abandons; with slot reopening every replacement abandons too", async () => {
      const once = await create("Check login [sandbox:abandon]", { allowSlotReopen: false });
      await runSandbox(once.id);
      expect(await h.services.jobs.get(org.test, once.id)).toMatchObject({
        status: "abandoned",
        costMicros: 0,
      });

      const reopening = await create("Check login [sandbox:abandon]");
      await runSandbox(reopening.id);
      const view = await h.services.jobs.get(org.test, reopening.id);
      expect(view.status).toBe("abandoned");
      expect(view.slots).toHaveLength(4); // the first try and three reopens (core's limit)
    });

    it("[sandbox:error] makes extraction fail: error, nothing charged", async () => {
      const job = await create("Check login [sandbox:error]");
      await runSandbox(job.id);
      expect(await h.services.jobs.get(org.test, job.id)).toMatchObject({ status: "error", costMicros: 0 });
    });
  });

  it("leaves live jobs alone", async () => {
    const live = await h.newOrg();
    const job = await h.services.jobs.create(
      live.live,
      { url: "https://example.com", description: "x" },
      { source: "runhuman" },
    );
    expect(await h.services.sandbox.claim(job.id)).toEqual([]);
  });

  it("workers: handlers registered; reconcile re-enqueues what a crash could have lost", async () => {
    await registerWorkers(h.services, h.queue);
    expect([...h.queue.handlers.keys()].sort()).toEqual(
      [
        QUEUES.extract,
        QUEUES.sandboxClaim,
        QUEUES.sandboxWork,
        QUEUES.timeoutsSweep,
        QUEUES.autoApproveSweep,
        QUEUES.githubRepoContext,
        QUEUES.githubIssues,
        QUEUES.slackNewJob,
      ].sort(),
    );
    const job = await create("Check login");
    h.queue.sent.length = 0; // as if the process died right after the commit
    const report = await reconcile(h.services, h.queue);
    expect(report.sandboxClaims).toBeGreaterThanOrEqual(1);
    // No repository, issues or Slack webhook here: no side effect is due.
    expect(report).toMatchObject({ repoContexts: 0, githubIssues: 0, slackNotices: 0 });
    const claim = h.queue.take(QUEUES.sandboxClaim, (d) => d.jobId === job.id);
    expect(claim).toHaveLength(1);
    await h.queue.handlers.get(QUEUES.sandboxClaim)?.({ jobId: job.id });
    h.queue.sent.length = 0; // the sandbox.work send is lost too
    expect((await reconcile(h.services, h.queue)).sandboxWorks).toBeGreaterThanOrEqual(1);
    const work = h.queue.take(QUEUES.sandboxWork);
    for (const message of work) await h.queue.handlers.get(QUEUES.sandboxWork)?.(message.data);
    h.queue.sent.length = 0; // and the extraction send
    expect((await reconcile(h.services, h.queue)).extractions).toBeGreaterThanOrEqual(1);
    const extractions = h.queue.take(QUEUES.extract);
    for (const message of extractions) await h.queue.handlers.get(QUEUES.extract)?.(message.data);
    expect((await h.services.jobs.get(org.test, job.id)).status).toBe("completed");
    const sweeps = h.queue.take(QUEUES.timeoutsSweep);
    expect(sweeps.length).toBeGreaterThanOrEqual(1);
    await h.queue.handlers.get(QUEUES.timeoutsSweep)?.({});
    expect(h.queue.take(QUEUES.timeoutsSweep)[0]?.options?.singletonKey).toBe(QUEUES.timeoutsSweep);
    // The dispute-window sweep re-enqueues itself the same way, one loop between all workers.
    await h.queue.handlers.get(QUEUES.autoApproveSweep)?.({});
    expect(h.queue.take(QUEUES.autoApproveSweep).at(-1)?.options?.singletonKey).toBe(QUEUES.autoApproveSweep);
  });
});
