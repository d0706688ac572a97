#!/usr/bin/env node
// Adds up the Vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped",
// after the names and first lines of any failed tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const failures = [];
for (const group of ["apps", "packages", "tooling"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, "test-results", "vitest.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status !== "failed") continue;
        const message = (test.failureMessages?.[0] ?? "").split("\n").slice(0, 3).join(" / ");
        failures.push(`  ${join(group, name)} › ${test.fullName}\n      ${message.slice(0, 400)}`);
      }
    }
    rows.push(
      `  ${join(group, name).padEnd(24)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
// The failures are repeated here, at the end, because CI logs are often read from the tail only.
if (failures.length > 0) console.log(["", "Failed tests:", ...failures].join("\n"));
console.log(["", "Test results by package:", ...rows].join("\n"));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
