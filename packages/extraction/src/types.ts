// The extraction contract's shapes (shared/extraction/README.md): input case, result, and the extractor interface.
import type { ExtractedData, OutputSchema } from "@eyeball/core";

export interface ExtractionInput {
  /** Map of field name to {type, description, example?}; absent means only success/explanation. */
  outputSchema?: OutputSchema | undefined;
  /** The tester's written findings. */
  testerResponse: string;
  /** Integrator rules that take precedence over a plain reading of the response. */
  additionalValidationInstructions?: string | undefined;
  /** README.md / CLAUDE.md of the repo under test, when the job names one (LLM extractor only). */
  repoContext?: string | undefined;
}

export type ExtractionStatus = "completed" | "incomplete" | "not_final";

export interface ExtractionResult {
  final: boolean;
  status: ExtractionStatus;
  result: {
    success: boolean;
    explanation: string;
    /** Exactly one key per schema field; null where the response does not address the field. */
    data: ExtractedData;
  };
}

export interface ExtractOptions {
  signal?: AbortSignal | undefined;
}

export interface Extractor {
  /** Short name for logs and the job record, e.g. "builtin" or "llm:openai/gpt-4o-mini". */
  readonly name: string;
  extract(input: ExtractionInput, options?: ExtractOptions): Promise<ExtractionResult>;
}
