// The MCP server's configuration: the only module that reads process.env.
import { z } from "zod";

export type EnvRecord = Readonly<Record<string, string | undefined>>;

export const DEFAULT_EYEBALL_URL = "http://127.0.0.1:4000";

export interface McpEnv {
  apiKey: string;
  baseUrl: string;
}

const MISSING_KEY =
  "EYEBALL_API_KEY is required: set it to an Eyeball API key (eb_live_… or eb_test_…) in the MCP client's env";

const schema = z.object({
  EYEBALL_API_KEY: z.string({ error: MISSING_KEY }).trim().min(1, { error: MISSING_KEY }),
  EYEBALL_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : DEFAULT_EYEBALL_URL))
    .pipe(z.url({ error: "EYEBALL_URL must be a URL such as http://127.0.0.1:4000" })),
});

/** Thrown when the environment cannot configure the server; main exits 64 (EX_USAGE) with its message. */
export class McpEnvError extends Error {
  override name = "McpEnvError";
}

export function loadMcpEnv(source: EnvRecord = process.env): McpEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new McpEnvError(parsed.error.issues.map((issue) => issue.message).join("; "));
  return { apiKey: parsed.data.EYEBALL_API_KEY, baseUrl: parsed.data.EYEBALL_URL };
}
