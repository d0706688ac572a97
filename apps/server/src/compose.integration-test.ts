import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { DEMO_OWNER_EMAIL, DEMO_TESTER_EMAIL } from "@eyeball/api";

import { composePlatform, type Platform } from "./compose";
import { DataDirInUseError } from "./data-dir-lock";
import { loadEnv } from "./env";
import { seedOnStart } from "./seed";

const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-compose-"));
let platform: Platform | undefined;

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("composePlatform (embedded database)", () => {
  it(
    "wires database, ledger, events, queue and services: a test-mode job completes in the sandbox",
    { timeout: 120_000 },
    async () => {
      const env = loadEnv({
        EYEBALL_DATA_DIR: dataDir,
        EYEBALL_SANDBOX_CLAIM_DELAY_MS: "20",
        EYEBALL_SANDBOX_WORK_MS: "50",
      });
      platform = await composePlatform(env);
      await expect(composePlatform(env)).rejects.toBeInstanceOf(DataDirInUseError);
      // Every process counts the REST rate limit in the shared database.
      expect(platform.rest.rateLimit).toEqual({ limit: 300, windowMs: 60_000, store: "database" });

      const demo = await seedOnStart(platform);
      await platform.start();
      await platform.startWorkers();
      expect(demo?.testKey?.key).toMatch(/^eb_test_/);
      // The demo tester can sign in to the desktop app with the password printed once.
      expect(demo?.testerPassword).toMatch(/^[0-9A-Za-z]{16}$/);
      const signIn = await platform.services.testerAuth.signIn(DEMO_TESTER_EMAIL, demo?.testerPassword ?? "");
      expect(signIn.token).toMatch(/^eb_tst_/);
      // The demo owner signs in to the portal the same way.
      expect(demo?.ownerPassword).toMatch(/^[0-9A-Za-z]{16}$/);
      const ownerSignIn = await platform.services.accounts.signIn(
        DEMO_OWNER_EMAIL,
        demo?.ownerPassword ?? "",
      );
      expect(ownerSignIn.token).toMatch(/^eb_ses_/);
      expect(ownerSignIn.account.organizations).toEqual([
        expect.objectContaining({ slug: "demo", role: "owner" }),
      ]);
      const again = await seedOnStart(platform);
      expect(again?.testerPassword).toBeNull();
      expect(again?.ownerPassword).toBeNull();

      const { services } = platform;
      const actor = await services.apiKeys.authenticate(demo?.testKey?.key);
      const job = await services.jobs.create(
        actor,
        {
          url: "https://example.com",
          description: "Check that the page loads",
          outputSchema: { loads: { type: "boolean", description: "Does the page load?" } },
        },
        { source: "runhuman" },
      );
      const finished = await services.jobs.waitForTerminal(actor, job.id, 30_000);
      expect(finished?.status).toBe("completed");

      await platform.close();
      await platform.close();
      platform = undefined;
    },
  );
});
