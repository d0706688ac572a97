// Shared by the browser tests and the benchmark: Chromium, a loopback fixture server, ffprobe and PNG helpers.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

import { type CdpTransport } from "../src/index";
import { FIXTURE_ROUTES } from "./fixtures";

const run = promisify(execFile);

const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
];
export const CHROMIUM =
  process.env.EYEBALL_CHROMIUM ?? CHROMIUM_CANDIDATES.find((c) => existsSync(c)) ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  cdp: CdpTransport;
  close: () => Promise<void>;
}

/** A fresh context and page with no Playwright viewport (the recorder sets it) and a CDP session on it. */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: null });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return {
    context,
    page,
    cdp,
    close: () => context.close(),
  };
}

export interface FixtureServer {
  origin: string;
  /** A loopback port nothing listens on, for failing requests. */
  closedPort: number;
  /** Requests the server has seen, by path. */
  hits: string[];
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const closedPort = await freePort();
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(url.pathname);
    const route = FIXTURE_ROUTES[url.pathname];
    if (url.pathname === "/api/slow") return; // Never answers: stays in flight until the server closes.
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const body =
      typeof route.body === "function" ? route.body({ closedPort, query: url.searchParams }) : route.body;
    res.writeHead(route.status ?? 200, { "content-type": route.type, "cache-control": "no-store" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    closedPort,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface ProbedVideo {
  width: number;
  height: number;
  durationMs: number;
  frames: number;
}

export async function ffprobe(path: string): Promise<ProbedVideo> {
  const { stdout } = await run("ffprobe", [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-count_frames",
    "-show_entries",
    "stream=width,height,nb_read_frames:format=duration",
    "-of",
    "json",
    path,
  ]);
  const json = JSON.parse(stdout) as {
    streams: { width: number; height: number; nb_read_frames: string }[];
    format: { duration: string };
  };
  const stream = json.streams[0];
  if (!stream) throw new Error(`ffprobe found no video stream in ${path}`);
  return {
    width: stream.width,
    height: stream.height,
    durationMs: Math.round(Number(json.format.duration) * 1000),
    frames: Number(stream.nb_read_frames),
  };
}

export function pngIhdr(png: Buffer): { width: number; height: number } {
  if (png.toString("latin1", 1, 4) !== "PNG" || png.toString("latin1", 12, 16) !== "IHDR")
    throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** RGB of the top-left pixel: the first pixel of the first row is stored unfiltered whatever the filter type. */
export function pngTopLeft(png: Buffer): [number, number, number] {
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return [raw[1] ?? -1, raw[2] ?? -1, raw[3] ?? -1];
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
