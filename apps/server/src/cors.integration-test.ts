// CORS on the real app: the Electron renderer (Origin: null) and a dev server call /trpc, SSE included; /api stays same-origin.
import { mkdtempSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { createApp } from "./app";
import { composePlatform, type Platform } from "./compose";
import { loadEnv } from "./env";

const DEV = "http://localhost:5173";

describeEachEngine("CORS on /trpc", (getDb) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-cors-"));
  let platform: Platform;
  let server: Server;
  let base: string;
  let token: string;

  beforeAll(async () => {
    const env = loadEnv({
      EYEBALL_DATA_DIR: dataDir,
      EYEBALL_SANDBOX: "off",
      EYEBALL_SECRET_KEY: "ab".repeat(32),
      EYEBALL_CORS_ORIGINS: `null,${DEV}`,
    });
    platform = await composePlatform(env, { database: getDb() });
    await platform.events.start(); // subscriptions wait on job events
    const { services } = platform;
    const user = await services.db.user.create({
      data: {
        email: "cors-tester@example.test",
        name: "Tester",
        testerProfile: { create: { alias: "Cors" } },
      },
    });
    await services.testerAuth.setPassword(user.id, "correct horse battery");
    token = (await services.testerAuth.signIn("cors-tester@example.test", "correct horse battery")).token;
    server = createApp(services, { rest: platform.rest, corsOrigins: env.corsOrigins }).listen(
      0,
      "127.0.0.1",
    );
    await new Promise<void>((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    // The database belongs to describeEachEngine; stop only what this test started.
    await platform.events.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers the renderer's preflight and marks the batched POST it allows", async () => {
    const pre = await fetch(`${base}/trpc/tester.me`, {
      method: "OPTIONS",
      headers: {
        origin: "null",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("null");
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();

    const me = await fetch(`${base}/trpc/tester.me`, {
      headers: { origin: "null", authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get("access-control-allow-origin")).toBe("null");
    expect(await me.json()).toMatchObject({ result: { data: { alias: "Cors" } } });

    const signIn = await fetch(`${base}/trpc/tester.signIn?batch=1`, {
      method: "POST",
      headers: { origin: DEV, "content-type": "application/json" },
      body: JSON.stringify({ 0: { email: "cors-tester@example.test", password: "wrong" } }),
    });
    expect(signIn.status).toBe(401); // errors carry the header too, so the app can read them
    expect(signIn.headers.get("access-control-allow-origin")).toBe(DEV);
  });

  it("streams an SSE subscription over GET to an allowed origin", async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/trpc/tester.feedUpdates`, {
      headers: { origin: DEV, authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: abort.signal,
    });
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(res.headers.get("access-control-allow-origin")).toBe(DEV);
      const first = (await res.body?.getReader().read())?.value as Uint8Array | undefined;
      expect(new TextDecoder().decode(first)).toMatch(/connected/);
    } finally {
      abort.abort();
    }
  });

  it("refuses other origins' preflights and leaves /api without CORS headers", async () => {
    const pre = await fetch(`${base}/trpc/tester.me`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const other = await fetch(`${base}/trpc/health.check`, { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    const api = await fetch(`${base}/api/health`, { headers: { origin: DEV } });
    expect(api.status).toBe(200);
    expect(api.headers.get("access-control-allow-origin")).toBeNull();
  });
});
