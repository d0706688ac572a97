import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, expect, it } from "vitest";

import { type AppRouter, type AppServices, apiConfig, createAccessServices, systemClock } from "@eyeball/api";
import { describeEachEngine } from "@eyeball/db/testing";

import { createApp } from "./app";

describeEachEngine(
  "server app",
  (getDb) => {
    let server: Server;
    let base: string;
    let services: AppServices;

    beforeAll(async () => {
      const db = getDb().prisma;
      services = {
        db,
        clock: systemClock,
        config: apiConfig(),
        ...createAccessServices({ db, clock: systemClock }),
      };
      await services.catalogs.seedDefaults();
      server = createApp(services).listen(0, "127.0.0.1");
      await new Promise<void>((resolve) => server.once("listening", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const client = (headers: Record<string, string> = {}) =>
      createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${base}/trpc`, headers })] });

    it("serves GET /api/health", async () => {
      const res = await fetch(`${base}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });

    it("serves tRPC queries through @trpc/client (batched)", async () => {
      const [health, page] = await Promise.all([
        client().health.check.query(),
        client().catalogs.list.query({ kind: "equipment", limit: 3 }),
      ]);
      expect(health).toEqual({ status: "ok", database: "ok" });
      expect(page.data).toHaveLength(3);
    });

    it("authenticates tRPC calls with the API key header and converts errors", async () => {
      const { id: orgId } = await services.orgs.create({ slug: "srv-app" });
      const { key } = await services.apiKeys.create(orgId, { name: "srv", mode: "test" });
      await expect(client({ authorization: `Bearer ${key}` }).orgs.current.query()).resolves.toMatchObject({
        id: orgId,
      });

      const error: unknown = await client({ authorization: "Bearer eb_test_bad" })
        .orgs.current.query()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      const clientError = error as TRPCClientError<AppRouter>;
      expect(clientError.data?.code).toBe("UNAUTHORIZED");
      expect(clientError.data?.httpStatus).toBe(401);
      expect(clientError.message).toMatch(/Malformed API key/);

      const bad: unknown = await client()
        .catalogs.list.query({ kind: "equipment", limit: 0 })
        .catch((e: unknown) => e);
      expect((bad as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
      expect((bad as TRPCClientError<AppRouter>).message).toMatch(/^limit: /);
    });

    it("answers unknown /api routes with JSON 404", async () => {
      const res = await fetch(`${base}/api/nothing-here`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    });
  },
  { engines: ["pglite"] },
);
