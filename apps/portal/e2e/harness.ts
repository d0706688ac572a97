// An Eyeball server in-process (embedded database, sandbox tester on) serving a fresh production build of the portal, and Chromium to drive it.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";

import { launchBrowser } from "@eyeball/recorder/testing";
import { composePlatform, createApp, loadEnv, type Platform, seedOnStart } from "@eyeball/server";

const portalDir = path.resolve(import.meta.dirname, "..");
export const screenshotDir = path.join(portalDir, "test-results/screens");

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 375, height: 667 };

/** Builds the portal exactly as it ships (vite production build) into a temporary folder. */
export async function buildPortal(): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), "eyeball-portal-"));
  // Vitest runs with NODE_ENV=test, which would give React's development build (and JSX runtime);
  // the portal ships the production one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: path.join(portalDir, "vite.config.ts"),
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export interface PortalPlatform {
  /** The server's origin; the portal, /api and /trpc all live here (same origin). */
  url: string;
  platform: Platform;
  /** A REST call with an API key. */
  rest(
    method: string,
    pathname: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export interface PortalPlatformOptions {
  /**
   * A Chromium binary for the sandbox tester, which then visits each job's URL and records screenshots, console,
   * network and clicks (development mode: loopback fixture sites are allowed). Default: no browser, no visit.
   */
  sandboxBrowser?: string;
  /** How long the sandbox tester works on a claimed slot before submitting. Default 1200 ms. */
  sandboxWorkMs?: number;
  /** More server environment (e.g. STRIPE_* pointing at a loopback stand-in). */
  env?: Record<string, string>;
}

export async function startPortalPlatform(
  portal: string,
  options: PortalPlatformOptions = {},
): Promise<PortalPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-portal-e2e-"));
  const env = loadEnv({
    EYEBALL_DATA_DIR: dataDir,
    EYEBALL_SANDBOX: "on",
    // The simulated tester claims at once and works briefly; no page visit keeps the test quick.
    EYEBALL_SANDBOX_CLAIM_DELAY_MS: "0",
    EYEBALL_SANDBOX_WORK_MS: String(options.sandboxWorkMs ?? 1200),
    EYEBALL_SANDBOX_BROWSER: options.sandboxBrowser ?? "off",
    EYEBALL_SEED_DEMO: "off",
    EYEBALL_RATE_LIMIT: "100000",
    ...options.env,
  });
  const platform = await composePlatform(env);
  await seedOnStart(platform);
  await platform.start();
  await platform.startWorkers();

  const app = createApp(platform.services, { rest: platform.rest, portal: { dir: portal } });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  platform.config.publicUrl = url;

  return {
    url,
    platform,
    async rest(method, pathname, key, body) {
      const response = await fetch(`${url}${pathname}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Portal {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves `<name>-desktop.png` (1280×800) and `<name>-mobile.png` (375×667), full page; logs and returns the paths. */
  shoot(name: string): Promise<string[]>;
  /** Another signed-out visitor (own cookies) on the same browser. */
  newVisitor(): Promise<Page>;
  close(): Promise<void>;
}

export async function shoot(page: Page, name: string): Promise<string[]> {
  mkdirSync(screenshotDir, { recursive: true });
  const files: string[] = [];
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["mobile", MOBILE],
  ] as const) {
    await page.setViewportSize(size);
    // Let layout settle at the new width (two frames) before capturing.
    await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
    const file = path.join(screenshotDir, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
    console.log(`screenshot: ${file}`);
    files.push(file);
  }
  await page.setViewportSize(original);
  return files;
}

export async function openPortal(url: string): Promise<Portal> {
  const browser = await launchBrowser();
  const open = async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, baseURL: url });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
    // Fail fast and say where: nothing in the portal should take this long.
    context.setDefaultTimeout(15_000);
    return context;
  };
  const context = await open();
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    shoot: (name) => shoot(page, name),
    async newVisitor() {
      return (await open()).newPage();
    },
    async close() {
      await browser.close();
    },
  };
}

export interface NewOwner {
  name: string;
  email: string;
  password: string;
  org: string;
}

/** Fills the sign-up form (the page must be on /sign-up) and submits it. */
export async function signUp(page: Page, who: NewOwner): Promise<void> {
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Work email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByLabel("Organisation name").fill(who.org);
  await page.getByRole("button", { name: "Create account" }).click();
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) on the page as it is now and fails naming every violation: the rule, its
 * impact and the elements. Call it on each main screen once its content has loaded.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const problems = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? "?"}): ${violation.help} — ${violation.nodes
        .slice(0, 5)
        .map(
          (node) =>
            `${node.target.join(" ")}${node.failureSummary ? ` [${node.failureSummary.replace(/\s+/g, " ")}]` : ""}`,
        )
        .join(", ")}`,
  );
  if (problems.length > 0) throw new Error(`${screen}: accessibility violations\n${problems.join("\n")}`);
}
