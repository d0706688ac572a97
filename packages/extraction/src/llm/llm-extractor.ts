// The LLM extractor: asks a model for schema-shaped JSON, checks it against the schema, and applies the done rule itself.
import { generateText, jsonSchema, NoObjectGeneratedError, Output } from "ai";

import { finalizeExtraction } from "../finalize";
import type { ExtractionInput, ExtractionResult, ExtractOptions, Extractor } from "../types";
import { toLlmExtractionError } from "./errors";
import { createLanguageModel, type LlmExtractorConfig } from "./language-model";
import { buildExtractionPrompt } from "./prompt";
import { buildModelJsonSchema, normalizeModelOutput, type NormalizedModelOutput } from "./schema";

/** Reads a JSON object out of text a model wrapped in prose or a ``` fence. */
function parseLooseJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Creates an extractor backed by a language model. Failures (network, HTTP errors, timeouts, unreadable answers) throw
 * an LlmExtractionError; wrap the extractor with createFallbackExtractor to fall back to the built-in one.
 */
export function createLlmExtractor(config: LlmExtractorConfig): Extractor {
  const model = createLanguageModel(config);
  return {
    name: `llm:${config.provider}/${config.model}`,
    async extract(input: ExtractionInput, options?: ExtractOptions): Promise<ExtractionResult> {
      const outputSchema = input.outputSchema;
      const schema = jsonSchema<NormalizedModelOutput>(buildModelJsonSchema(outputSchema), {
        validate: (value) => {
          const normalized = normalizeModelOutput(outputSchema, value);
          return normalized
            ? { success: true, value: normalized }
            : { success: false, error: new Error("The model's answer is not a JSON object.") };
        },
      });
      const { instructions, prompt } = buildExtractionPrompt(input);
      let answer: NormalizedModelOutput;
      try {
        const result = await generateText({
          model,
          instructions,
          prompt,
          output: Output.object({
            schema,
            name: "extraction",
            description: "Data extracted from a tester's response",
          }),
          temperature: 0,
          maxRetries: config.maxRetries,
          timeout: config.timeoutMs,
          abortSignal: options?.signal,
          // Tester responses are not for the provider to keep.
          providerOptions: { openai: { store: false } },
        });
        answer = result.output;
      } catch (error) {
        const recovered =
          NoObjectGeneratedError.isInstance(error) && error.text !== undefined
            ? normalizeModelOutput(outputSchema, parseLooseJsonObject(error.text))
            : undefined;
        if (!recovered) {
          throw toLlmExtractionError(error, {
            aborted: options?.signal?.aborted ?? false,
            timeoutMs: config.timeoutMs,
          });
        }
        answer = recovered;
      }
      // The model never decides finality or status: finalizeExtraction applies the done rule to the response itself.
      return finalizeExtraction(input, answer.values, answer.explanation);
    },
  };
}
