// Where the integrator commands find the server and key: flags, then the environment, then a config file.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

import { z } from "zod";

import { CliExit, EXIT } from "./exit";

export interface IntegratorFlags {
  apiKey?: string;
  /** The server (`--server`); `--url` is the page under test. */
  server?: string;
  config?: string;
}

export interface IntegratorConfig {
  apiKey: string;
  url: string;
  /** Which file supplied a value, for error messages. */
  source: string;
}

const fileSchema = z.strictObject({
  apiKey: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
  url: z.url({ error: "must be a URL" }).optional(),
});

export const DEFAULT_URL = "http://127.0.0.1:4000";

/** The config files tried in order when neither --config nor EYEBALL_CONFIG names one. */
export function defaultConfigFiles(cwd: string, home: string = homedir()): string[] {
  return [path.join(cwd, ".eyeball.json"), path.join(home, ".config", "eyeball", "config.json")];
}

function readConfigFile(file: string): z.output<typeof fileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliExit(EXIT.usage, `${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliExit(
      EXIT.usage,
      `${file}: ${issue?.path.join(".") || "file"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/**
 * Flags win, then EYEBALL_API_KEY / EYEBALL_URL, then the first config file found (`--config`,
 * EYEBALL_CONFIG, ./.eyeball.json, ~/.config/eyeball/config.json). A named file that does not exist
 * is an error; the default ones are optional.
 */
export function resolveIntegratorConfig(
  flags: IntegratorFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = env.INIT_CWD ?? process.cwd(),
): IntegratorConfig {
  const named = flags.config ?? env.EYEBALL_CONFIG;
  let file: z.output<typeof fileSchema> = {};
  let source = "defaults";
  if (named !== undefined) {
    const resolved = path.resolve(cwd, named);
    if (!existsSync(resolved)) throw new CliExit(EXIT.usage, `config file ${resolved} does not exist`);
    file = readConfigFile(resolved);
    source = resolved;
  } else {
    const found = defaultConfigFiles(cwd).find((candidate) => existsSync(candidate));
    if (found) {
      file = readConfigFile(found);
      source = found;
    }
  }
  const apiKey = flags.apiKey ?? env.EYEBALL_API_KEY ?? file.apiKey;
  if (!apiKey) {
    throw new CliExit(
      EXIT.usage,
      'no API key: pass --api-key, set EYEBALL_API_KEY, or put {"apiKey": …} in .eyeball.json',
    );
  }
  const url = flags.server ?? env.EYEBALL_URL ?? file.url ?? DEFAULT_URL;
  if (!URL.canParse(url)) throw new CliExit(EXIT.usage, `server URL is not a URL: ${url}`);
  return { apiKey, url, source };
}
