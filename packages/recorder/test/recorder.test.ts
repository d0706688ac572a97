// startRecording against real Chromium: exact viewports, timeline, clicks, screenshots and video for each screen size.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ffmpegAvailable,
  SCREEN_PRESETS,
  startRecording,
  type RecordingResult,
  type TimelineEntry,
  type Viewport,
} from "../src/index";
import { FIXTURE_CLICKS, FIXTURE_CONSOLE } from "./fixtures";
import {
  ffprobe,
  type FixtureServer,
  launchBrowser,
  openPage,
  pngIhdr,
  pngTopLeft,
  startFixtureServer,
  waitFor,
} from "./harness";

let browser: Browser;
let server: FixtureServer;
let workDir: string;
let videoReason: string | undefined;

beforeAll(async () => {
  const [launched, started, ffmpeg] = await Promise.all([
    launchBrowser(),
    startFixtureServer(),
    ffmpegAvailable(),
  ]);
  browser = launched;
  server = started;
  videoReason = ffmpeg.available ? undefined : ffmpeg.reason;
  if (videoReason) console.warn(`Skipping the video assertions: ${videoReason}`);
  workDir = mkdtempSync(path.join(tmpdir(), "eyeball-recorder-test-"));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function expectWithin(timestamp: string, result: Pick<RecordingResult, "startedAt" | "stoppedAt">): void {
  const at = Date.parse(timestamp);
  expect(Number.isNaN(at), timestamp).toBe(false);
  expect(at, `${timestamp} before start ${result.startedAt.toISOString()}`).toBeGreaterThanOrEqual(
    result.startedAt.getTime(),
  );
  expect(at, `${timestamp} after stop ${result.stoppedAt.toISOString()}`).toBeLessThanOrEqual(
    result.stoppedAt.getTime(),
  );
}

const CASES: { name: string; viewport: Viewport; displayScale?: number }[] = [
  ...Object.entries(SCREEN_PRESETS).map(([name, viewport]) => ({ name, viewport })),
  { name: "custom 1000×700", viewport: { width: 1000, height: 700 } },
  { name: "custom 1000×700 shown at 0.5", viewport: { width: 1000, height: 700 }, displayScale: 0.5 },
];

describe.each(CASES)("recording at $name", ({ name, viewport, displayScale }) => {
  it("records the page at exactly the viewport with its full timeline", async () => {
    const { page, cdp, close } = await openPage(browser);
    const entries: { at: number; entry: TimelineEntry }[] = [];
    const loadShots: { width: number; height: number; label: string }[] = [];
    const videoPath = path.join(workDir, `${name.replace(/\W+/g, "-")}.webm`);
    try {
      const recording = await startRecording(cdp, {
        viewport,
        ...(displayScale ? { displayScale } : {}),
        ...(videoReason ? {} : { video: { path: videoPath } }),
        onEntry: (entry) => entries.push({ at: Date.now(), entry }),
        onScreenshot: (shot) => loadShots.push({ width: shot.width, height: shot.height, label: shot.label }),
      });
      await recording.navigate(`${server.origin}/fixture`);

      expect(await page.evaluate("[innerWidth, innerHeight]")).toEqual([viewport.width, viewport.height]);

      // The fixture's console and fetches run on their own; wait until they are all in.
      await waitFor("the fixture's console and network", () => {
        const snap = recording.snapshot();
        return (
          snap.console.some((c) => c.message === "fixture fetches done") &&
          snap.console.some((c) => c.message.includes("fixture boom")) &&
          snap.network.filter((n) => n.status !== undefined).length >= 4
        );
      });
      // With displayScale < 1, Chromium maps CDP input events sometimes through the scale (window pixels,
      // as a tester's mouse) and sometimes not, so that case compares with what the page itself saw.
      const scale = displayScale ?? 1;
      for (const click of FIXTURE_CLICKS) await page.mouse.click(click.x * scale, click.y * scale);
      await waitFor("the clicks", () => recording.snapshot().clicks.length >= FIXTURE_CLICKS.length);
      await waitFor("the load screenshot", () => loadShots.length > 0);

      const shot = await recording.screenshot();
      expect(pngIhdr(shot.png)).toEqual(viewport);
      expect(shot).toMatchObject({ ...viewport, label: "manual" });

      // About a second of video, so the constant frame rate has something to show.
      const startedAt = recording.snapshot().startedAt.getTime();
      await waitFor("a second of recording", () => Date.now() - startedAt >= 1_000, 5_000);
      const beforeStop = Date.now();
      const result = await recording.stop();

      // Console: every message in order, the exception as an error.
      const messages = result.console.map((c) => ({ type: c.type, message: c.message }));
      const apiMessages = messages.filter((m) => FIXTURE_CONSOLE.some((f) => f.message === m.message));
      expect(apiMessages).toEqual(FIXTURE_CONSOLE.map((f) => ({ ...f })));
      expect(messages).toContainEqual({
        type: "error",
        message: expect.stringMatching(/^Uncaught Error: fixture boom/) as unknown,
      });
      // Chromium's own message about the 404 arrives through the Log domain.
      expect(messages).toContainEqual({ type: "error", message: expect.stringContaining("404") as unknown });

      // Network: the page, both API calls and the refused connection; no data: URLs.
      const requests = result.network.map((n) => ({ url: n.url, method: n.method, status: n.status }));
      expect(requests).toEqual(
        expect.arrayContaining([
          { url: `${server.origin}/fixture`, method: "GET", status: 200 },
          { url: `${server.origin}/api/ok`, method: "GET", status: 200 },
          { url: `${server.origin}/api/missing`, method: "GET", status: 404 },
          { url: `http://127.0.0.1:${server.closedPort}/refused`, method: "GET", status: 0 },
        ]),
      );
      expect(result.network.some((n) => n.url.startsWith("data:"))).toBe(false);

      // Clicks: the page's own coordinates (clientX/Y) and a selector that finds the element it saw clicked.
      const seen = await page.evaluate<{ x: number; y: number; text: string }[]>("fixtureClicks");
      expect(result.clicks.map((c) => ({ x: c.x, y: c.y }))).toEqual(seen.map(({ x, y }) => ({ x, y })));
      for (const [i, click] of result.clicks.entries()) {
        expect(
          await page.evaluate(`document.querySelector(${JSON.stringify(click.element)}).textContent`),
        ).toBe(seen[i]?.text);
      }
      if (scale === 1) {
        expect(result.clicks.map((c) => ({ x: c.x, y: c.y, element: c.element }))).toEqual(
          FIXTURE_CLICKS.map(({ x, y, element }) => ({ x, y, element })),
        );
      }

      for (const entry of [...result.console, ...result.network, ...result.clicks])
        expectWithin(entry.timestamp, result);

      // onEntry saw each entry as it happened, before stop() was called.
      const live = (kind: TimelineEntry["kind"]): number =>
        entries.filter((e) => e.entry.kind === kind && e.at < beforeStop).length;
      expect(live("console")).toBe(result.console.length);
      expect(live("clicks")).toBe(result.clicks.length);
      expect(live("network")).toBe(result.network.length);

      // Screenshots: the load one, then the manual one, all exactly the viewport.
      expect(loadShots[0]).toEqual({ ...viewport, label: "load" });
      expect(result.screenshots.map((s) => s.label)).toEqual(["load", "manual"]);
      for (const s of result.screenshots) expect(pngIhdr(s.png)).toEqual(viewport);

      if (videoReason) {
        expect(result.video).toBeNull();
        return;
      }
      expect(result.videoError).toBeUndefined();
      expect(result.video).toMatchObject({
        path: videoPath,
        ...viewport,
        contentType: "video/webm",
        fps: 25,
      });
      const video = result.video!;
      expect(video.capturedFrames).toBeGreaterThan(0);
      expect(video.frames).toBeGreaterThanOrEqual(video.capturedFrames);
      expect(video.durationMs).toBe(Math.round((video.frames * 1000) / video.fps));
      const recordedMs = result.stoppedAt.getTime() - result.startedAt.getTime();
      expect(Math.abs(video.durationMs - recordedMs)).toBeLessThanOrEqual(120);
      const probed = await ffprobe(videoPath);
      expect({ width: probed.width, height: probed.height }).toEqual(viewport);
      expect(probed.frames).toBe(video.frames);
      expect(Math.abs(probed.durationMs - video.durationMs)).toBeLessThanOrEqual(80);
    } finally {
      await close();
    }
  });
});

describe("startRecording", () => {
  it("keeps its click binding out of the page's main world", async () => {
    const { page, cdp, close } = await openPage(browser);
    try {
      const recording = await startRecording(cdp, {
        viewport: SCREEN_PRESETS.mobile,
        screenshotOnLoad: false,
      });
      await recording.navigate(`${server.origin}/fixture`);
      const names = await page.evaluate<string[]>(
        "Object.getOwnPropertyNames(window).filter((n) => /eyeball/i.test(n))",
      );
      expect(names).toEqual([]);
      // Yet the isolated world's binding works: the click is recorded.
      await page.mouse.click(80, 40);
      await waitFor("the click", () => recording.snapshot().clicks.length === 1);
      const bindingNames = await recording
        .stop()
        .then(() =>
          page.evaluate("Object.getOwnPropertyNames(window).filter((n) => n.startsWith('__eyeball'))"),
        );
      expect(bindingNames).toEqual([]);
    } finally {
      await close();
    }
  });

  it("records clicks on the document that was already open when it started", async () => {
    const { page, cdp, close } = await openPage(browser);
    try {
      const settled = page.waitForEvent("console", { predicate: (m) => m.text() === "fixture fetches done" });
      await page.goto(`${server.origin}/fixture`);
      await settled;
      const recording = await startRecording(cdp, {
        viewport: SCREEN_PRESETS.laptop,
        screenshotOnLoad: false,
      });
      await page.mouse.click(80, 40);
      await waitFor("the click", () => recording.snapshot().clicks.length === 1);
      expect(recording.snapshot().clicks[0]).toMatchObject({ x: 80, y: 40, element: "#save" });
      // Messages logged before the recording started are not replayed into it.
      expect(recording.snapshot().console).toEqual([]);
      await recording.stop();
    } finally {
      await close();
    }
  });

  it("reports requests still in flight at stop without a status, and stop is idempotent", async () => {
    const { cdp, close } = await openPage(browser);
    try {
      const entries: TimelineEntry[] = [];
      const recording = await startRecording(cdp, {
        viewport: SCREEN_PRESETS.mobile,
        screenshotOnLoad: false,
        onEntry: (entry) => entries.push(entry),
      });
      await recording.navigate(`${server.origin}/slow-fetch`);
      await waitFor("the slow request", () =>
        recording.snapshot().network.some((n) => n.url.endsWith("/api/slow")),
      );
      expect(entries.some((e) => e.kind === "network" && e.entry.url.endsWith("/api/slow"))).toBe(false);

      const [first, second] = await Promise.all([recording.stop(), recording.stop()]);
      expect(second).toBe(first);
      expect(await recording.stop()).toBe(first);
      const slow = first.network.find((n) => n.url.endsWith("/api/slow"));
      expect(slow).toBeDefined();
      expect(slow).not.toHaveProperty("status");
      const emitted = entries.filter((e) => e.kind === "network" && e.entry.url.endsWith("/api/slow"));
      expect(emitted).toHaveLength(1);
      expect(emitted[0]?.entry).not.toHaveProperty("status");

      // Detached: nothing more arrives after stop.
      const count = entries.length;
      await cdp.send("Runtime.evaluate", { expression: "console.log('after stop')" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(entries.length).toBe(count);
    } finally {
      await close();
    }
  });

  it("screenshots what the tester sees when the page is scrolled", async () => {
    const { page, cdp, close } = await openPage(browser);
    try {
      const recording = await startRecording(cdp, {
        viewport: { width: 800, height: 600 },
        screenshotOnLoad: false,
      });
      await recording.navigate(`${server.origin}/tall`);
      expect(pngTopLeft((await recording.screenshot("top")).png)).toEqual([255, 0, 0]);
      await page.evaluate("scrollTo(0, 6000)");
      const shot = await recording.screenshot("scrolled");
      expect(pngIhdr(shot.png)).toEqual({ width: 800, height: 600 });
      expect(pngTopLeft(shot.png)).toEqual([0, 255, 0]);
      await recording.stop();
    } finally {
      await close();
    }
  });

  it("rejects navigate with the browser's error text", async () => {
    const { cdp, close } = await openPage(browser);
    try {
      const recording = await startRecording(cdp, { viewport: SCREEN_PRESETS.mobile });
      await expect(recording.navigate(`http://127.0.0.1:${server.closedPort}/`)).rejects.toThrow(
        /ERR_CONNECTION_REFUSED/,
      );
      await recording.stop();
      await expect(recording.navigate(`${server.origin}/fixture`)).rejects.toThrow(/stopped/);
    } finally {
      await close();
    }
  });

  it("returns the rest of the recording with no video when ffmpeg is missing or fails", async () => {
    for (const ffmpegPath of [path.join(workDir, "no-such-ffmpeg"), "/bin/false"]) {
      const { cdp, close } = await openPage(browser);
      try {
        const recording = await startRecording(cdp, {
          viewport: SCREEN_PRESETS.mobile,
          video: { path: path.join(workDir, "broken.webm"), ffmpegPath },
        });
        await recording.navigate(`${server.origin}/fixture`);
        await waitFor("the fixture's last message", () =>
          recording.snapshot().console.some((c) => c.message === "fixture fetches done"),
        );
        const result = await recording.stop();
        expect(result.video).toBeNull();
        expect(result.videoError).toMatch(ffmpegPath === "/bin/false" ? /exited with code 1/ : /not found/);
        expect(result.console.length).toBeGreaterThanOrEqual(FIXTURE_CONSOLE.length);
        expect(result.screenshots.length).toBeGreaterThanOrEqual(1);
      } finally {
        await close();
      }
    }
  });
});
