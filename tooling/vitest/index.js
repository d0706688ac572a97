// Shared Vitest preset: unit tests beside the code, database tests as *.integration-test.ts.
import { defineConfig } from "vitest/config";

import { WatchdogReporter } from "./watchdog-reporter.js";

/** @param {{ integration?: boolean, testTimeout?: number }} [options] */
export function vitestPreset(options = {}) {
  // The root test command asks for a JSON report per package so it can print one closing summary line.
  const reporters = process.env.EYEBALL_TEST_REPORT ? ["default", "json"] : ["default"];
  // A run with no test progress for this long is stuck (see watchdog-reporter.js); 0 turns it off.
  const silenceMs = Number(process.env.EYEBALL_TEST_WATCHDOG_MS ?? 6 * 60_000);
  if (silenceMs > 0)
    reporters.push(new WatchdogReporter({ silenceMs, reportFile: "test-results/watchdog.json" }));
  return defineConfig({
    test: {
      include: options.integration
        ? [
            "src/**/*.test.ts",
            "src/**/*.integration-test.ts",
            "test/**/*.test.ts",
            "test/**/*.integration-test.ts",
          ]
        : ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: Math.max(options.testTimeout ?? 0, 60_000),
      reporters,
      outputFile: { json: "test-results/vitest.json" },
      passWithNoTests: false,
    },
  });
}
