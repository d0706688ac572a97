// Extraction configuration, validated once from an env-like record; the only place that knows the variable names.
import { z } from "zod";

import { LLM_PROVIDERS, type LlmExtractorConfig } from "./llm/language-model";

export type EnvRecord = Readonly<Record<string, string | undefined>>;

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
export const DEFAULT_LLM_MAX_RETRIES = 2;
export const DEFAULT_LLM_CONCURRENCY = 4;

export type ExtractionConfig =
  | { extractor: "builtin"; concurrency: number }
  | { extractor: "llm"; llm: LlmExtractorConfig; concurrency: number };

/** Thrown when the environment does not describe a usable extractor; the message names every offending variable. */
export class ExtractionConfigError extends Error {
  override readonly name = "ExtractionConfigError";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid extraction configuration:\n- ${problems.join("\n- ")}`);
    this.problems = problems;
  }
}

/** Empty strings count as unset, so `EYEBALL_LLM_BASE_URL=` in a .env file means "default". */
const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.string().trim().optional(),
);

function positiveInt(variable: string, max: number) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce
      .number({ error: `${variable} must be a whole number` })
      .int(`${variable} must be a whole number`)
      .min(0, `${variable} must not be negative`)
      .max(max, `${variable} must be at most ${max}`)
      .optional(),
  );
}

const envSchema = z.object({
  EYEBALL_EXTRACTOR: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().toLowerCase() : undefined),
    z.enum(["builtin", "llm"], { error: "EYEBALL_EXTRACTOR must be builtin or llm" }).default("builtin"),
  ),
  EYEBALL_LLM_PROVIDER: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().toLowerCase() : undefined),
    z
      .enum(LLM_PROVIDERS, { error: `EYEBALL_LLM_PROVIDER must be one of ${LLM_PROVIDERS.join(", ")}` })
      .optional(),
  ),
  EYEBALL_LLM_MODEL: optionalText,
  EYEBALL_LLM_API_KEY: optionalText,
  OPENAI_API_KEY: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  EYEBALL_LLM_BASE_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: "EYEBALL_LLM_BASE_URL must be an http(s) URL" }).optional(),
  ),
  EYEBALL_LLM_TIMEOUT_MS: positiveInt("EYEBALL_LLM_TIMEOUT_MS", 600_000),
  EYEBALL_LLM_MAX_RETRIES: positiveInt("EYEBALL_LLM_MAX_RETRIES", 10),
  EYEBALL_EXTRACT_CONCURRENCY: positiveInt("EYEBALL_EXTRACT_CONCURRENCY", 64),
});

/**
 * Reads the extraction settings from `env` (pass `process.env` at the edge). Defaults give the built-in extractor
 * with no configuration at all; EYEBALL_EXTRACTOR=llm needs a provider, a model and, except for openai-compatible
 * servers, an API key.
 */
export function loadExtractionConfig(env: EnvRecord): ExtractionConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ExtractionConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const vars = parsed.data;
  const timeoutMs = vars.EYEBALL_LLM_TIMEOUT_MS ?? DEFAULT_LLM_TIMEOUT_MS;
  if (vars.EYEBALL_EXTRACT_CONCURRENCY === 0) {
    throw new ExtractionConfigError(["EYEBALL_EXTRACT_CONCURRENCY must be greater than 0"]);
  }
  if (vars.EYEBALL_EXTRACTOR === "builtin") {
    // The built-in extractor is local and fast; concurrency only bounds how many cases are in flight.
    return { extractor: "builtin", concurrency: vars.EYEBALL_EXTRACT_CONCURRENCY ?? 1 };
  }

  const problems: string[] = [];
  const provider = vars.EYEBALL_LLM_PROVIDER;
  if (!provider) {
    problems.push(
      `EYEBALL_LLM_PROVIDER is required when EYEBALL_EXTRACTOR=llm (${LLM_PROVIDERS.join(", ")})`,
    );
  }
  if (!vars.EYEBALL_LLM_MODEL) problems.push("EYEBALL_LLM_MODEL is required when EYEBALL_EXTRACTOR=llm");
  const apiKey =
    vars.EYEBALL_LLM_API_KEY ??
    (provider === "openai"
      ? vars.OPENAI_API_KEY
      : provider === "anthropic"
        ? vars.ANTHROPIC_API_KEY
        : undefined);
  if (provider === "openai" && !apiKey) {
    problems.push("EYEBALL_LLM_API_KEY (or OPENAI_API_KEY) is required for EYEBALL_LLM_PROVIDER=openai");
  }
  if (provider === "anthropic" && !apiKey) {
    problems.push(
      "EYEBALL_LLM_API_KEY (or ANTHROPIC_API_KEY) is required for EYEBALL_LLM_PROVIDER=anthropic",
    );
  }
  if (provider === "openai-compatible" && !vars.EYEBALL_LLM_BASE_URL) {
    problems.push(
      "EYEBALL_LLM_BASE_URL is required for EYEBALL_LLM_PROVIDER=openai-compatible (e.g. http://127.0.0.1:11434/v1 for Ollama)",
    );
  }
  if (vars.EYEBALL_LLM_TIMEOUT_MS === 0) problems.push("EYEBALL_LLM_TIMEOUT_MS must be greater than 0");
  if (problems.length > 0 || !provider || !vars.EYEBALL_LLM_MODEL) throw new ExtractionConfigError(problems);

  return {
    extractor: "llm",
    concurrency: vars.EYEBALL_EXTRACT_CONCURRENCY ?? DEFAULT_LLM_CONCURRENCY,
    llm: {
      provider,
      model: vars.EYEBALL_LLM_MODEL,
      apiKey,
      baseURL: vars.EYEBALL_LLM_BASE_URL,
      timeoutMs,
      maxRetries: vars.EYEBALL_LLM_MAX_RETRIES ?? DEFAULT_LLM_MAX_RETRIES,
    },
  };
}
