// `pnpm --filter tester start` on a machine without the Electron runtime: a clear explanation and exit 1, never a stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../scripts/start.mjs");

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [script, "--no-download"], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
}

describe("the start script without Electron", () => {
  it("names the missing runtime and how to get it", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-electron-"));
    const result = start({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Eyeball Tester cannot start: ELECTRON_OVERRIDE_DIST_PATH is set, but");
    expect(result.stderr).toContain(empty);
    expect(result.stderr).toContain("pnpm --filter tester exec install-electron");
    expect(result.stderr).toContain("pnpm --filter tester test");
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
