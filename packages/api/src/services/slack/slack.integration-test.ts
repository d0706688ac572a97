// Slack new-job notices against a loopback stand-in through the real IncomingWebhook, on both engines.
import { afterAll, beforeAll, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { createHarness, type Harness, type TestOrg } from "../jobs/testing/harness";
import { QUEUES } from "../jobs/queue-names";
import { registerWorkers } from "../workers";
import { type SlackStandIn, startSlackStandIn } from "./testing/slack-stand-in";

describeEachEngine("Slack new-job notices", (getDb) => {
  let slack: SlackStandIn;
  let h: Harness;
  let org: TestOrg;

  beforeAll(async () => {
    slack = await startSlackStandIn();
    h = await createHarness(getDb(), { config: { publicUrl: "https://eyeball.example" } });
    await registerWorkers(h.services, h.queue);
    org = await h.newOrg();
  });
  afterAll(async () => {
    await h.close();
    await slack.close();
  });

  const handler = () => {
    const found = h.queue.handlers.get(QUEUES.slackNewJob);
    if (!found) throw new Error("no Slack handler");
    return found;
  };
  async function runNotices(): Promise<number> {
    const messages = h.queue.take(QUEUES.slackNewJob);
    for (const message of messages) await handler()({ jobId: message.data.jobId ?? null });
    return messages.length;
  }
  const create = (input: Record<string, unknown> = {}, actor = org.live) =>
    h.services.jobs.create(
      actor,
      {
        url: "https://shop.example",
        title: "Checkout",
        description: "Buy a hat and check the receipt email.",
        screenSize: "mobile",
        targetDurationMinutes: 10,
        testerCount: 2,
        ...input,
      },
      { source: "runhuman" },
    );

  it("sends nothing without a webhook, the org's URL otherwise, and the project's when it has one", async () => {
    await create();
    expect(await runNotices()).toBe(0);

    await expect(
      h.contextServices.orgs.update(
        { userId: org.owner.userId, orgId: org.orgId, isAdmin: false },
        { slackWebhookUrl: "ftp://hooks.slack.com/x" },
        { mode: "development" },
      ),
    ).rejects.toThrow(/^slackWebhookUrl:/);
    await expect(
      h.contextServices.orgs.update(
        { userId: org.owner.userId, orgId: org.orgId, isAdmin: false },
        { slackWebhookUrl: `${slack.url}/services/ORG` },
        { mode: "production" },
      ),
    ).rejects.toBeInstanceOf(DomainError);
    const saved = await h.contextServices.orgs.update(
      { userId: org.owner.userId, orgId: org.orgId, isAdmin: false },
      { slackWebhookUrl: `${slack.url}/services/ORG` },
      { mode: "development" },
    );
    expect(saved.slackWebhookUrl).toBe(`${slack.url}/services/ORG`);

    const live = await create();
    await create({}, org.test);
    expect(await runNotices()).toBe(2);
    expect(slack.received.map((m) => m.path)).toEqual(["/services/ORG", "/services/ORG"]);
    const text = slack.received[0]?.body.text ?? "";
    expect(text).toContain("Checkout");
    expect(text).toContain("mobile");
    expect(text).toContain("10 min");
    expect(text).toContain("2 testers");
    // 10 min at the default rate and share, in dollars written once.
    expect(text).toMatch(
      /, about \$\d+\.\d+ per tester at the target duration\. Claim it in the Eyeball tester app: /,
    );
    expect(text).toContain("https://eyeball.example");
    expect(JSON.stringify(slack.received[0]?.body.blocks)).toContain(
      "Buy a hat and check the receipt email.",
    );
    expect(JSON.stringify(slack.received[0]?.body.blocks)).toContain(live.id);
    // A test-mode job is the sandbox's: the notice says there is nothing to claim, and names no pay.
    const sandbox = slack.received[1]?.body.text ?? "";
    expect(sandbox).toMatch(/^Test-mode Eyeball job: Checkout /);
    expect(sandbox).toContain("nothing to claim");
    expect(sandbox).not.toContain("per tester");

    // The project's URL wins over the organisation's.
    const project = await h.db.project.create({
      data: { orgId: org.orgId, name: "Shop", slackWebhookUrl: `${slack.url}/services/PROJECT` },
    });
    slack.received.length = 0;
    await create({ projectId: project.id });
    expect(await runNotices()).toBe(1);
    expect(slack.received.map((m) => m.path)).toEqual(["/services/PROJECT"]);
  });

  it("announces a job once: a redelivery sends nothing, reconcile re-sends only a lost notice", async () => {
    slack.received.length = 0;
    // A fresh organisation, so only this job is due.
    const other = await h.newOrg();
    await h.db.organization.update({
      where: { id: other.orgId },
      data: { slackWebhookUrl: `${slack.url}/services/OTHER` },
    });
    await runNotices();
    slack.received.length = 0;
    expect(await h.services.slack.reconcile()).toEqual({ queued: 1 }); // the first test's job made before the URL
    await runNotices();
    slack.received.length = 0;
    const job = await create({}, other.live);
    // The send was lost (a crash after the commit): reconcile finds the unannounced job.
    expect(h.queue.take(QUEUES.slackNewJob).map((m) => m.data.jobId)).toEqual([job.id]);
    expect(await h.services.slack.reconcile()).toEqual({ queued: 1 });
    expect(await runNotices()).toBe(1);
    expect(slack.received).toHaveLength(1);
    await handler()({ jobId: job.id });
    expect(slack.received).toHaveLength(1);
    expect(await h.services.slack.reconcile()).toEqual({ queued: 0 });
  });

  it("a failing Slack endpoint does not fail job creation; the worker throws so the queue retries", async () => {
    slack.status = 500;
    try {
      const job = await create();
      expect(job.status).toBe("waiting");
      const [message] = h.queue.take(QUEUES.slackNewJob);
      expect(message?.options?.retryLimit).toBeGreaterThan(0);
      await expect(handler()({ jobId: job.id })).rejects.toThrow();
      expect((await h.services.jobs.get(org.live, job.id)).status).toBe("waiting");
    } finally {
      slack.status = 200;
    }
  });
});
