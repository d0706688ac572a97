// Test kit for the Instahuman routes: a real app on 127.0.0.1:0 over the jobs harness, orgs with real keys.
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";

import { type Database } from "@eyeball/db";

import { type AppServices, createAccessServices } from "../../app-services";
import { createBillingService, type BillingService } from "../../services/billing";
import { createHarness, type Harness, type TestOrg } from "../../services/jobs/testing/harness";
import { createProjectsService, type ProjectsService } from "../../services/projects";
import { createRestRouter } from "../router";
import { createInstahumanBillingRoutes } from "./instahuman-billing-routes";
import { createInstahumanJobsRoutes } from "./instahuman-jobs-routes";
import { createInstahumanProjectsRoutes } from "./instahuman-projects-routes";

export interface InstahumanOrg extends TestOrg {
  liveKey: string;
  testKey: string;
}

export interface InstahumanApp {
  h: Harness;
  services: AppServices;
  projects: ProjectsService;
  billing: BillingService;
  base: string;
  /** An organisation (default $100 live credit) with real live and test API keys. */
  newOrg(options?: { creditMicros?: bigint }): Promise<InstahumanOrg>;
  /** fetch with the key as Bearer and a JSON body; answers status and parsed JSON (null for 204). */
  call(
    key: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> & { data?: unknown } }>;
  close(): Promise<void>;
}

export async function startInstahumanApp(database: Database): Promise<InstahumanApp> {
  const h = await createHarness(database);
  const db = h.db;
  const services: AppServices = {
    db,
    clock: h.clock,
    config: h.config,
    ...createAccessServices({ db, clock: h.clock }),
  };
  const projects = createProjectsService({ db, clock: h.clock, config: h.config });
  const billing = createBillingService({ db, ledger: h.deps.ledger });
  const app = express();
  app.use(
    "/api",
    createRestRouter(services, {
      rateLimit: false,
      logger: {
        error: (message, error) => {
          console.error(message, error);
        },
      },
      routes: [
        createInstahumanJobsRoutes({ jobs: h.services.jobs }),
        createInstahumanProjectsRoutes({ projects }),
        createInstahumanBillingRoutes({ billing }),
      ],
    }),
  );
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  return {
    h,
    services,
    projects,
    billing,
    base,
    async newOrg(options) {
      const org = await h.newOrg(options);
      const live = await services.apiKeys.create(org.orgId, { name: "live", mode: "live" });
      const test = await services.apiKeys.create(org.orgId, { name: "test", mode: "test" });
      // The harness's actors stand for these keys in direct service calls.
      return {
        ...org,
        live: { ...org.live, apiKeyId: live.apiKey.id },
        test: { ...org.test, apiKeyId: test.apiKey.id },
        liveKey: live.key,
        testKey: test.key,
      };
    },
    async call(key, method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await h.close();
    },
  };
}
