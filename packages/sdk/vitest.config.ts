import { vitestPreset } from "@eyeball/vitest-config";

// Unit tests against loopback stubs, and one suite against a real in-process server.
export default vitestPreset({ integration: true, testTimeout: 60_000 });
