// The renderer as a web page: its production build served on loopback, opened in Chromium with the bridge provided by the test over the real host.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import react from "@vitejs/plugin-react";
import { type Browser, type Page } from "playwright-core";
import { build } from "vite";

import { launchBrowser } from "@eyeball/recorder/testing";

import { BRIDGE_METHODS, type StoredSession } from "../src/shared/bridge";
import { createTesterHost, type HostDeps, type TesterHost, type TestPage } from "../src/main/host";
import { dispatchBridgeCall } from "../src/main/ipc";

const appDir = path.resolve(import.meta.dirname, "..");

/** Builds the renderer exactly as the app ships it (vite production build) into a temporary folder. */
export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), "eyeball-renderer-"));
  await build({
    root: path.join(appDir, "src/renderer"),
    base: "./",
    plugins: [react()],
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = path.join(dir, pathname === "/" ? "index.html" : pathname);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res
        .writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface AppUnderTest {
  browser: Browser;
  /** The app window. */
  page: Page;
  host: TesterHost;
  /** Test windows the host opened, newest last. */
  testPages: Page[];
  notifications: { title: string; body: string }[];
  spoolDir: string;
  screenshotDir: string;
  shoot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens the app: a Chromium page for the app window with `window.eyeball` backed by the real host
 * (recorder, spool, uploads), whose test windows are further Chromium pages driven over CDP.
 */
export async function openApp(options: {
  rendererUrl: string;
  screenshotDir: string;
  viewport?: { width: number; height: number };
  display?: { width: number; height: number };
  host?: Partial<HostDeps>;
}): Promise<AppUnderTest> {
  const browser = await launchBrowser();
  const spoolDir = mkdtempSync(path.join(tmpdir(), "eyeball-spool-"));
  mkdirSync(options.screenshotDir, { recursive: true });
  const testPages: Page[] = [];
  const notifications: { title: string; body: string }[] = [];
  let stored: StoredSession | null = null;

  const host = createTesterHost({
    spoolDir,
    sessions: {
      load: () => Promise.resolve(stored),
      save: (session) => {
        stored = session;
        return Promise.resolve();
      },
      clear: () => {
        stored = null;
        return Promise.resolve();
      },
    },
    async openTestPage(): Promise<TestPage> {
      // Like the Electron test window: its own browser context (no shared cookies), no preload.
      const context = await browser.newContext({ viewport: null });
      const page = await context.newPage();
      testPages.push(page);
      const cdp = await context.newCDPSession(page);
      return {
        cdp,
        onClosed(listener) {
          page.once("close", listener);
        },
        async close() {
          await context.close();
        },
      };
    },
    displaySize: () => options.display ?? { width: 1280, height: 800 },
    notify(title, body) {
      notifications.push({ title, body });
    },
    appVersion: "0.0.0-test",
    platform: process.platform,
    uploadRetry: { retries: 2, minTimeoutMs: 50, maxTimeoutMs: 200 },
    ...options.host,
  });
  await host.start();

  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  const page = await context.newPage();
  for (const method of BRIDGE_METHODS) {
    await page.exposeFunction(`__eyeball_${method}`, (...args: unknown[]) =>
      dispatchBridgeCall(host, method, args),
    );
  }
  await page.addInitScript(`
    window.eyeball = Object.fromEntries(${JSON.stringify(BRIDGE_METHODS)}.map((m) => [m, (...args) => window["__eyeball_" + m](...args)]));
  `);
  await page.goto(options.rendererUrl);

  return {
    browser,
    page,
    host,
    testPages,
    notifications,
    spoolDir,
    screenshotDir: options.screenshotDir,
    async shoot(name) {
      const file = path.join(options.screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${file}`);
      return file;
    },
    async close() {
      await host.close();
      await browser.close();
      rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}
