// `eyeball-mcp` entry point: environment → SDK client → MCP server on stdio. stdout carries only protocol messages.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

import { createEyeballClient } from "@eyeball/sdk";

import { loadMcpEnv, McpEnvError } from "./env";
import { createMcpServer } from "./server";

const EX_USAGE = 64;

function log(line: string): void {
  process.stderr.write(`eyeball-mcp: ${line}\n`);
}

try {
  const env = loadMcpEnv();
  const client = createEyeballClient({ apiKey: env.apiKey, baseUrl: env.baseUrl, userAgent: "eyeball-mcp" });
  const server = createMcpServer(client);
  await server.connect(new StdioServerTransport());
  log(`serving over stdio for ${client.apiBase}`);
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = error instanceof McpEnvError ? EX_USAGE : 1;
}
