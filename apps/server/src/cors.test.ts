import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { corsMiddleware } from "./cors";
import { type CorsOrigins } from "./env";

const servers: Server[] = [];

async function serve(origins: CorsOrigins): Promise<string> {
  const app = express();
  app.use("/trpc", corsMiddleware(origins));
  app.all("/trpc/ping", (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const preflight = (base: string, origin: string) =>
  fetch(`${base}/trpc/ping`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("corsMiddleware", () => {
  let list: string;
  let any: string;
  beforeAll(async () => {
    list = await serve(["null", "http://localhost:5173"]);
    any = await serve("*");
  });

  it("answers a preflight from an allowed origin with 204 and echoes the origin", async () => {
    for (const origin of ["null", "http://localhost:5173"]) {
      const res = await preflight(list, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
      expect(res.headers.get("access-control-allow-headers")).toBe(
        "authorization, content-type, trpc-accept, last-event-id",
      );
      expect(res.headers.get("access-control-max-age")).toBe("600");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(res.headers.get("vary")).toMatch(/Origin/);
    }
  });

  it("refuses a preflight from an origin not on the list (403, no CORS headers)", async () => {
    const res = await preflight(list, "https://evil.example");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("marks actual responses for allowed origins only; requests without Origin are untouched", async () => {
    const allowed = await fetch(`${list}/trpc/ping`, { headers: { origin: "http://localhost:5173" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("access-control-allow-methods")).toBeNull(); // only on preflights

    const denied = await fetch(`${list}/trpc/ping`, { headers: { origin: "http://localhost:5174" } });
    expect(denied.status).toBe(200); // the request runs; the browser hides the answer
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();

    const plain = await fetch(`${list}/trpc/ping`);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });

  it('"*" allows every origin, including null, with a wildcard and never credentials', async () => {
    const res = await preflight(any, "null");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const get = await fetch(`${any}/trpc/ping`, { headers: { origin: "http://anything.example:8080" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("*");
    expect(get.headers.get("vary")).toBeNull();
  });

  it("leaves OPTIONS that is not a preflight to the routes", async () => {
    const res = await fetch(`${list}/trpc/ping`, { method: "OPTIONS", headers: { origin: "null" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("null");
  });
});
