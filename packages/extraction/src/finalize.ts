// Turns extracted field values into a contract result: finality from the done rule, status and success from nulls.
import { type ExtractedData, isFinalMessage, type JsonValue } from "@eyeball/core";

import type { ExtractionInput, ExtractionResult } from "./types";

/**
 * Builds the result for a case from per-field values. Keys not in the schema are dropped and missing
 * keys become null, so `data` always has exactly one key per schema field.
 */
export function finalizeExtraction(
  input: ExtractionInput,
  values: Record<string, JsonValue | undefined>,
  explanation: string,
): ExtractionResult {
  const data: ExtractedData = {};
  for (const field of Object.keys(input.outputSchema ?? {})) {
    data[field] = values[field] ?? null;
  }
  const final = isFinalMessage(input.testerResponse);
  const missing = Object.values(data).some((value) => value === null);
  const status = !final ? "not_final" : missing ? "incomplete" : "completed";
  return { final, status, result: { success: status === "completed", explanation, data } };
}
