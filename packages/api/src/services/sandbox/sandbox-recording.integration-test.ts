// The sandbox tester records what it saw: a test-mode job visited in real Chromium carries screenshots and a timeline.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { imageSize } from "../artifacts/image-size";
import { QUEUES } from "../jobs/queue-names";
import { createHarness, type Harness, type TestOrg } from "../jobs/testing/harness";
import { createChromiumSandboxBrowser, findChromium, type SandboxBrowser } from "./sandbox-browser";
import { type FixtureSite, startFixtureSite } from "./testing/fixture-site";

describeEachEngine("sandbox recording", (getDb) => {
  let h: Harness;
  let org: TestOrg;
  let site: FixtureSite;
  let browser: SandboxBrowser;

  beforeAll(async () => {
    const chromium = findChromium();
    if (chromium === null) throw new Error("Chromium is not installed: run scripts/ensure-chromium.sh");
    browser = createChromiumSandboxBrowser({
      executablePath: chromium,
      mode: "development",
      timeoutMs: 10_000,
    });
    h = await createHarness(getDb(), { sandboxBrowser: browser });
    org = await h.newOrg({ creditMicros: 0n });
    site = await startFixtureSite();
  });
  afterAll(async () => {
    await h.close();
    await browser.close();
    await site.close();
  });

  async function runSandbox(jobId: string): Promise<void> {
    for (let round = 0; round < 5; round++) {
      if (h.queue.take(QUEUES.sandboxClaim, (d) => d.jobId === jobId).length === 0) return;
      await h.services.sandbox.claim(jobId);
      for (const work of h.queue.take(QUEUES.sandboxWork)) {
        await h.services.sandbox.work(work.data.assignmentId as string);
      }
      await h.runExtractions();
    }
  }

  it("visits the page at the job's screen size and stores screenshots, console, network and clicks", async () => {
    const job = await h.services.jobs.create(
      org.test,
      { url: site.url, description: "Try the Buy button", screenSize: "laptop" },
      { source: "runhuman" },
    );
    await runSandbox(job.id);
    const view = await h.services.jobs.get(org.test, job.id);
    expect(view.status).toBe("completed");
    const recording = await h.services.artifacts.representativeRecording(view);
    expect(recording?.screenshots).toHaveLength(2);
    for (const shot of recording?.screenshots ?? []) expect(shot).toMatchObject({ width: 1366, height: 768 });
    // Each screenshot carries the moment it was taken, the second after the click; no video, so no video start.
    const [afterLoad, afterClick] = recording?.screenshots ?? [];
    expect(afterLoad?.capturedAt).toBeInstanceOf(Date);
    expect(afterClick?.capturedAt?.getTime()).toBeGreaterThanOrEqual(
      Date.parse(recording?.clicks[0]?.timestamp ?? ""),
    );
    expect(recording?.videoStartedAt).toBeNull();
    const stored = await h.db.artifact.findMany({
      where: { assignmentId: view.representativeSlotId ?? "", kind: "screenshot" },
    });
    for (const row of stored) {
      const chunks: Buffer[] = [];
      for await (const chunk of h.artifactStore.read(row.storageKey)) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      expect(imageSize(bytes)).toEqual({ width: 1366, height: 768 });
    }
    expect(recording?.consoleMessages.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(["fixture loaded 1366x768", "clicked at 1366x768"]),
    );
    expect(recording?.networkRequests).toEqual(
      expect.arrayContaining([expect.objectContaining({ method: "GET", url: site.url, status: 200 })]),
    );
    expect(recording?.clicks).toEqual([expect.objectContaining({ x: 100, y: 80, element: "#go" })]);
    expect(site.requests).toEqual(expect.arrayContaining(["GET /shop", "GET /api/ping", "POST /api/order"]));
  });

  it("an abandoning sandbox tester leaves no recording", async () => {
    const job = await h.services.jobs.create(
      org.test,
      { url: site.url, description: "Look around [sandbox:abandon]", allowSlotReopen: false },
      { source: "runhuman" },
    );
    await runSandbox(job.id);
    const view = await h.services.jobs.get(org.test, job.id);
    expect(view.status).toBe("abandoned");
    expect(await h.db.artifact.count({ where: { assignment: { jobId: job.id } } })).toBe(0);
  });
});
