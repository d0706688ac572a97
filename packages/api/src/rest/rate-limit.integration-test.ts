// The database-backed rate limit on both engines: two REST apps ("processes") on one database share each key's count.
import { randomBytes } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase, type Database, Prisma } from "@eyeball/db";
import { describeEachEngine } from "@eyeball/db/testing";

import { type AppServices, createAccessServices } from "../app-services";
import { systemClock } from "../clock";
import { apiConfig } from "../config";
import { type Db } from "../services/types";
import { reply, route } from "./route";
import { DatabaseRateLimitStore } from "./rate-limit-store";
import { createRestRouter } from "./router";
import { type RestRouteModule } from "./toolkit";

const LIMIT = 4;

const pingRoutes: RestRouteModule = (router, toolkit) => {
  router.get(
    "/ping",
    ...toolkit.authenticated,
    route(() => reply(200, { ok: true })),
  );
};

describeEachEngine("database rate limit", (getDb, engine) => {
  const servers: Server[] = [];
  let second: Database | undefined;
  let dbA: Db;
  let dbB: Db;
  let services: AppServices;
  let appA: string;
  let appB: string;
  let orgId: string;

  /** One REST app as a server process would build it, on its own database client. */
  async function start(db: Db): Promise<string> {
    const app = express();
    const own: AppServices = {
      db,
      clock: systemClock,
      config: apiConfig(),
      ...createAccessServices({ db, clock: systemClock }),
    };
    app.use(
      "/api",
      createRestRouter(own, {
        rateLimit: { limit: LIMIT, windowMs: 60_000, store: "database" },
        routes: [pingRoutes],
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  }

  async function newKey(name: string): Promise<{ key: string; id: string }> {
    const created = await services.apiKeys.create(orgId, { name, mode: "test" });
    return { key: created.key, id: created.apiKey.id };
  }

  const ping = (base: string, key: string) =>
    fetch(`${base}/ping`, { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    const db = getDb();
    dbA = db.prisma;
    // On PostgreSQL the second "process" gets its own client and pool; embedded PGlite is one process.
    if (engine === "postgres" && db.url) second = await createDatabase({ url: db.url, migrate: false });
    dbB = second?.prisma ?? dbA;
    services = {
      db: dbA,
      clock: systemClock,
      config: apiConfig(),
      ...createAccessServices({ db: dbA, clock: systemClock }),
    };
    orgId = (await services.orgs.create({ slug: `rl-${randomBytes(3).toString("hex")}` })).id;
    appA = await start(dbA);
    appB = await start(dbB);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await second?.close();
  });

  it("shares one count per key across two apps: the request after the limit answers 429 on either", async () => {
    const { key } = await newKey("shared");
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i += 1) statuses.push((await ping(i % 2 === 0 ? appA : appB, key)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));

    for (const base of [appA, appB]) {
      const limited = await ping(base, key);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await limited.json()) as { error: string; message: string };
      expect(body).toEqual({
        error: "rate_limited",
        message: expect.stringMatching(/at most 4 per 60 s/) as unknown,
      });
    }
  });

  it("counts different keys separately", async () => {
    const first = await newKey("first");
    const other = await newKey("other");
    for (let i = 0; i < LIMIT; i += 1) expect((await ping(appA, first.key)).status).toBe(200);
    expect((await ping(appB, first.key)).status).toBe(429);
    expect((await ping(appB, other.key)).status).toBe(200);
    expect((await ping(appA, other.key)).status).toBe(200);
  });

  it("starts over once the window, kept on the database's clock, has ended", async () => {
    const { key, id } = await newKey("window");
    for (let i = 0; i < LIMIT; i += 1) expect((await ping(i % 2 ? appA : appB, key)).status).toBe(200);
    expect((await ping(appA, key)).status).toBe(429);

    // Move this key's window into the past instead of waiting a minute.
    const moved = await dbA.$executeRaw(Prisma.sql`
      UPDATE "rate_limit_counters" SET "resetAt" = now() - interval '1 second' WHERE "key" = ${`rest:${id}`}`);
    expect(moved).toBe(1);

    for (let i = 0; i < LIMIT; i += 1) expect((await ping(i % 2 ? appB : appA, key)).status).toBe(200);
    expect((await ping(appB, key)).status).toBe(429);
    const rows = await dbA.$queryRaw<{ hits: number; future: boolean }[]>(Prisma.sql`
      SELECT "hits", "resetAt" > now() AS "future" FROM "rate_limit_counters" WHERE "key" = ${`rest:${id}`}`);
    expect(rows).toEqual([{ hits: LIMIT + 1, future: true }]);
  });

  describe("DatabaseRateLimitStore", () => {
    function store(db: Db, windowMs = 60_000): DatabaseRateLimitStore {
      const s = new DatabaseRateLimitStore(db, { prefix: `t-${randomBytes(3).toString("hex")}:` });
      s.init({ windowMs } as Parameters<DatabaseRateLimitStore["init"]>[0]);
      return s;
    }

    it("increments atomically under concurrency from two instances", async () => {
      const a = store(dbA);
      const b = new DatabaseRateLimitStore(dbB, { prefix: a.prefix });
      b.init({ windowMs: 60_000 } as Parameters<DatabaseRateLimitStore["init"]>[0]);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).increment("k")));
      expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      for (const r of results) {
        const left = (r.resetTime?.getTime() ?? 0) - Date.now();
        expect(left).toBeGreaterThan(50_000);
        expect(left).toBeLessThanOrEqual(60_000);
      }
    });

    it("gets, decrements and resets a key", async () => {
      const s = store(dbA);
      await s.increment("k");
      await s.increment("k");
      expect((await s.increment("k")).totalHits).toBe(3);
      expect((await s.get("k"))?.totalHits).toBe(3);
      await s.decrement("k");
      expect((await s.get("k"))?.totalHits).toBe(2);
      await s.resetKey("k");
      expect(await s.get("k")).toBeUndefined();
      expect((await s.increment("k")).totalHits).toBe(1);
      await s.increment("other");
      await s.resetAll();
      expect(await s.get("k")).toBeUndefined();
      expect(await s.get("other")).toBeUndefined();
    });

    it("sweeps only rows whose window ended more than the grace period ago, in bounded batches", async () => {
      const s = new DatabaseRateLimitStore(dbA, { prefix: "sweep:", sweepGraceMs: 60_000, sweepBatch: 2 });
      s.init({ windowMs: 60_000 } as Parameters<DatabaseRateLimitStore["init"]>[0]);
      await dbA.$executeRaw(Prisma.sql`
        INSERT INTO "rate_limit_counters" ("key", "hits", "resetAt") VALUES
          ('sweep:old1', 5, now() - interval '2 minutes'),
          ('sweep:old2', 5, now() - interval '3 minutes'),
          ('sweep:old3', 5, now() - interval '4 minutes'),
          ('sweep:recent', 5, now() - interval '10 seconds'),
          ('sweep:live', 5, now() + interval '30 seconds')`);
      expect(await s.sweepExpired()).toBe(2);
      expect(await s.sweepExpired()).toBe(1);
      expect(await s.sweepExpired()).toBe(0);
      const left = await dbA.$queryRaw<{ key: string }[]>(Prisma.sql`
        SELECT "key" FROM "rate_limit_counters" WHERE starts_with("key", 'sweep:') ORDER BY "key"`);
      expect(left.map((r) => r.key)).toEqual(["sweep:live", "sweep:recent"]);
    });
  });
});
