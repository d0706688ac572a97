#!/usr/bin/env node
// Adds up the Vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ["apps", "packages", "tooling"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, "test-results", "vitest.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    rows.push(
      `  ${join(group, name).padEnd(24)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
console.log(["", "Test results by package:", ...rows].join("\n"));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
