// The watchdog reporter ends a run whose worker is stuck, exits 75 and names the files still running.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, it } from "vitest";

import { WATCHDOG_EXIT_CODE } from "../watchdog-reporter.js";

const fixture = path.join(import.meta.dirname, "fixtures/stuck");
const vitestBin = path.join(import.meta.dirname, "../node_modules/vitest/vitest.mjs");

it("ends a stuck run with its own exit code and names what was running", () => {
  const out = mkdtempSync(path.join(tmpdir(), "watchdog-"));
  const result = spawnSync(process.execPath, [vitestBin, "run", "--root", fixture], {
    cwd: out,
    env: { ...process.env, EYEBALL_TEST_WATCHDOG_MS: "1500", EYEBALL_TEST_REPORT: "", CI: "true" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status).toBe(WATCHDOG_EXIT_CODE);
  expect(result.stderr).toContain("WATCHDOG: no test progress");
  expect(result.stderr).toContain("stuck.fixture.test.js");
  const report = JSON.parse(readFileSync(path.join(out, "test-results/watchdog.json"), "utf8"));
  expect(report.running).toEqual([expect.stringContaining("stuck.fixture.test.js")]);
  // The last test is best effort: a worker batches its reports, and a stuck one may never send them.
  expect(report.silentMs).toBeGreaterThanOrEqual(1500);
}, 70_000);
