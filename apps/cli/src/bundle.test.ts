// The GitHub Action's CLI bundle: committed in step with the source, and self-contained (runs with Node.js alone).
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, describe, expect, it } from "vitest";

import { BUNDLE_FILE, buildIntegratorBundle } from "./bundle";

const cliDir = path.resolve(import.meta.dirname, "..");
const committed = path.join(cliDir, BUNDLE_FILE);
// A folder with no node_modules anywhere above it: only what the bundle carries can load.
const alone = mkdtempSync(path.join(tmpdir(), "eyeball-bundle-"));
const copy = path.join(alone, "eyeball.mjs");
copyFileSync(committed, copy);

afterAll(() => {
  rmSync(alone, { recursive: true, force: true });
});

async function runCopy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [copy, ...args], {
      cwd: alone,
      env: { PATH: process.env.PATH ?? "", HOME: alone },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the integrator CLI bundle (apps/cli/action/eyeball.mjs)", () => {
  it("is what a fresh build of the source gives (else: pnpm --filter @eyeball/cli bundle)", async () => {
    const fresh = await buildIntegratorBundle();
    expect(readFileSync(committed, "utf8") === fresh, `${BUNDLE_FILE} is out of date`).toBe(true);
    // Only Node.js built-ins are left to import.
    const imports = [...fresh.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.every((name) => name?.startsWith("node:"))).toBe(true);
  }, 60_000);

  it("runs from a folder without node_modules: help, and a usage error naming the missing key", async () => {
    const help = await runCopy(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("run [options]");
    expect(help.stdout).toContain("jobs");
    const noKey = await runCopy(["run", "--url", "https://shop.example", "--description", "Buy a hat"]);
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toContain("no API key");
  });
});
