import { vitestPreset } from "@eyeball/vitest-config";

export default vitestPreset({ integration: true, testTimeout: 120_000 });
