import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

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
