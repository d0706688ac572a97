// Public surface of @eyeball/mcp: the tool server (for embedding and in-process tests) and its configuration.
export { createMcpServer, MAX_WAIT_SECONDS, nextWaitSeconds } from "./server";
export { DEFAULT_EYEBALL_URL, loadMcpEnv, type McpEnv, McpEnvError } from "./env";
