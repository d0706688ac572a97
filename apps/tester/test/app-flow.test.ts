// The whole tester day in the real renderer against a real server: sign in, live feed, claim, record, extend, submit, history, earnings.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type FixtureSite,
  type GithubStandIn,
  startFixtureSite,
  startGithubStandIn,
} from "@eyeball/api/testing";
import { ffprobe, pngIhdr } from "@eyeball/recorder/testing";

import { type AppUnderTest, buildRenderer, openApp, serveStatic } from "./renderer-harness";
import { startTestPlatform, type TestPlatform } from "./test-platform";

const screenshotDir = path.resolve(import.meta.dirname, "../test-results/screens");

let platform: TestPlatform;
let github: GithubStandIn;
let site: FixtureSite;
let renderer: { url: string; close(): Promise<void> };
let rendererDir: string;
let app: AppUnderTest;

beforeAll(async () => {
  // The server reads a job's repository (README.md, CLAUDE.md) from a loopback stand-in of GitHub's API.
  github = await startGithubStandIn();
  github.addRepo("acme/members", {
    "README.md": "# Members area\n\nSign in at /login with the test account qa@acme.test.\n",
    "CLAUDE.md": "The members page lists orders newest first.\n",
  });
  [platform, site, rendererDir] = await Promise.all([
    startTestPlatform({ GITHUB_API_URL: github.url }),
    startFixtureSite(),
    buildRenderer(),
  ]);
  renderer = await serveStatic(rendererDir);
  // A display smaller than 1920×1080: the test window is shown scaled, the page still sees 1920×1080.
  app = await openApp({ rendererUrl: renderer.url, screenshotDir, display: { width: 1280, height: 800 } });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await renderer?.close();
  await site?.close();
  await platform?.close();
  await github?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

describe("the tester app, renderer in Chromium, against a running server", () => {
  it("signs in, sees a job arrive live, claims it, records the test at 1920×1080, extends, submits and is paid", async () => {
    const { page } = app;

    // Sign in: a wrong password gets the server's message, then the real one gets in.
    await page.getByRole("heading", { name: "Eyeball Tester" }).waitFor();
    await page.getByLabel("Server").fill(platform.url);
    await page.getByLabel("Email").fill(platform.tester.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("email or password is wrong");
    await app.shoot("01-sign-in-error");
    await page.getByLabel("Password").fill(platform.tester.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    // The feed is empty, and live.
    await page.getByRole("heading", { name: "Jobs for you" }).waitFor();
    await page.getByText("No jobs right now.").waitFor();
    await page.getByText("● Live").waitFor();
    await app.shoot("02-feed-empty");

    // A job posted through the REST API appears without a reload, with a desktop notice.
    const job = await platform.createJob({
      url: site.url,
      title: "Check the fixture shop",
      description: "Open the shop, press Buy, and report what happens.",
      screenSize: "desktop",
      targetDurationMinutes: 5,
      allowDurationExtension: true,
      maxExtensionMinutes: 5,
      outputSchema: {
        buyWorks: { type: "boolean", description: "Whether pressing Buy places an order" },
        heading: { type: "string", description: "The page heading" },
      },
    });
    const card = page.getByRole("listitem").filter({ hasText: "Check the fixture shop" });
    await card.waitFor();
    await expect.poll(() => app.notifications.length).toBe(1);
    expect(app.notifications[0]?.body).toContain("Check the fixture shop");
    await expect(card.textContent()).resolves.toContain("Desktop 1920×1080");
    await app.shoot("03-feed-job");

    // Claim: the work screen opens, and the site opens in a test window, recorded.
    await card.getByRole("button", { name: "Claim" }).click();
    await page.getByRole("heading", { name: "Check the fixture shop" }).waitFor();
    await expect.poll(() => app.testPages.length).toBe(1);
    const testPage = app.testPages[0]!;
    await testPage.getByRole("button", { name: "Buy" }).waitFor();
    expect(await testPage.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([1920, 1080]);
    await page.getByText("shown at 66% to fit your screen").waitFor();
    // The page is shown at 66%. Headless Chromium maps CDP's synthetic input through that scale on some frames
    // and not on others (a real pointer in the app window always is), so click a point of the Buy button
    // (40,60 120×40) that lands on it either way: (70,63) and (70,63)/0.66 = (106,95) are both inside.
    await testPage.mouse.click(70, 63);
    await expect.poll(async () => (await app.host.recordingStatus())?.clicks).toBe(1);
    await expect.poll(async () => (await app.host.recordingStatus())?.network).toBeGreaterThanOrEqual(3);
    await page.getByText("Recording", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Take screenshot" }).click();
    await expect.poll(async () => (await app.host.recordingStatus())?.screenshots).toBeGreaterThanOrEqual(2);

    // The checklist follows the draft; submit stays disabled until the last word is "done".
    const findings = page.getByLabel("Your findings");
    await findings.fill("Pressing Buy works and places an order.");
    const submit = page.getByRole("button", { name: "Submit findings" });
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByText("Still unanswered: heading").first().waitFor();
    await app.shoot("04-work-draft");

    // More time, within the job's rules.
    await page.getByLabel("Need more time?").selectOption("2");
    await page.getByRole("button", { name: "Request" }).click();
    await page.getByText("Up to 3 minutes more").waitFor();

    await findings.fill('Pressing Buy works and places an order. The heading says "Fixture shop". done');
    await page.getByText("Ready to submit.", { exact: true }).waitFor();
    await expect(submit.isDisabled()).resolves.toBe(false);
    await app.shoot("05-work-ready");
    await submit.click();

    await page
      .getByRole("status")
      .filter({ hasText: /Completed|being read/ })
      .waitFor();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Completed. Thank you!" }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await app.host.drainUploads();
    await page.getByText("Recordings uploaded").waitFor();
    // The recorder's startedAt (the video's frame 0), as the host reports the finished recording.
    const recorderStartedAt = (await app.host.recordingStatus())?.startedAt;
    await app.shoot("06-finished");

    // The owner sees the result and the whole recording through the run(human) API.
    const response = await fetch(`${platform.url}/api/job/${job.id}`, {
      headers: { authorization: `Bearer ${platform.liveKey}` },
    });
    const body = (await response.json()) as {
      status: string;
      result: { data: Record<string, unknown> };
      testerData: {
        clicks: { x: number; y: number; timestamp: string }[];
        consoleMessages: { message: string }[];
        networkRequests: { url: string; status?: number }[];
        screenshots: string[];
        videoUrl?: string;
        videoStartedAt?: string;
      };
    };
    expect(body.status).toBe("completed");
    expect(body.result.data).toEqual({ buyWorks: true, heading: "Fixture shop" });
    const { testerData } = body;
    expect(testerData.clicks).toHaveLength(1);
    // The Buy button sits at 40,60 (120×40) in page pixels.
    expect(testerData.clicks[0]!.x).toBeGreaterThanOrEqual(40);
    expect(testerData.clicks[0]!.x).toBeLessThanOrEqual(160);
    expect(testerData.consoleMessages.map((m) => m.message)).toEqual(
      expect.arrayContaining(["fixture loaded 1920x1080", "low stock", "clicked at 1920x1080"]),
    );
    expect(testerData.networkRequests.map((r) => new URL(r.url).pathname)).toEqual(
      expect.arrayContaining(["/shop", "/api/ping", "/api/order"]),
    );
    expect(testerData.screenshots.length).toBeGreaterThanOrEqual(2);
    const shot = Buffer.from(await (await fetch(testerData.screenshots[0]!)).arrayBuffer());
    expect(pngIhdr(shot)).toEqual({ width: 1920, height: 1080 });
    expect(testerData.videoUrl).toBeDefined();
    const video = Buffer.from(await (await fetch(testerData.videoUrl!)).arrayBuffer());
    const videoFile = path.join(screenshotDir, "recording.webm");
    writeFileSync(videoFile, video);
    expect(await ffprobe(videoFile)).toMatchObject({ width: 1920, height: 1080 });
    // The stored video's capturedAt is exactly the recorder's start, and the timeline falls after it.
    expect(recorderStartedAt).toBeDefined();
    expect(testerData.videoStartedAt).toBe(recorderStartedAt);
    const firstClick = Date.parse(testerData.clicks[0]!.timestamp);
    expect(firstClick).toBeGreaterThanOrEqual(Date.parse(testerData.videoStartedAt ?? ""));

    // History and earnings show the job; the profile saves.
    await page.getByRole("button", { name: "Back to jobs" }).click();
    await page.getByRole("button", { name: "History" }).click();
    await page.getByRole("cell", { name: "Check the fixture shop" }).waitFor();
    await app.shoot("07-history");
    await page.getByRole("button", { name: "Earnings" }).click();
    await page.getByRole("heading", { name: "Earnings" }).waitFor();
    await app.shoot("08-earnings");
    await page.getByRole("button", { name: "Profile" }).click();
    await page.getByLabel("Country (two letters, such as US)").fill("DE");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await app.shoot("09-profile");
    expect((await platform.platform.services.testerAuth.getProfile(platform.tester.testerId)).country).toBe(
      "DE",
    );
  });

  it("shows the repository's notes, rejects a job as impossible with a reason, and the history says so", async () => {
    const { page } = app;
    await page.getByRole("button", { name: "Jobs", exact: true }).click();
    const job = await platform.createJob({
      url: site.url,
      title: "Log in to the members area",
      description: "Sign in with the credentials and check the members page.",
      screenSize: "mobile",
      targetDurationMinutes: 3,
      repoName: "acme/members",
    });
    // The repository is read off the request path; claim once it is stored on the job.
    await expect
      .poll(async () => {
        const stored = await platform.platform.database.prisma.job.findUnique({
          where: { id: job.id },
          select: { repoContext: true },
        });
        return stored?.repoContext !== null && stored?.repoContext !== undefined;
      })
      .toBe(true);
    const card = page.getByRole("listitem").filter({ hasText: "Log in to the members area" });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain("Mobile 375×667");
    await card.getByRole("button", { name: "Claim" }).click();
    await page.getByRole("heading", { name: "Log in to the members area" }).waitFor();
    await expect.poll(() => app.testPages.length).toBe(2);
    const testPage = app.testPages[1]!;
    await testPage.getByRole("button", { name: "Buy" }).waitFor();
    expect(await testPage.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([375, 667]);

    // The repository's README.md and CLAUDE.md, each behind its own disclosure, in the order given.
    const notes = page.getByRole("region", { name: "Project notes from acme/members" });
    await notes.waitFor();
    await expect(notes.locator("summary").allTextContents()).resolves.toEqual(["README.md", "CLAUDE.md"]);
    await notes.getByText("README.md", { exact: true }).click();
    const readme = notes.getByLabel("README.md of acme/members");
    await expect(readme.textContent()).resolves.toContain(
      "Sign in at /login with the test account qa@acme.test.",
    );
    await expect(notes.getByLabel("CLAUDE.md of acme/members").isVisible()).resolves.toBe(false);
    await app.shoot("10-project-notes");
    // The token is optional: without GITHUB_TOKEN the server asks anonymously.
    expect(github.requests.some((r) => r.path === "/repos/acme/members/contents/README.md")).toBe(true);
    expect(github.requests.every((r) => r.authorization === undefined)).toBe(true);

    await page.getByRole("button", { name: "Impossible to test…" }).click();
    const reject = page.getByRole("button", { name: "Reject job" });
    await expect(reject.isDisabled()).resolves.toBe(true);
    await page
      .getByLabel("Why can this job not be done?")
      .fill("There is no members area and no login form.");
    await app.shoot("11-reject");
    await reject.click();
    await page.getByRole("status").filter({ hasText: "You rejected this job as impossible." }).waitFor();
    await expect.poll(() => testPage.isClosed()).toBe(true);
    await app.host.drainUploads();

    await page.getByRole("button", { name: "Back to jobs" }).click();
    await page.getByRole("button", { name: "History" }).click();
    const row = page.getByRole("row").filter({ hasText: "Log in to the members area" });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("Rejected as impossible");
  });
});
