// The sandbox tester's browser: visits a test-mode job's page in headless Chromium at the job's exact viewport.
import { existsSync } from "node:fs";

import { type Browser, chromium, type Page } from "playwright-core";

import { type ClickEntry, type ConsoleEntry, type NetworkEntry } from "../artifacts/timeline";
import { assertPublicWebhookUrl } from "../webhooks/url-guard";

export interface SandboxVisitInput {
  url: string;
  width: number;
  height: number;
}

/** One screenshot: a PNG of exactly width × height pixels and the moment it was asked for. */
export interface SandboxScreenshot {
  png: Buffer;
  takenAt: Date;
}

/** What one visit captured. */
export interface SandboxVisit {
  screenshots: SandboxScreenshot[];
  consoleMessages: ConsoleEntry[];
  networkRequests: NetworkEntry[];
  clicks: ClickEntry[];
  /** Set when the page could not be loaded (then there are no screenshots, and the console says why). */
  loadError: string | null;
}

export interface SandboxBrowser {
  visit(input: SandboxVisitInput): Promise<SandboxVisit>;
  close(): Promise<void>;
}

export interface ChromiumSandboxBrowserOptions {
  executablePath: string;
  /** "production" blocks every request (page and subresources) to private or loopback addresses. */
  mode: "development" | "production";
  /** Upper bound for loading the page and for the whole visit. */
  timeoutMs: number;
}

/** Debian's and the usual distributions' Chromium binaries, in order of preference. */
export const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
] as const;

/** The first Chromium binary present, or null. */
export function findChromium(candidates: readonly string[] = CHROMIUM_CANDIDATES): string | null {
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

/** Flags for a root user on a machine without a GPU or an open network (see PLATFORM.md). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * The element a person would try first — a button, else a link — with a CSS selector for it and
 * the centre of its box in page pixels. A string, not a function: the server runs under tsx, whose
 * helpers do not exist in the page (PLATFORM.md).
 */
const PICK_TARGET = `(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
    r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth; };
  const all = [...document.querySelectorAll('button, [role="button"], input[type="submit"], input[type="button"]')];
  const el = all.find(visible) ?? [...document.querySelectorAll('a[href]')].find(visible);
  if (!el) return null;
  const selectorOf = (node) => {
    if (node.id) return '#' + CSS.escape(node.id);
    const parts = [];
    for (let n = node; n && n.nodeType === 1 && n !== document.documentElement; n = n.parentElement) {
      if (n.id) { parts.unshift('#' + CSS.escape(n.id)); break; }
      const same = n.parentElement ? [...n.parentElement.children].filter((c) => c.tagName === n.tagName) : [];
      parts.unshift(n.tagName.toLowerCase() + (same.length > 1 ? ':nth-of-type(' + (same.indexOf(n) + 1) + ')' : ''));
    }
    return parts.join(' > ');
  };
  const r = el.getBoundingClientRect();
  return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2), element: selectorOf(el) };
})()`;

function now(): string {
  return new Date().toISOString();
}

async function allowed(url: string, mode: "development" | "production"): Promise<boolean> {
  if (!/^https?:/i.test(url)) return true; // data:, blob:, about: stay inside the browser
  try {
    await assertPublicWebhookUrl(url, mode);
    return true;
  } catch {
    return false;
  }
}

export function createChromiumSandboxBrowser(options: ChromiumSandboxBrowserOptions): SandboxBrowser {
  let launching: Promise<Browser> | null = null;

  function browser(): Promise<Browser> {
    launching ??= chromium
      .launch({ executablePath: options.executablePath, headless: true, args: CHROMIUM_ARGS })
      .then((launched) => {
        // A crashed browser is launched again on the next visit.
        launched.on("disconnected", () => {
          launching = null;
        });
        return launched;
      })
      .catch((error: unknown) => {
        launching = null;
        throw error;
      });
    return launching;
  }

  async function shoot(page: Page, visit: SandboxVisit): Promise<void> {
    // Stamped when asked for: the frame captured is the one on screen at that moment.
    const takenAt = new Date();
    visit.screenshots.push({ png: await page.screenshot({ type: "png" }), takenAt });
  }

  async function record(page: Page, input: SandboxVisitInput, visit: SandboxVisit): Promise<void> {
    try {
      await page.goto(input.url, { waitUntil: "load", timeout: options.timeoutMs });
    } catch (error) {
      const first = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
      // "page.goto: net::ERR_NAME_NOT_RESOLVED at …" → the browser's own words.
      visit.loadError = first.replace(/^page\.goto:\s*/, "");
    }
    if (visit.loadError !== null) {
      // Chromium's own error page cannot be captured; the timeline says what happened instead.
      visit.consoleMessages.push({
        type: "error",
        message: `The page could not be loaded: ${visit.loadError}`,
        timestamp: now(),
      });
      return;
    }
    await shoot(page, visit);
    const target = await page.evaluate<{ x: number; y: number; element: string } | null>(PICK_TARGET);
    if (!target) return;
    visit.clicks.push({ x: target.x, y: target.y, element: target.element, timestamp: now() });
    await page.mouse.click(target.x, target.y);
    await page
      .waitForLoadState("load", { timeout: Math.min(3_000, options.timeoutMs) })
      .catch(() => undefined);
    await shoot(page, visit);
  }

  return {
    async visit(input) {
      const context = await (
        await browser()
      ).newContext({
        viewport: { width: input.width, height: input.height },
        screen: { width: input.width, height: input.height },
        deviceScaleFactor: 1,
      });
      const visit: SandboxVisit = {
        screenshots: [],
        consoleMessages: [],
        networkRequests: [],
        clicks: [],
        loadError: null,
      };
      const started = new WeakMap<object, string>();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(options.timeoutMs);
        await page.route("**/*", async (route) => {
          if (await allowed(route.request().url(), options.mode)) await route.continue();
          else await route.abort("blockedbyclient");
        });
        page.on("console", (message) => {
          visit.consoleMessages.push({ type: message.type(), message: message.text(), timestamp: now() });
        });
        page.on("pageerror", (error) => {
          visit.consoleMessages.push({ type: "error", message: error.message, timestamp: now() });
        });
        page.on("request", (request) => {
          started.set(request, now());
        });
        page.on("response", (response) => {
          const request = response.request();
          visit.networkRequests.push({
            url: request.url(),
            method: request.method(),
            status: response.status(),
            timestamp: started.get(request) ?? now(),
          });
        });
        page.on("requestfailed", (request) => {
          visit.networkRequests.push({
            url: request.url(),
            method: request.method(),
            timestamp: started.get(request) ?? now(),
          });
        });
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`the sandbox visit took longer than ${options.timeoutMs * 2} ms`));
          }, options.timeoutMs * 2);
        });
        try {
          await Promise.race([record(page, input, visit), deadline]);
        } finally {
          clearTimeout(timer);
        }
        return visit;
      } finally {
        await context.close().catch(() => undefined);
      }
    },
    async close() {
      const pending = launching;
      launching = null;
      if (pending) await (await pending.catch(() => null))?.close();
    },
  };
}
