// Benchmark: the portal's bundle (vite build output, raw and gzip) and a Lighthouse-style first load in Chromium:
// cold cache, Lighthouse's mobile throttling (150 ms latency, 1.6 Mbit/s down, 4× CPU slowdown), FCP, LCP, total
// blocking time and bytes transferred, for a new visitor's sign-in page and a signed-in owner's jobs list. Figures
// are medians over BENCH_LOADS runs and are reported as ratios against a baseline page (one small HTML document)
// loaded the same way in the same run.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { type Browser, type BrowserContext, type Page } from "playwright-core";

import { launchBrowser } from "@eyeball/recorder/testing";

import { buildPortal, signUp, startPortalPlatform } from "../e2e/harness";

const LOADS = Number(process.env.BENCH_LOADS ?? 7);
/** Lighthouse's default mobile profile ("slow 4G" with a mid-range phone's CPU). */
const THROTTLING = {
  latency: 150,
  downloadThroughput: (1638.4 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
  cpuSlowdown: 4,
};

interface LoadFigures {
  fcp: number;
  lcp: number;
  domContentLoaded: number;
  load: number;
  tbt: number;
  transferBytes: number;
  requests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Observers registered before any page script runs; the figures are read once the page is ready. */
const OBSERVE = `
  window.__firstLoad = { lcp: 0, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__firstLoad.lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__firstLoad.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
`;

async function readFigures(page: Page): Promise<LoadFigures> {
  return page.evaluate(() => {
    const state = (window as unknown as { __firstLoad: { lcp: number; longTasks: [number, number][] } })
      .__firstLoad;
    const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    // Total blocking time as Lighthouse counts it: each long task's time past 50 ms, after first paint.
    const tbt = state.longTasks
      .filter(([start]) => start >= fcp)
      .reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
    return {
      fcp,
      lcp: state.lcp || fcp,
      domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
      load: nav?.loadEventEnd ?? 0,
      tbt,
      transferBytes: (nav?.transferSize ?? 0) + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
      requests: 1 + resources.length,
    };
  });
}

/** One cold load: a fresh context (empty cache), throttled, until `ready` holds and the load event has fired. */
async function coldLoad(
  browser: Browser,
  url: string,
  ready: (page: Page) => Promise<unknown>,
  storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>,
): Promise<LoadFigures> {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, storageState });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVE);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: THROTTLING.latency,
      downloadThroughput: THROTTLING.downloadThroughput,
      uploadThroughput: THROTTLING.uploadThroughput,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLING.cpuSlowdown });
    await page.goto(url, { waitUntil: "load" });
    await ready(page);
    // Let the largest paint of the ready content be recorded (two frames).
    await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
    return await readFigures(page);
  } finally {
    await context.close();
  }
}

function bundleFigures(dir: string): { files: { name: string; raw: number; gzip: number }[] } {
  const files: { name: string; raw: number; gzip: number }[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(js|css|html)$/.test(name)) {
        const content = readFileSync(file);
        files.push({ name: path.relative(dir, file), raw: content.length, gzip: gzipSync(content).length });
      }
    }
  };
  walk(dir);
  return { files: files.sort((a, b) => b.raw - a.raw) };
}

/** The JS and CSS the first page pulls in: index.html's own script, modulepreload and stylesheet links. */
function entryAssets(dir: string): string[] {
  const html = readFileSync(path.join(dir, "index.html"), "utf8");
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? "");
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const portalDir = await buildPortal();
  const server = await startPortalPlatform(portalDir);
  const baseline = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      "<!doctype html><html lang=en><title>Baseline</title><h1>Sign in to Eyeball</h1><p>Baseline page.</p>",
    );
  });
  await new Promise<void>((resolve) => baseline.listen(0, "127.0.0.1", resolve));
  const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
  const browser = await launchBrowser();
  try {
    const { files } = bundleFigures(portalDir);
    const entry = new Set(entryAssets(portalDir));
    const first = files.filter((file) => entry.has(file.name));
    console.log("Bundle (vite build):");
    for (const file of files) {
      console.log(
        `  ${file.name.padEnd(44)} ${kb(file.raw).padStart(10)} ${kb(file.gzip).padStart(10)} gzip${entry.has(file.name) ? "  (first load)" : ""}`,
      );
    }
    const sum = (list: typeof files, key: "raw" | "gzip") =>
      list.reduce((total, file) => total + file[key], 0);
    console.log(
      `  first load: ${kb(sum(first, "raw"))} (${kb(sum(first, "gzip"))} gzip) of ${kb(sum(files, "raw"))} (${kb(sum(files, "gzip"))} gzip) in all`,
    );

    // A signed-in owner for the jobs list: sign up once, keep the cookies.
    const setup = await browser.newContext({ baseURL: server.url });
    const page = await setup.newPage();
    await page.goto("/sign-up");
    await signUp(page, {
      name: "Bench Owner",
      email: "bench@acme.test",
      password: "bench password 1",
      org: "Bench",
    });
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    const signedIn = await setup.storageState();
    await setup.close();

    const scenarios = [
      {
        name: "baseline page",
        url: baselineUrl,
        ready: (p: Page) => p.getByRole("heading").first().waitFor(),
      },
      {
        name: "sign-in (new visitor)",
        url: `${server.url}/sign-in`,
        ready: (p: Page) => p.getByRole("button", { name: "Sign in" }).waitFor(),
      },
      {
        name: "jobs list (signed in)",
        url: `${server.url}/jobs`,
        ready: (p: Page) => p.getByRole("heading", { name: "Jobs" }).waitFor(),
        storageState: signedIn,
      },
    ];
    const runs = new Map<string, LoadFigures[]>(scenarios.map((s) => [s.name, []]));
    // Interleaved, so drift on the machine touches every scenario alike.
    for (let i = 0; i < LOADS; i++) {
      for (const scenario of scenarios) {
        runs
          .get(scenario.name)
          ?.push(await coldLoad(browser, scenario.url, scenario.ready, scenario.storageState));
      }
    }
    const medians = new Map(
      [...runs].map(([name, list]) => [
        name,
        Object.fromEntries(
          (Object.keys(list[0] ?? {}) as (keyof LoadFigures)[]).map((key) => [
            key,
            median(list.map((r) => r[key])),
          ]),
        ) as unknown as LoadFigures,
      ]),
    );
    const base = medians.get("baseline page");
    console.log(
      `\nFirst load, cold cache, ${THROTTLING.latency} ms latency, 1.6 Mbit/s, ${THROTTLING.cpuSlowdown}× CPU slowdown (median of ${LOADS}):`,
    );
    for (const [name, figures] of medians) {
      const ratio =
        base && name !== "baseline page" ? ` (${(figures.lcp / base.lcp).toFixed(2)}× baseline LCP)` : "";
      console.log(
        `  ${name.padEnd(24)} FCP ${ms(figures.fcp).padStart(8)}  LCP ${ms(figures.lcp).padStart(8)}  DCL ${ms(figures.domContentLoaded).padStart(8)}  load ${ms(figures.load).padStart(8)}  TBT ${ms(figures.tbt).padStart(6)}  ${kb(figures.transferBytes).padStart(9)} in ${figures.requests} requests${ratio}`,
      );
    }
  } finally {
    await browser.close();
    baseline.close();
    await server.close();
    rmSync(portalDir, { recursive: true, force: true });
  }
}

await main();
