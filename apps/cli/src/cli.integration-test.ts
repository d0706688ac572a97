import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { openDatabase } from "@eyeball/server";

const cliDir = path.resolve(import.meta.dirname, "..");
const repoRoot = path.resolve(cliDir, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-cli-"));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, DATABASE_URL: "", EYEBALL_DATA_DIR: dataDir, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const eyeball = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "src/main.ts", ...args], cliDir);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("eyeball CLI (subprocess, embedded database in a temp folder)", () => {
  it("migrates the embedded database", async () => {
    const result = await eyeball("migrate");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Applied \d+ migration\(s\) to PGlite at .*eyeball-cli-.*\n$/);
    const again = await eyeball("migrate");
    expect(again.stdout).toMatch(/is up to date\.\n$/);
  });

  it("creates an organisation and prints it as JSON", async () => {
    const result = await eyeball("orgs", "create", "--slug", "acme-cli", "--name", "Acme CLI");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ slug: "acme-cli", name: "Acme CLI" });
  });

  it("api-keys create prints only the key", async () => {
    const test = await eyeball("api-keys", "create", "--org", "acme-cli", "--name", "ci", "--test");
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^eb_test_[0-9A-Za-z]{32}\n$/);
    const live = await eyeball("api-keys", "create", "--org", "acme-cli", "--name", "prod");
    expect(live.stdout).toMatch(/^eb_live_[0-9A-Za-z]{32}\n$/);
  });

  it("prints only the key through `pnpm --silent eyeball` from the repository root", async () => {
    const result = await run(
      "pnpm",
      ["--silent", "eyeball", "api-keys", "create", "--org", "acme-cli", "--name", "root", "--test"],
      repoRoot,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^eb_test_[0-9A-Za-z]{32}\n$/);
  });

  // Each subprocess boots the embedded database, so this keeps to three runs; the amount rules and
  // replays are covered in-process by packages/api/src/routers/billing.integration-test.ts.
  it(
    "credits grant books exact live credit once per idempotency key and prints the balance",
    { timeout: 360_000 },
    async () => {
      const grant = ["credits", "grant", "--org", "acme-cli", "--usd", "12.3456", "--memo", "Pilot"];
      const granted = await eyeball(...grant, "--idempotency-key", "k1");
      expect(granted.stderr).toBe("");
      expect(granted.code).toBe(0);
      expect(JSON.parse(granted.stdout)).toMatchObject({
        org: { slug: "acme-cli" },
        mode: "live",
        grantedUsd: 12.3456,
        replayed: false,
        balanceUsd: 12.3456,
        availableUsd: 12.3456,
      });
      const replay = await eyeball(...grant, "--idempotency-key", "k1");
      expect(JSON.parse(replay.stdout)).toMatchObject({ replayed: true, balanceUsd: 12.3456 });

      // Refused before the database opens, naming the option.
      const refused = await eyeball("credits", "grant", "--org", "acme-cli", "--usd", "1.0000001");
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/--usd: must have at most 6 decimals/);
    },
  );

  it("fails with exit code 1 and a message naming the problem", async () => {
    const unknown = await eyeball("api-keys", "create", "--org", "no-such-org", "--name", "ci", "--test");
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/No organisation with slug "no-such-org"/);

    const taken = await eyeball("orgs", "create", "--slug", "acme-cli");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/already taken/);

    const missing = await eyeball("api-keys", "create", "--org", "acme-cli");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--name/);
  });

  it("admins grant and revoke make a user a platform admin and back, naming an unknown email", async () => {
    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      await database.prisma.user.create({ data: { email: "ops@acme-cli.test", name: "Ops" } });
    } finally {
      await database.close();
    }
    const isAdmin = async () => {
      const db = await openDatabase({ databaseUrl: undefined, dataDir });
      try {
        return (await db.prisma.user.findUniqueOrThrow({ where: { email: "ops@acme-cli.test" } })).isAdmin;
      } finally {
        await db.close();
      }
    };

    const granted = await eyeball("admins", "grant", "--email", "ops@acme-cli.test");
    expect(granted.stderr).toBe("");
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ email: "ops@acme-cli.test", isAdmin: true });
    expect(await isAdmin()).toBe(true);

    const revoked = await run(
      "pnpm",
      ["--silent", "eyeball", "admins", "revoke", "--email", "OPS@acme-cli.test"],
      repoRoot,
      { EYEBALL_DATA_DIR: dataDir },
    );
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ email: "ops@acme-cli.test", isAdmin: false });
    expect(await isAdmin()).toBe(false);

    const unknown = await eyeball("admins", "grant", "--email", "nobody@acme-cli.test");
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/No user with email "nobody@acme-cli\.test"/);

    const missing = await eyeball("admins", "grant");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--email/);
  });

  it("refuses an embedded database another live process holds", async () => {
    writeFileSync(path.join(dataDir, "eyeball.pid"), String(process.pid));
    try {
      const result = await eyeball("orgs", "create", "--slug", "locked-out");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
    } finally {
      rmSync(path.join(dataDir, "eyeball.pid"), { force: true });
    }
  });
});
