// Builds the AI SDK language model for the configured provider, with every setting passed explicitly (no env reads).
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";

export const LLM_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export interface LlmExtractorConfig {
  provider: LlmProvider;
  /** Model id as the provider names it, e.g. "gpt-4o-mini", "claude-sonnet-4-5", "llama3.1:8b". */
  model: string;
  /** Required for openai and anthropic; optional for openai-compatible servers such as Ollama. */
  apiKey?: string | undefined;
  /** Provider API root including the version path, e.g. "http://127.0.0.1:11434/v1". */
  baseURL?: string | undefined;
  /** Time limit for one extraction, retries included. */
  timeoutMs: number;
  /** Retries after a failed call (rate limits, 5xx); 0 disables them. */
  maxRetries: number;
}

export const DEFAULT_BASE_URLS: Record<Exclude<LlmProvider, "openai-compatible">, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
};

function requireApiKey(config: LlmExtractorConfig): string {
  if (!config.apiKey) throw new Error(`The ${config.provider} provider needs an API key.`);
  return config.apiKey;
}

/**
 * openai uses the Responses API (what `openai(model)` calls); openai-compatible uses Chat Completions with JSON-schema
 * response formats, which Ollama, vLLM and LM Studio accept.
 */
export function createLanguageModel(config: LlmExtractorConfig): LanguageModel {
  switch (config.provider) {
    case "openai":
      return createOpenAI({
        apiKey: requireApiKey(config),
        baseURL: config.baseURL ?? DEFAULT_BASE_URLS.openai,
      })(config.model);
    case "anthropic":
      return createAnthropic({
        apiKey: requireApiKey(config),
        baseURL: config.baseURL ?? DEFAULT_BASE_URLS.anthropic,
      })(config.model);
    case "openai-compatible": {
      if (!config.baseURL) throw new Error("The openai-compatible provider needs a base URL.");
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: config.baseURL,
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        supportsStructuredOutputs: true,
      }).chatModel(config.model);
    }
  }
}
