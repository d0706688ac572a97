import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadEnv } from "./env";
import { DEFAULT_PORTAL_DIR, portalRouter } from "./portal";

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

/** An app shaped like createApp's: API routes first (their own 404s), the portal last. */
async function serve(dir: string): Promise<{ base: string; close(): Promise<void> }> {
  const app = express();
  app.use("/api", (req, res) => {
    res.status(404).json({ error: "not_found", message: `no route ${req.path}` });
  });
  app.use("/trpc", (_req, res) => {
    res.status(404).json({ error: { message: "no procedure" } });
  });
  app.use(portalRouter({ dir }));
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

describe("portal serving with a build", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "eyeball-portal-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "index.html"), INDEX);
    writeFileSync(path.join(dir, "assets", "index-abc123.js"), "console.log('portal');");
    writeFileSync(path.join(dir, "assets", "big-abc123.js"), "console.log('a big bundle');\n".repeat(400));
    writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
    server = await serve(dir);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html at / without caching", async () => {
    const res = await fetch(`${server.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toBe(INDEX);
  });

  it("serves hashed assets for a year, immutable", async () => {
    const res = await fetch(`${server.base}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).toContain("portal");
  });

  it("compresses the files it serves for browsers that accept gzip", async () => {
    const res = await fetch(`${server.base}/assets/big-abc123.js`, {
      headers: { "accept-encoding": "gzip" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    // fetch decodes the body: what arrives is the file as written.
    expect(await res.text()).toBe("console.log('a big bundle');\n".repeat(400));
    const plain = await fetch(`${server.base}/assets/big-abc123.js`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.headers.get("content-encoding")).toBeNull();
  });

  it("answers a missing asset or file with 404, not the app", async () => {
    expect((await fetch(`${server.base}/assets/index-old999.js`)).status).toBe(404);
    expect((await fetch(`${server.base}/robots.txt`)).status).toBe(404);
  });

  it("serves other files of the build, revalidated", async () => {
    const res = await fetch(`${server.base}/favicon.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("falls back to index.html for the app's own paths (deep links, reloads)", async () => {
    for (const page of ["/jobs", "/jobs/job_123", "/invite/tok_abc", "/api-keys?x=1", "/anything/else"]) {
      const res = await fetch(`${server.base}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get("cache-control"), page).toBe("no-cache");
      expect(await res.text(), page).toBe(INDEX);
    }
  });

  it("leaves /api and /trpc alone, and POSTs to pages", async () => {
    const api = await fetch(`${server.base}/api/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: "not_found" });
    const trpc = await fetch(`${server.base}/trpc/nope`);
    expect(trpc.status).toBe(404);
    expect(await trpc.json()).toMatchObject({ error: { message: "no procedure" } });
    expect((await fetch(`${server.base}/jobs`, { method: "POST" })).status).toBe(404);
    // A path that only starts like an API prefix is the app's.
    expect(await (await fetch(`${server.base}/api-keys`)).text()).toBe(INDEX);
  });

  it("answers HEAD like GET", async () => {
    const res = await fetch(`${server.base}/jobs`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
  });
});

describe("portal serving without a build", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "eyeball-portal-missing-"));
    server = await serve(path.join(dir, "dist"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says at / that the portal is not built and how to build it", async () => {
    const res = await fetch(`${server.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("portal is not built");
    expect(html).toContain("pnpm --filter portal build");
  });

  it("answers other paths with 404", async () => {
    expect((await fetch(`${server.base}/jobs`)).status).toBe(404);
    expect((await fetch(`${server.base}/api/nope`)).status).toBe(404);
  });

  it("starts serving the build once it appears, without a restart", async () => {
    mkdirSync(path.join(dir, "dist"));
    writeFileSync(path.join(dir, "dist", "index.html"), INDEX);
    expect(await (await fetch(`${server.base}/jobs`)).text()).toBe(INDEX);
  });
});

describe("where the portal is", () => {
  it("defaults to apps/portal/dist beside the server package", () => {
    expect(DEFAULT_PORTAL_DIR).toBe(path.resolve(import.meta.dirname, "../../portal/dist"));
    expect(loadEnv({}, "/srv").portalDir).toBeUndefined();
  });

  it("EYEBALL_PORTAL_DIR overrides it, relative to where pnpm was run", () => {
    expect(loadEnv({ EYEBALL_PORTAL_DIR: "build/portal", INIT_CWD: "/repo" }, "/x").portalDir).toBe(
      path.resolve("/repo/build/portal"),
    );
    expect(loadEnv({ EYEBALL_PORTAL_DIR: "/abs/portal" }, "/x").portalDir).toBe(path.resolve("/abs/portal"));
  });
});
