import { randomBytes } from "node:crypto";
import { type AddressInfo } from "node:net";
import { type Server } from "node:http";

import express from "express";
import { z } from "zod";
import { afterAll, beforeAll, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { type AppServices, createAccessServices } from "../app-services";
import { ManualClock } from "../clock";
import { apiConfig } from "../config";
import { actorOf } from "./auth";
import { type RestLogger } from "./errors";
import { parseBody, reply, route } from "./route";
import { createRestRouter, type RestRouterOptions } from "./router";
import { type RestRouteModule } from "./toolkit";

let calls = 0;
/** A create endpoint as a dialect would add it: validated body, idempotent, 201. */
const widgetRoutes: RestRouteModule = (router, toolkit) => {
  router.post(
    "/widgets",
    ...toolkit.authenticated,
    toolkit.idempotent("widgets.create"),
    route((req, res) => {
      const body = parseBody(
        z.strictObject({ name: z.string({ error: "is required" }).min(1, { error: "must not be empty" }) }),
        req,
      );
      calls += 1;
      return reply(201, { id: `wid_${calls}`, name: body.name, orgId: actorOf(res).orgId, micros: 1800n });
    }),
  );
  router.post(
    "/slow",
    ...toolkit.authenticated,
    toolkit.idempotent("slow.create"),
    route(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return reply(201, { ok: true });
    }),
  );
  router.get(
    "/boom",
    ...toolkit.authenticated,
    route(() => {
      throw new Error("secret internals");
    }),
  );
  router.get(
    "/paid",
    ...toolkit.authenticated,
    route(() => {
      throw new DomainError("INSUFFICIENT_CREDIT", "Not enough credit");
    }),
  );
};

describeEachEngine(
  "REST adapter",
  (getDb) => {
    let services: AppServices;
    const clock = new ManualClock(Date.now());
    const servers: Server[] = [];
    const logged: unknown[] = [];
    const logger: RestLogger = { error: (_message, error) => logged.push(error) };
    let base: string;
    let limitedBase: string;
    let key: string;
    let orgId: string;

    async function start(options: RestRouterOptions): Promise<string> {
      const app = express();
      app.use("/api", createRestRouter(services, { logger, routes: [widgetRoutes], ...options }));
      const server = app.listen(0, "127.0.0.1");
      await new Promise<void>((resolve) => server.once("listening", resolve));
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    }

    const auth = (k = key) => ({ authorization: `Bearer ${k}` });
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth(), ...headers },
        body,
      });

    beforeAll(async () => {
      const db = getDb().prisma;
      services = { db, clock, config: apiConfig(), ...createAccessServices({ db, clock }) };
      await services.catalogs.seedDefaults();
      const org = await services.orgs.create({ slug: `rest-${randomBytes(3).toString("hex")}` });
      orgId = org.id;
      key = (await services.apiKeys.create(orgId, { name: "rest", mode: "test" })).key;
      base = await start({ bodyLimit: "1kb", rateLimit: { limit: 1000 } });
      limitedBase = await start({ rateLimit: { limit: 3, windowMs: 60_000 } });
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });

    it("GET /api/health answers ok without a key", async () => {
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });

    it("answers 401 with the error shape for missing, malformed, unknown and revoked keys", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{}, /Missing API key/],
        [{ authorization: "Bearer nope" }, /Malformed API key/],
        [{ authorization: `Bearer eb_live_${"A".repeat(32)}` }, /Unknown API key/],
      ];
      const revoked = await services.apiKeys.create(orgId, { name: "old", mode: "live" });
      await services.apiKeys.revoke(orgId, revoked.apiKey.id);
      cases.push([auth(revoked.key), /revoked/]);
      for (const [headers, message] of cases) {
        const res = await fetch(`${base}/categories`, { headers });
        expect(res.status).toBe(401);
        const body = (await res.json()) as { error: string; message: string };
        expect(body.error).toBe("unauthorized");
        expect(body.message).toMatch(message);
      }
    });

    it("lists catalogs with {data, next} paging and validates the query", async () => {
      const first = await fetch(`${base}/categories?limit=5`, { headers: auth() });
      expect(first.status).toBe(200);
      const page = (await first.json()) as { data: { slug: string }[]; next: string | null };
      expect(page.data).toHaveLength(5);
      expect(typeof page.next).toBe("string");
      const second = (await (
        await fetch(`${base}/categories?limit=5&cursor=${page.next}`, { headers: auth() })
      ).json()) as {
        data: { slug: string }[];
      };
      expect(second.data.map((c) => c.slug)).not.toContain(page.data[0]?.slug);
      for (const kind of ["filters", "interests", "equipment"]) {
        const res = await fetch(`${base}/${kind}`, { headers: auth() });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
      }
      const bad = await fetch(`${base}/categories?limit=abc`, { headers: auth() });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: "validation_error",
        message: expect.stringMatching(/^limit: /) as unknown,
      });
    });

    it("answers JSON 404 for unknown routes", async () => {
      const res = await fetch(`${base}/nope`, { headers: auth() });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "not_found", message: "No such endpoint: GET /api/nope" });
    });

    it("answers 400 invalid_json, 413 over the body limit, and 400 naming a bad field", async () => {
      const invalid = await post(`${base}/widgets`, "{not json");
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: string }).error).toBe("invalid_json");

      const large = await post(`${base}/widgets`, JSON.stringify({ name: "x".repeat(2000) }));
      expect(large.status).toBe(413);
      expect(((await large.json()) as { error: string }).error).toBe("payload_too_large");

      const missing = await post(`${base}/widgets`, JSON.stringify({}));
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual({ error: "validation_error", message: "name: is required" });
    });

    it("maps domain errors by the table and hides unexpected ones behind 500", async () => {
      const paid = await fetch(`${base}/paid`, { headers: auth() });
      expect(paid.status).toBe(402);
      expect(await paid.json()).toEqual({ error: "insufficient_credit", message: "Not enough credit" });

      const boom = await fetch(`${base}/boom`, { headers: auth() });
      expect(boom.status).toBe(500);
      const body = await boom.text();
      expect(JSON.parse(body)).toMatchObject({ error: "internal_error" });
      expect(body).not.toContain("secret internals");
      expect(logged.some((e) => e instanceof Error && e.message === "secret internals")).toBe(true);
    });

    it("creates and serialises bigints at the edge", async () => {
      const res = await post(`${base}/widgets`, JSON.stringify({ name: "a" }));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ name: "a", orgId, micros: 1800 });
    });

    it("replays an idempotent create and refuses the key for a different body", async () => {
      const idem = { "idempotency-key": `k-${randomBytes(4).toString("hex")}` };
      const before = calls;
      const first = await post(`${base}/widgets`, JSON.stringify({ name: "same", extra: undefined }), idem);
      expect(first.status).toBe(201);
      const firstBody: unknown = await first.json();
      const again = await post(`${base}/widgets`, JSON.stringify({ name: "same" }), idem);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(firstBody);
      expect(calls).toBe(before + 1);

      const conflict = await post(`${base}/widgets`, JSON.stringify({ name: "different" }), idem);
      expect(conflict.status).toBe(409);
      expect(((await conflict.json()) as { error: string }).error).toBe("idempotency_conflict");

      // Another organisation's key is its own namespace.
      const other = await services.orgs.create({ slug: `oth-${randomBytes(3).toString("hex")}` });
      const otherKey = (await services.apiKeys.create(other.id, { name: "o", mode: "test" })).key;
      const theirs = await post(`${base}/widgets`, JSON.stringify({ name: "different" }), {
        ...idem,
        ...auth(otherKey),
      });
      expect(theirs.status).toBe(201);
    });

    it("frees the key when the request failed, and expires keys after 24 h", async () => {
      const idem = { "idempotency-key": `f-${randomBytes(4).toString("hex")}` };
      const failed = await post(`${base}/widgets`, JSON.stringify({ name: "" }), idem);
      expect(failed.status).toBe(400);
      const fixed = await post(`${base}/widgets`, JSON.stringify({ name: "fixed" }), idem);
      expect(fixed.status).toBe(201);

      clock.advance(24 * 60 * 60 * 1000 + 1);
      const reused = await post(`${base}/widgets`, JSON.stringify({ name: "new day" }), idem);
      expect(reused.status).toBe(201);
      expect(reused.headers.get("idempotent-replayed")).toBeNull();
    });

    it("answers 409 to a duplicate while the first is in flight", async () => {
      const idem = { "idempotency-key": `s-${randomBytes(4).toString("hex")}` };
      const first = post(`${base}/slow`, "{}", idem);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await post(`${base}/slow`, "{}", idem);
      expect(second.status).toBe(409);
      expect(await second.json()).toMatchObject({
        error: "idempotency_conflict",
        message: expect.stringMatching(/in progress/) as unknown,
      });
      expect((await first).status).toBe(201);
      const third = await post(`${base}/slow`, "{}", idem);
      expect(third.status).toBe(201);
      expect(third.headers.get("idempotent-replayed")).toBe("true");
    });

    it("rate-limits per key with 429 and Retry-After", async () => {
      const a = (await services.apiKeys.create(orgId, { name: "rl-a", mode: "test" })).key;
      const b = (await services.apiKeys.create(orgId, { name: "rl-b", mode: "test" })).key;
      for (let i = 0; i < 3; i += 1) {
        expect((await fetch(`${limitedBase}/categories`, { headers: auth(a) })).status).toBe(200);
      }
      const limited = await fetch(`${limitedBase}/categories`, { headers: auth(a) });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: "rate_limited" });
      expect((await fetch(`${limitedBase}/categories`, { headers: auth(b) })).status).toBe(200);
      expect((await fetch(`${limitedBase}/health`)).status).toBe(200);
    });
  },
  { engines: ["pglite"] },
);
