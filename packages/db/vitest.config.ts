// Vitest config for @eyeball/db: unit and integration tests; each file owns its databases, so files run in parallel.
import { mergeConfig } from "vitest/config";
import { vitestPreset } from "@eyeball/vitest-config";

export default mergeConfig(vitestPreset({ integration: true }), {
  // Database start-up (PGlite load + migrations) happens in beforeAll hooks.
  test: { hookTimeout: 120_000, testTimeout: 60_000, fileParallelism: true, maxWorkers: 4 },
});
