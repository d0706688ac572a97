import { defineConfig, mergeConfig } from "vitest/config";

import { vitestPreset } from "@eyeball/vitest-config";

// The e2e tests start a server and Chromium: give them room, and run files one at a time on 2 cores.
export default mergeConfig(
  vitestPreset({ testTimeout: 120_000 }),
  defineConfig({
    test: {
      include: ["src/**/*.test.ts", "src/**/*.test.tsx", "e2e/**/*.e2e.test.ts"],
      fileParallelism: false,
      // expect.poll waits on a live server and a browser: 1 s (the default) is too short on a loaded 2-core CI.
      expect: { poll: { timeout: 15_000 } },
    },
  }),
);
