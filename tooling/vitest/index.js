// Shared Vitest preset: unit tests beside the code, database tests as *.integration-test.ts.
import { defineConfig } from "vitest/config";

/** @param {{ integration?: boolean, testTimeout?: number }} [options] */
export function vitestPreset(options = {}) {
  // The root test command asks for a JSON report per package so it can print one closing summary line.
  const reporters = process.env.EYEBALL_TEST_REPORT ? ["default", "json"] : ["default"];
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
