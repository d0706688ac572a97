// The sandbox browser in real Chromium against a local fixture site: exact viewports, console, network, a click.
import { createServer, type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { imageSize } from "../artifacts/image-size";
import { createChromiumSandboxBrowser, findChromium, type SandboxBrowser } from "./sandbox-browser";
import { type FixtureSite, startFixtureSite } from "./testing/fixture-site";

const chromium = findChromium();

describe("sandbox browser (headless Chromium)", () => {
  let site: FixtureSite;
  let browser: SandboxBrowser;
  beforeAll(async () => {
    if (chromium === null) {
      throw new Error(
        "Chromium is not installed: run scripts/ensure-chromium.sh (Debian's chromium package)",
      );
    }
    site = await startFixtureSite();
    browser = createChromiumSandboxBrowser({
      executablePath: chromium,
      mode: "development",
      timeoutMs: 10_000,
    });
  });
  afterAll(async () => {
    await browser.close();
    await site.close();
  });

  it.each([
    ["desktop", 1920, 1080],
    ["mobile", 375, 667],
    ["custom", 1000, 700],
  ])(
    "visits at the %s viewport exactly and records console, network and a click",
    async (_name, width, height) => {
      const visit = await browser.visit({ url: site.url, width, height });
      expect(visit.loadError).toBeNull();
      // Screenshots after load and after the click, each exactly the viewport.
      expect(visit.screenshots).toHaveLength(2);
      for (const shot of visit.screenshots) {
        expect(imageSize(shot.png)).toEqual({ width, height });
        expect(shot.takenAt).toBeInstanceOf(Date);
      }
      // Each stamped with its own moment: the second is taken after the click.
      const [click] = visit.clicks;
      expect(visit.screenshots[1]?.takenAt.getTime()).toBeGreaterThanOrEqual(
        Date.parse(click?.timestamp ?? ""),
      );
      const messages = visit.consoleMessages.map((entry) => `${entry.type}: ${entry.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          `log: fixture loaded ${width}x${height}`,
          "warning: low stock",
          `log: clicked at ${width}x${height}`,
        ]),
      );
      const requests = visit.networkRequests.map(
        (entry) => `${entry.method} ${new URL(entry.url).pathname} ${entry.status}`,
      );
      expect(requests).toEqual(expect.arrayContaining(["GET /shop 200", "GET /api/ping 200"]));
      // The button sits at (40, 60) with a 120 × 40 box: its centre, in page pixels.
      expect(visit.clicks).toEqual([
        { x: 100, y: 80, element: "#go", timestamp: expect.any(String) as string },
      ]);
      const times = [...visit.consoleMessages, ...visit.networkRequests, ...visit.clicks].map((entry) =>
        Date.parse(entry.timestamp),
      );
      for (const time of times) expect(Math.abs(Date.now() - time)).toBeLessThan(60_000);
    },
  );

  it("in production mode never reaches a loopback or private address", async () => {
    const production = createChromiumSandboxBrowser({
      executablePath: chromium ?? "",
      mode: "production",
      timeoutMs: 10_000,
    });
    try {
      const before = site.requests.length;
      const visit = await production.visit({ url: site.url, width: 800, height: 600 });
      expect(visit.loadError).toMatch(/ERR_BLOCKED_BY_CLIENT/);
      expect(site.requests.length).toBe(before);
      expect(visit.screenshots).toEqual([]);
      expect(visit.clicks).toEqual([]);
    } finally {
      await production.close();
    }
  });

  it("records a page that cannot be loaded as a load error in the console timeline", async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => probe.once("listening", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const visit = await browser.visit({ url: `http://127.0.0.1:${port}/`, width: 768, height: 1024 });
    expect(visit.loadError).toMatch(/ERR_CONNECTION_REFUSED/);
    expect(visit.screenshots).toEqual([]);
    expect(visit.consoleMessages).toEqual([
      expect.objectContaining({
        type: "error",
        message: expect.stringMatching(/^The page could not be loaded: .*ERR_CONNECTION_REFUSED/) as string,
      }),
    ]);
  });
});
