// The built-in extractor: deterministic, offline rules that turn a tester's words into schema data.
import type { JsonValue } from "@eyeball/core";

import { finalizeExtraction } from "../finalize";
import type { ExtractionInput, ExtractionResult, Extractor } from "../types";
import { extractArray } from "./array";
import { extractBoolean } from "./boolean";
import { buildContext, type Context } from "./context";
import { type FieldProfile, profileField } from "./field";
import { applyInstructions } from "./instructions";
import { extractNumber } from "./number";
import { extractObject } from "./object";
import { extractString } from "./string";

function extractField(ctx: Context, profile: FieldProfile): JsonValue {
  switch (profile.type) {
    case "boolean":
      return extractBoolean(ctx, profile);
    case "number":
      return extractNumber(ctx, profile);
    case "string":
      return extractString(ctx, profile);
    case "array":
      return extractArray(ctx, profile);
    case "object":
      return extractObject(ctx, profile);
  }
}

function explain(values: Record<string, JsonValue>, notes: readonly string[], final: boolean): string {
  const names = Object.keys(values);
  const missing = names.filter((n) => values[n] === null);
  const parts: string[] = [];
  if (!names.length) parts.push("No output schema; only the done rule applies.");
  else if (!missing.length) parts.push(`All ${names.length} field(s) answered by the response.`);
  else
    parts.push(
      `${names.length - missing.length} of ${names.length} field(s) answered; not addressed: ${missing.join(", ")}.`,
    );
  parts.push(...notes.map((n) => `${n}.`));
  parts.push(
    final ? 'The response ends with "done".' : 'The response does not end with "done", so it is not final.',
  );
  return parts.join(" ");
}

/** Synchronous extraction, for batch use (the CLI and the grader run many cases). */
export function extractBuiltin(input: ExtractionInput): ExtractionResult {
  const profiles = Object.entries(input.outputSchema ?? {}).map(([name, field]) => profileField(name, field));
  const ctx = buildContext(input, profiles);
  const values: Record<string, JsonValue> = {};
  for (const profile of profiles) {
    try {
      values[profile.name] = extractField(ctx, profile);
    } catch (error) {
      // A rule bug must not sink the whole case: the field is reported as unanswered instead.
      console.error(`builtin extractor: field ${profile.name} failed: ${String(error)}`);
      values[profile.name] = null;
    }
  }
  const notes = applyInstructions(ctx, profiles, values);
  const draft = finalizeExtraction(input, values, "");
  return finalizeExtraction(input, values, explain(draft.result.data, notes, draft.final));
}

export function createBuiltinExtractor(): Extractor {
  return {
    name: "builtin",
    extract(input: ExtractionInput): Promise<ExtractionResult> {
      return Promise.resolve(extractBuiltin(input));
    },
  };
}
