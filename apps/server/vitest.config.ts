import { mergeConfig } from "vitest/config";

import { vitestPreset } from "@eyeball/vitest-config";

// End-to-end proofs (server subprocesses on one database) live in e2e/.
export default mergeConfig(vitestPreset({ integration: true }), {
  test: { include: ["e2e/**/*.integration-test.ts"] },
});
