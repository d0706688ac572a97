// Chooses the extractor the configuration asks for: the built-in one by default, an LLM backed by the built-in otherwise.
import { createBuiltinExtractor } from "./builtin";
import { type EnvRecord, type ExtractionConfig, loadExtractionConfig } from "./config";
import { createFallbackExtractor } from "./llm/fallback-extractor";
import { createLlmExtractor } from "./llm/llm-extractor";
import type { ExtractionInput, Extractor } from "./types";

export interface SelectOptions {
  /** Told when the LLM failed and the built-in extractor answered instead, e.g. to log it. */
  onFallback?: ((error: unknown, input: ExtractionInput) => void) | undefined;
}

/** Builds the extractor for an already validated configuration. */
export function createConfiguredExtractor(config: ExtractionConfig, options?: SelectOptions): Extractor {
  const builtin = createBuiltinExtractor();
  if (config.extractor === "builtin") return builtin;
  return createFallbackExtractor(createLlmExtractor(config.llm), builtin, {
    onFallback: options?.onFallback,
  });
}

/**
 * Returns the configured extractor: EYEBALL_EXTRACTOR=builtin (the default) gives the built-in one; =llm gives the LLM
 * extractor, falling back to the built-in one when a call fails. Throws ExtractionConfigError on a bad configuration.
 */
export function selectExtractor(env: EnvRecord, options?: SelectOptions): Extractor {
  return createConfiguredExtractor(loadExtractionConfig(env), options);
}
