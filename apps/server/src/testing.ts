// A real server for other packages' tests (SDK, CLI, MCP): embedded database in a temp folder, the sandbox tester,
// the demo organisation's test key, and a live key with credit — listening on a loopback port.
import { mkdtempSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { createLedger } from "@eyeball/api";

import { createApp } from "./app";
import { composePlatform, type Platform } from "./compose";
import { loadEnv } from "./env";
import { seedOnStart } from "./seed";

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  platform: Platform;
  /** The demo organisation's test-mode key: the sandbox tester claims and completes its jobs. */
  testKey: string;
  /** A live key of the same organisation with $50 of credit: no sandbox tester, so its jobs wait. */
  liveKey: string;
  /** The demo (real, non-sandbox) tester's profile id, to claim a live job by hand. */
  demoTesterId: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** The sandbox tester's delays (default claim 20 ms, work 300 ms); no browser, so no page visit. */
  sandboxClaimDelayMs?: number;
  sandboxWorkMs?: number;
  env?: Record<string, string>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-test-server-"));
  const platform = await composePlatform(
    loadEnv({
      EYEBALL_DATA_DIR: dataDir,
      EYEBALL_SANDBOX_CLAIM_DELAY_MS: String(options.sandboxClaimDelayMs ?? 20),
      EYEBALL_SANDBOX_WORK_MS: String(options.sandboxWorkMs ?? 300),
      EYEBALL_SANDBOX_BROWSER: "off",
      ...options.env,
    }),
  );
  let server: Server | undefined;
  try {
    const demo = await seedOnStart(platform);
    await platform.start();
    await platform.startWorkers();
    const testKey = demo?.testKey?.key;
    if (!testKey) throw new Error("the demo organisation has no test key");
    const org = await platform.services.orgs.getBySlug("demo");
    const liveKey = (await platform.services.apiKeys.create(org.id, { name: "tests (live)", mode: "live" }))
      .key;
    await createLedger(platform.database.prisma).grantCredits({
      orgId: org.id,
      mode: "live",
      micros: 50_000_000n,
    });

    const listening = createApp(platform.services, { rest: { ...platform.rest, rateLimit: false } }).listen(
      0,
      "127.0.0.1",
    );
    server = listening;
    await new Promise<void>((resolve) => listening.once("listening", resolve));
    const url = `http://127.0.0.1:${String((listening.address() as AddressInfo).port)}`;
    platform.config.publicUrl = url;
    return {
      url,
      platform,
      testKey,
      liveKey,
      demoTesterId: demo?.testerId ?? "",
      async close() {
        listening.closeAllConnections();
        await new Promise((resolve) => listening.close(resolve));
        await platform.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.close();
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
