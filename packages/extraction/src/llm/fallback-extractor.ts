// Tries a primary extractor and, when it fails, answers with a fallback one (the LLM first, the built-in after).
import type { ExtractionInput, ExtractionResult, ExtractOptions, Extractor } from "../types";

export interface FallbackOptions {
  /** Told about every failure that led to the fallback, e.g. to log it. */
  onFallback?: ((error: unknown, input: ExtractionInput) => void) | undefined;
}

/**
 * Uses `fallback` whenever `primary` throws, except when the caller aborted: an aborted job should stop, not carry on
 * with another extractor.
 */
export function createFallbackExtractor(
  primary: Extractor,
  fallback: Extractor,
  options?: FallbackOptions,
): Extractor {
  return {
    name: `${primary.name} (fallback ${fallback.name})`,
    async extract(input: ExtractionInput, extractOptions?: ExtractOptions): Promise<ExtractionResult> {
      try {
        return await primary.extract(input, extractOptions);
      } catch (error) {
        if (extractOptions?.signal?.aborted) throw error;
        options?.onFallback?.(error, input);
        return fallback.extract(input, extractOptions);
      }
    },
  };
}
