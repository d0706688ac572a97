// Shared Vitest preset: unit tests beside the code, database tests as *.integration-test.ts.
import { defineConfig } from "vitest/config";

/** @param {{ integration?: boolean, testTimeout?: number }} [options] */
export function vitestPreset(options = {}) {
  return defineConfig({
    test: {
      include: options.integration
        ? ["src/**/*.test.ts", "src/**/*.integration-test.ts", "test/**/*.test.ts", "test/**/*.integration-test.ts"]
        : ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: options.testTimeout ?? 60_000,
      reporters: process.env.CI ? ["default"] : ["default"],
      passWithNoTests: false,
    },
  });
}
