import { vitestPreset } from "@eyeball/vitest-config";

// The MCP server as a subprocess over stdio, against a real in-process server.
export default vitestPreset({ integration: true, testTimeout: 60_000 });
