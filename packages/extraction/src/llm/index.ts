// Public surface of the LLM extractor: the extractor, its error, the fallback wrapper and the provider settings.
export { LLM_EXTRACTION_ERROR_CODES, LlmExtractionError, type LlmExtractionErrorCode } from "./errors";
export { createFallbackExtractor, type FallbackOptions } from "./fallback-extractor";
export { LLM_PROVIDERS, type LlmExtractorConfig, type LlmProvider } from "./language-model";
export { createLlmExtractor } from "./llm-extractor";
export { buildExtractionPrompt, type ExtractionPrompt } from "./prompt";
