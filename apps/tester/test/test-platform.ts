// A running Eyeball server for the tester app's tests: embedded database, sandbox off, a live key with credit and a real tester account.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { createLedger } from "@eyeball/api";
import { composePlatform, createApp, loadEnv, type Platform, seedOnStart } from "@eyeball/server";

export interface TestPlatform {
  /** Base URL of the server, e.g. http://127.0.0.1:40123 (tRPC at `${url}/trpc`). */
  url: string;
  platform: Platform;
  tester: { email: string; password: string; testerId: string };
  /** A live API key of the demo organisation, with $100 of live credit. */
  liveKey: string;
  /** POST /api/jobs (run(human)'s create) with the live key; returns the new job's id. */
  createJob(body: Record<string, unknown>): Promise<{ id: string }>;
  /** Stops accepting connections (existing ones are cut): a lost connection for the app. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startTestPlatform(extraEnv: Record<string, string> = {}): Promise<TestPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-tester-app-"));
  const env = loadEnv({
    EYEBALL_DATA_DIR: dataDir,
    EYEBALL_SANDBOX: "off",
    EYEBALL_SEED_DEMO: "on",
    EYEBALL_RATE_LIMIT: "100000",
    ...extraEnv,
  });
  const platform = await composePlatform(env);
  const demo = await seedOnStart(platform);
  if (!demo?.testerPassword) throw new Error("the demo tester was not seeded");
  await platform.start();
  await platform.startWorkers();

  const app = createApp(platform.services, { rest: platform.rest });
  let server = createServer(app);
  const port = await listen(server, 0);
  const url = `http://127.0.0.1:${port}`;
  platform.config.publicUrl = url;

  const { key } = await platform.services.apiKeys.create(demo.org.id, {
    name: "tester app tests",
    mode: "live",
  });
  await createLedger(platform.database.prisma).grantCredits({
    orgId: demo.org.id,
    mode: "live",
    micros: 100_000_000n,
  });

  return {
    url,
    platform,
    tester: { email: "tester@eyeball.local", password: demo.testerPassword, testerId: demo.testerId },
    liveKey: key,
    async createJob(body) {
      const response = await fetch(`${url}/api/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { jobId?: string };
      if (!response.ok || typeof json.jobId !== "string") {
        throw new Error(`POST /api/jobs: ${response.status} ${JSON.stringify(json)}`);
      }
      return { id: json.jobId };
    },
    async pause() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
    async resume() {
      server = createServer(app);
      await listen(server, port);
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
