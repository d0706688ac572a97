// The job page's recording against a real server: the sandbox tester visits a local fixture site in Chromium
// (screenshots, console, network, the click), a WebM is attached to its slot, and the owner watches it in sync.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type FixtureSite, startFixtureSite } from "@eyeball/api/testing";
import { CHROMIUM } from "@eyeball/recorder/testing";

import { usePortalE2e } from "./use-portal-e2e";

let workDir: string;
const e2e = usePortalE2e({ sandboxBrowser: CHROMIUM });
let site: FixtureSite;

const VIDEO_SECONDS = 4;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "eyeball-recording-e2e-"));
  site = await startFixtureSite();
}, 120_000);

afterAll(async () => {
  await site?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A real VP8 WebM of `seconds` at the job's screen size (ffmpeg's test pattern with a running clock). */
function makeWebm(width: number, height: number, seconds: number): Buffer {
  const file = path.join(workDir, `video-${width}x${height}.webm`);
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${width}x${height}:rate=10:duration=${seconds}`,
    "-c:v",
    "libvpx",
    "-b:v",
    "300k",
    "-g",
    "5",
    "-f",
    "webm",
    file,
  ]);
  return readFileSync(file);
}

async function signUpAndCreateKey(page: Page): Promise<string> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Rita Recorder");
  await page.getByLabel("Work email").fill("rita@acme.test");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByLabel("Organisation name").fill("Acme Video");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/jobs");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Recording key");
  await page.getByRole("radio", { name: "Test" }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent()) ?? "";
  expect(key).toMatch(/^eb_test_/);
  await page.getByRole("button", { name: "I have saved it" }).click();
  return key;
}

async function waitForStatus(key: string, jobId: string, done: (status: string) => boolean): Promise<void> {
  await expect
    .poll(
      async () =>
        ((await e2e.server.rest("GET", `/api/job/${jobId}`, key)).json as { status: string }).status,
      { timeout: 60_000, interval: 250 },
    )
    .toSatisfy(done);
}

describe("the job page's recording, in Chromium, against a running server", () => {
  let key = "";

  it("says there is no recording when the tester recorded nothing", async () => {
    const { page } = e2e.portal;
    key = await signUpAndCreateKey(page);
    const created = await e2e.server.rest("POST", "/api/jobs", key, {
      url: site.url,
      title: "Nothing recorded",
      description: "Look around [sandbox:abandon]",
      screenSize: "mobile",
    });
    expect(created.status).toBeLessThan(300);
    const jobId = (created.json as { jobId: string }).jobId;
    await page.goto(`/jobs/${jobId}`);
    const section = page.getByRole("region", { name: "Recording" });
    await section.getByText("No recording yet").waitFor();
    await waitForStatus(key, jobId, (status) => status !== "waiting" && status !== "in_progress");
    await page.reload();
    await section.getByText("The tester recorded nothing for this job.").waitFor();
  });

  it("plays the slot's WebM with its screenshots and a timeline that seeks, follows and filters", async () => {
    const { page } = e2e.portal;
    const created = await e2e.server.rest("POST", "/api/jobs", key, {
      url: site.url,
      title: "Watch the fixture shop",
      description: "Open the shop and press Buy.",
      screenSize: "mobile",
    });
    expect(created.status).toBeLessThan(300);
    const jobId = (created.json as { jobId: string }).jobId;
    await waitForStatus(key, jobId, (status) => status === "completed");
    // The sandbox visited the fixture: the page, its ping and the order the click made.
    expect(site.requests).toEqual(expect.arrayContaining(["GET /shop", "GET /api/ping", "POST /api/order"]));

    // The sandbox records no video (only the tester app's recorder does): attach a real WebM to its slot.
    const [slot] = await e2e.server.platform.services.db.assignment.findMany({ where: { jobId } });
    expect(slot).toBeDefined();
    await e2e.server.platform.services.artifacts.put({
      assignmentId: slot!.id,
      kind: "video",
      contentType: "video/webm",
      data: makeWebm(375, 667, VIDEO_SECONDS),
    });

    await page.goto(`/jobs/${jobId}`);
    const section = page.getByRole("region", { name: "Recording" });
    const video = section.locator("video");
    await video.waitFor();
    await expect
      .poll(() => video.evaluate((el: HTMLVideoElement) => el.readyState))
      .toBeGreaterThanOrEqual(1);
    expect(await video.evaluate((el: HTMLVideoElement) => el.duration)).toBeCloseTo(VIDEO_SECONDS, 0);
    const src = (await video.getAttribute("src")) ?? "";
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get("content-type") };
    }, src);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toContain("video/webm");
    await section.getByText("Screen 375×667").waitFor();

    // Screenshots: the sandbox's two (after load, after the click), loaded, labelled with their time.
    const thumbs = section.getByRole("list", { name: "Screenshots" }).getByRole("img");
    await expect.poll(() => thumbs.count()).toBe(2);
    await expect
      .poll(() => thumbs.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(375);
    expect(await thumbs.first().getAttribute("alt")).toMatch(/^Screenshot 1 of 2, at \d+:\d\d\.\d$/);

    // The timeline: the fixture's console messages, its requests and the click.
    const timeline = section.getByRole("list", { name: "Timeline" });
    const entries = timeline.getByRole("listitem");
    for (const text of ["fixture loaded 375x667", "low stock", "ping 200", "clicked at 375x667"]) {
      await timeline.getByText(text).waitFor();
    }
    await expect(timeline.textContent()).resolves.toContain("/api/ping");
    await expect(timeline.textContent()).resolves.toContain("/api/order");
    await expect(timeline.locator("[data-kind='click']").textContent()).resolves.toMatch(
      /Click at \d+,\d+#go/,
    );
    const total = await entries.count();
    expect(total).toBeGreaterThanOrEqual(7);
    // In time order, offsets from the start ("0:00.0" first).
    const offsets = await timeline.locator(".recording-offset").allTextContents();
    expect(offsets[0]).toBe("0:00.0");
    const seconds = offsets.map((text) => {
      const [m, s] = text.split(":");
      return Number(m) * 60 + Number(s);
    });
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds);

    // Clicking an entry seeks the video there and marks it current.
    const last = entries.last().getByRole("button");
    const lastOffset = seconds.at(-1)!;
    await last.click();
    await expect
      .poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime))
      .toBeCloseTo(Math.min(lastOffset, VIDEO_SECONDS), 0);
    const currentTime = await video.evaluate((el: HTMLVideoElement) => el.currentTime);
    expect(Math.abs(currentTime - Math.min(lastOffset, VIDEO_SECONDS))).toBeLessThan(0.15);
    await expect.poll(() => last.getAttribute("aria-current")).toBe("true");
    await expect(timeline.locator("[aria-current='true']").count()).resolves.toBe(1);

    // While it plays, timeupdate moves the mark back to the start's entries.
    await video.evaluate((el: HTMLVideoElement) => {
      el.muted = true;
      el.currentTime = 0;
      return el.play();
    });
    await expect.poll(() => entries.first().getByRole("button").getAttribute("aria-current")).toBe("true");
    await video.evaluate((el: HTMLVideoElement) => {
      el.pause();
    });

    // Filter chips: console off hides console entries; on again shows them.
    const chips = section.getByRole("group", { name: "Show entries" });
    const consoleChip = chips.getByRole("button", { name: /^Console/ });
    await consoleChip.click();
    await expect(consoleChip.getAttribute("aria-pressed")).resolves.toBe("false");
    await expect.poll(() => timeline.locator("[data-kind='console']").count()).toBe(0);
    expect(await timeline.locator("[data-kind='network']").count()).toBeGreaterThanOrEqual(3);
    await timeline.getByText("low stock").waitFor({ state: "detached" });
    await chips.getByRole("button", { name: /^Network/ }).click();
    await chips.getByRole("button", { name: /^Clicks/ }).click();
    await section.getByText("No entries of the chosen kinds").waitFor();
    for (const name of [/^Console/, /^Network/, /^Clicks/]) await chips.getByRole("button", { name }).click();
    await expect.poll(() => entries.count()).toBe(total);

    // A thumbnail opens the full screenshot in a dialog; Escape closes it and focus returns.
    await section.getByRole("button", { name: /^Open Screenshot 2 of 2/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await expect(dialog.getByRole("img").getAttribute("alt")).resolves.toMatch(/^Screenshot 2 of 2, at /);
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => dialog.getByRole("img").getAttribute("alt")).toMatch(/^Screenshot 1 of 2, at /);
    await e2e.portal.shoot("12-job-recording-lightbox");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""))
      .toMatch(/^Open Screenshot 2 of 2/);

    // Seek to an entry for the picture, then the page at both sizes.
    await entries.nth(2).getByRole("button").click();
    await page.mouse.move(0, 0);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await e2e.portal.shoot("12-job-recording");
  });
});
