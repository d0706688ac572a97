// GitHub against a loopback stand-in through the real Octokit, on both engines: repo context and issues.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";
import {
  createBuiltinExtractor,
  type ExtractionInput,
  type ExtractionResult,
  type Extractor,
} from "@eyeball/extraction";

import { pngOf } from "../artifacts/testing/png";
import { createHarness, type Harness, type TestOrg } from "../jobs/testing/harness";
import { QUEUES } from "../jobs/queue-names";
import { registerWorkers } from "../workers";
import { issueMarker } from "./issues";
import { createRepoContextService } from "./repo-context";
import { type GithubStandIn, startGithubStandIn, type StandInIssue } from "./testing/github-stand-in";

const README = "# Acme Shop\nThe storefront. A *basket* is what users call the cart.";
const CLAUDE = "# Notes\nCheckout runs on the Zephyr gateway.";
const TOKEN = "ghp_standin_token";

describeEachEngine("GitHub repo context and issues", (getDb) => {
  let gh: GithubStandIn;
  let h: Harness;
  let org: TestOrg;
  let shopIssues: StandInIssue[];
  const inputs: ExtractionInput[] = [];
  /** Results the extractor answers with, in order, before it falls back to the built-in one. */
  const nextResults: ExtractionResult[] = [];

  beforeAll(async () => {
    gh = await startGithubStandIn();
    shopIssues = gh.addRepo("acme/shop", { "README.md": README, "CLAUDE.md": CLAUDE });
    gh.addRepo("acme/docs", { "README.md": "# Docs only" });
    const builtin = createBuiltinExtractor();
    // Captures what the extractor is given; answers with a fixed result when a test sets one.
    const extractor: Extractor = {
      name: "capturing",
      extract: (input) => {
        inputs.push(input);
        const fixed = nextResults.shift();
        return fixed ? Promise.resolve(fixed) : builtin.extract(input);
      },
    };
    h = await createHarness(getDb(), {
      extractor,
      config: { github: { token: TOKEN, apiBaseUrl: gh.url }, publicUrl: "https://eyeball.example" },
    });
    await registerWorkers(h.services, h.queue);
    org = await h.newOrg();
  });
  afterAll(async () => {
    await h.close();
    await gh.close();
  });

  async function run(name: string, key: "jobId" | "assignmentId"): Promise<number> {
    const handler = h.queue.handlers.get(name);
    if (!handler) throw new Error(`no handler for ${name}`);
    const messages = h.queue.take(name);
    for (const message of messages) await handler({ [key]: message.data[key] ?? null });
    return messages.length;
  }
  const create = (input: Record<string, unknown>) =>
    h.services.jobs.create(
      org.live,
      {
        url: "https://shop.example/cart",
        description: "Add two items, apply coupon SAVE10, check out.",
        ...input,
      },
      { source: "runhuman" },
    );
  const storedContext = async (jobId: string) =>
    (await h.db.job.findUniqueOrThrow({ where: { id: jobId } })).repoContext as {
      files: { path: string; content: string }[];
      fetchedAt: string;
      error?: string;
    } | null;

  it("fetches README.md and CLAUDE.md off the request path, shows them to the tester and gives them to the extractor", async () => {
    const job = await create({ repoName: "acme/shop" });
    expect(await storedContext(job.id)).toBeNull();
    gh.requests.length = 0;
    expect(await run(QUEUES.githubRepoContext, "jobId")).toBe(1);
    const stored = await storedContext(job.id);
    expect(stored?.files).toEqual([
      { path: "README.md", content: README },
      { path: "CLAUDE.md", content: CLAUDE },
    ]);
    expect(stored?.error).toBeUndefined();
    expect(gh.requests.map((r) => r.path)).toEqual([
      "/repos/acme/shop",
      "/repos/acme/shop/contents/README.md",
      "/repos/acme/shop/contents/CLAUDE.md",
    ]);
    expect(gh.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    const tester = await h.newTester();
    const claimed = await h.services.tester.claim(tester, job.id);
    expect(claimed.repoContext).toEqual({ repo: "acme/shop", files: stored?.files });
    expect((await h.services.tester.assignment(tester, claimed.assignment.id)).repoContext?.repo).toBe(
      "acme/shop",
    );

    await h.services.tester.submit(tester, claimed.assignment.id, "Checkout worked. Done.");
    inputs.length = 0;
    await h.runExtractions();
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.repoContext).toBe(`# README.md\n\n${README}\n\n# CLAUDE.md\n\n${CLAUDE}`);
  });

  it("skips a missing CLAUDE.md, stores a missing repository as an error without failing the job, and sends no token unless configured", async () => {
    const docs = await create({ repoName: "acme/docs" });
    const missing = await create({ repoName: "acme/gone" });
    const plain = await create({});
    expect(h.queue.sent.filter((m) => m.name === QUEUES.githubRepoContext).map((m) => m.data.jobId)).toEqual([
      docs.id,
      missing.id,
    ]);
    await run(QUEUES.githubRepoContext, "jobId");
    expect((await storedContext(docs.id))?.files).toEqual([{ path: "README.md", content: "# Docs only" }]);
    const gone = await storedContext(missing.id);
    expect(gone?.files).toEqual([]);
    expect(gone?.error).toMatch(/404/);
    expect((await h.services.jobs.get(org.live, missing.id)).status).toBe("waiting");
    expect(await storedContext(plain.id)).toBeNull();
    const tester = await h.newTester();
    expect((await h.services.tester.claim(tester, missing.id)).repoContext).toBeNull();

    gh.requests.length = 0;
    const anonymous = createRepoContextService({
      db: h.db,
      clock: h.clock,
      queue: h.queue,
      config: { ...h.config, github: { token: null, apiBaseUrl: gh.url } },
    });
    await anonymous.refresh(docs.id);
    expect(gh.requests.length).toBeGreaterThan(0);
    expect(gh.requests.every((r) => r.authorization === undefined)).toBe(true);

    // A token GitHub refuses (401) is stored as the error too.
    gh.requireToken = "another-token";
    try {
      await h.services.repoContext.refresh(docs.id);
    } finally {
      gh.requireToken = null;
    }
    expect((await storedContext(docs.id))?.error).toMatch(/401/);
  });

  it("opens one issue per distinct bug with the steps, the tester's words and the links, and never twice", async () => {
    const job = await create({
      title: "Checkout smoke test",
      repoName: "acme/shop",
      canCreateGithubIssues: true,
      outputSchema: {
        bugs: { type: "array", description: "Every bug the tester found" },
        checkoutWorks: { type: "boolean", description: "Whether checkout completed" },
      },
    });
    const tester = await h.newTester();
    const claimed = await h.services.tester.claim(tester, job.id);
    const assignmentId = claimed.assignment.id;
    await h.services.artifacts.put({
      assignmentId,
      kind: "screenshot",
      contentType: "image/png",
      data: pngOf(4, 3),
    });
    await h.services.artifacts.put({
      assignmentId,
      kind: "video",
      contentType: "video/webm",
      data: Buffer.from("not really a webm"),
    });
    const words = "The total stayed at $40 after SAVE10.\nThe Pay button is hidden on mobile. Done.";
    await h.services.tester.submit(tester, assignmentId, words);
    nextResults.push({
      final: true,
      status: "completed",
      result: {
        success: false,
        explanation: "Checkout has two bugs.",
        data: {
          bugs: [
            "Coupon SAVE10 does not change the total",
            "Pay button hidden on mobile",
            "coupon save10 does NOT change the total.",
          ],
          checkoutWorks: false,
        },
      },
    });
    await h.runExtractions();
    const sent = h.queue.take(QUEUES.githubIssues);
    expect(sent.map((m) => m.data)).toEqual([{ assignmentId }]);
    const handler = h.queue.handlers.get(QUEUES.githubIssues);
    if (!handler) throw new Error("no issues handler");

    await handler({ assignmentId });
    expect(shopIssues.map((issue) => issue.title)).toEqual([
      "Coupon SAVE10 does not change the total",
      "Pay button hidden on mobile",
    ]);
    const first = shopIssues[0]?.body ?? "";
    expect(first).toContain("Checkout smoke test");
    expect(first).toContain(`https://eyeball.example/jobs/${job.id}`);
    expect(first).toContain("Add two items, apply coupon SAVE10, check out.");
    expect(first).toContain(
      "> The total stayed at $40 after SAVE10.\n> The Pay button is hidden on mobile. Done.",
    );
    expect(first).toMatch(/\[Screenshot 1\]\(https:\/\/eyeball\.example\/\S+\)/);
    expect(first).toMatch(/\[Session recording\]\(https:\/\/eyeball\.example\/\S+\)/);
    expect(first).toContain(`Reported by Eyeball job \`${job.id}\``);
    const rows = await h.db.githubIssue.findMany({ where: { jobId: job.id }, orderBy: { number: "asc" } });
    expect(rows.map((row) => [row.number, row.title, row.repo, row.assignmentId])).toEqual([
      [1, "Coupon SAVE10 does not change the total", "acme/shop", assignmentId],
      [2, "Pay button hidden on mobile", "acme/shop", assignmentId],
    ]);
    expect(first).toContain(issueMarker(job.id, rows[0]?.fingerprint ?? "?"));

    // A redelivery opens nothing; nor does one after a crash between GitHub's answer and the row.
    await handler({ assignmentId });
    expect(shopIssues).toHaveLength(2);
    await h.db.githubIssue.delete({ where: { id: rows[1]?.id ?? "" } });
    const creates = () => gh.requests.filter((r) => r.method === "POST").length;
    const before = creates();
    await handler({ assignmentId });
    expect(shopIssues).toHaveLength(2);
    expect(creates()).toBe(before);
    // Nor after a crash between GitHub's answer and the number being written on the claimed row.
    await h.db.githubIssue.update({ where: { id: rows[0]?.id ?? "" }, data: { number: null, url: null } });
    await handler({ assignmentId });
    expect(shopIssues).toHaveLength(2);
    expect(creates()).toBe(before);
    const again = await h.db.githubIssue.findMany({ where: { jobId: job.id }, orderBy: { number: "asc" } });
    expect(again.map((row) => [row.number, row.url])).toEqual([
      [1, shopIssues[0]?.html_url],
      [2, shopIssues[1]?.html_url],
    ]);
    const slot = await h.db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(slot.githubIssuesDoneAt).not.toBeNull();
  });

  it("opens one issue when two slots found the same bug at once, each slot's own bug once", async () => {
    const issues = gh.addRepo("acme/race", {});
    const job = await create({
      repoName: "acme/race",
      canCreateGithubIssues: true,
      testerCount: 2,
      outputSchema: { bugs: { type: "array", description: "Every bug the tester found" } },
    });
    const slots: string[] = [];
    for (const own of ["The logo is blurry", "The footer overlaps the cookie banner"]) {
      const tester = await h.newTester();
      const claimed = await h.services.tester.claim(tester, job.id);
      await h.services.tester.submit(tester, claimed.assignment.id, "Search is broken. Done.");
      nextResults.push({
        final: true,
        status: "completed",
        result: { success: false, explanation: "Bugs.", data: { bugs: ["Search returns nothing", own] } },
      });
      await h.runExtractions();
      slots.push(claimed.assignment.id);
    }
    expect(h.queue.take(QUEUES.githubIssues).map((m) => m.data.assignmentId)).toEqual(slots);
    const handler = h.queue.handlers.get(QUEUES.githubIssues);
    if (!handler) throw new Error("no issues handler");
    await Promise.all(slots.map((assignmentId) => handler({ assignmentId })));
    expect(issues.map((issue) => issue.title).sort()).toEqual([
      "Search returns nothing",
      "The footer overlaps the cookie banner",
      "The logo is blurry",
    ]);
    const rows = await h.db.githubIssue.findMany({ where: { jobId: job.id } });
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.number !== null)).toBe(true);
    const done = await h.db.assignment.findMany({ where: { id: { in: slots } } });
    expect(done.every((slot) => slot.githubIssuesDoneAt !== null)).toBe(true);
  });

  it("reconcile re-sends what a lost send or a GitHub outage left undone, and nothing once done", async () => {
    const issues = gh.addRepo("acme/outage", { "README.md": "# Outage" });
    await run(QUEUES.githubRepoContext, "jobId"); // the earlier tests' reads, so only this job is due
    const job = await create({
      repoName: "acme/outage",
      canCreateGithubIssues: true,
      outputSchema: { bugs: { type: "array", description: "Every bug the tester found" } },
    });
    // The repository read was never sent (a crash after the commit): reconcile finds the job.
    expect(h.queue.take(QUEUES.githubRepoContext).map((m) => m.data.jobId)).toEqual([job.id]);
    expect(await h.services.repoContext.reconcile()).toEqual({ queued: 1 });
    expect(await run(QUEUES.githubRepoContext, "jobId")).toBe(1);
    expect((await storedContext(job.id))?.files).toEqual([{ path: "README.md", content: "# Outage" }]);
    expect(await h.services.repoContext.reconcile()).toEqual({ queued: 0 });

    const tester = await h.newTester();
    const claimed = await h.services.tester.claim(tester, job.id);
    const assignmentId = claimed.assignment.id;
    await h.services.tester.submit(tester, assignmentId, "The cart empties itself. Done.");
    nextResults.push({
      final: true,
      status: "completed",
      result: { success: false, explanation: "A bug.", data: { bugs: ["The cart empties itself"] } },
    });
    await h.runExtractions();
    const handler = h.queue.handlers.get(QUEUES.githubIssues);
    if (!handler) throw new Error("no issues handler");
    expect(h.queue.take(QUEUES.githubIssues)).toHaveLength(1);
    // GitHub refuses every attempt: the queue gives up, the claimed row stays without a number.
    gh.requireToken = "another-token";
    try {
      await expect(handler({ assignmentId })).rejects.toThrow();
    } finally {
      gh.requireToken = null;
    }
    expect(issues).toHaveLength(0);
    expect((await h.db.githubIssue.findFirstOrThrow({ where: { jobId: job.id } })).number).toBeNull();
    expect(await h.services.githubIssues.reconcile()).toEqual({ queued: 1 });
    expect(await run(QUEUES.githubIssues, "assignmentId")).toBe(1);
    expect(issues.map((issue) => issue.title)).toEqual(["The cart empties itself"]);
    expect(await h.services.githubIssues.reconcile()).toEqual({ queued: 0 });
  });

  it("opens one issue titled from the explanation when a failed result names no bug field, and none for a job without canCreateGithubIssues", async () => {
    const issues = gh.addRepo("acme/plain", {});
    const job = await create({ repoName: "acme/plain", canCreateGithubIssues: true });
    const off = await create({ repoName: "acme/plain" });
    for (const [id, explanation] of [
      [job.id, "The signup form rejects valid emails. The tester tried three."],
      [off.id, "Broken too."],
    ] as const) {
      const tester = await h.newTester();
      const claimed = await h.services.tester.claim(tester, id);
      await h.services.tester.submit(tester, claimed.assignment.id, "It did not work. Done.");
      nextResults.push({
        final: true,
        status: "completed",
        result: { success: false, explanation, data: {} },
      });
      await h.runExtractions();
    }
    expect(await run(QUEUES.githubIssues, "assignmentId")).toBe(1);
    expect(issues.map((issue) => issue.title)).toEqual(["The signup form rejects valid emails."]);
  });
});
