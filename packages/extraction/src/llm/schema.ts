// The model's answer shape built from the integrator's output schema, and the lenient check that turns it into field values.
import { type JsonValue, type OutputField, type OutputSchema } from "@eyeball/core";
import { z } from "zod";

/** What an `object` field's value may hold: the contract keeps objects shallow. */
const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * `object` fields travel as a list of {key, value} entries: strict structured outputs (OpenAI, Anthropic) reject open
 * objects, and the keys are only named in the field's description.
 */
const entriesSchema = z.array(z.strictObject({ key: z.string(), value: scalarSchema }));

/** The wire type of one field's value, before null. */
function fieldValueSchema(field: OutputField): z.ZodType {
  switch (field.type) {
    case "boolean":
      return z.boolean();
    case "number":
      return z.number();
    case "string":
      return z.string();
    case "array":
      return z.array(z.string());
    case "object":
      return entriesSchema;
  }
}

function wireDescription(field: OutputField): string {
  const suffix =
    field.type === "object"
      ? " Give one {key, value} entry per key named in the description."
      : field.type === "array"
        ? " One item per finding."
        : "";
  return `${field.description}${suffix} Null when the response does not address it.`;
}

/** The zod schema of the model's answer: an explanation, then one nullable value per schema field. */
export function buildModelOutputSchema(outputSchema: OutputSchema | undefined): z.ZodType {
  const fields: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(outputSchema ?? {})) {
    fields[name] = fieldValueSchema(field).nullable().describe(wireDescription(field));
  }
  return z.strictObject({
    explanation: z.string().describe("One or two sentences for humans on what the response reports."),
    data: z.strictObject(fields),
  });
}

/** The JSON schema sent to the provider (draft-07, inlined, every property required, no additional properties). */
export function buildModelJsonSchema(outputSchema: OutputSchema | undefined): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(buildModelOutputSchema(outputSchema), {
    target: "draft-7",
    io: "input",
    reused: "inline",
  });
  return schema;
}

export interface NormalizedModelOutput {
  explanation: string;
  /** One key per schema field; a value the model gave with the wrong type is null, never coerced. */
  values: Record<string, JsonValue>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function normalizeObject(raw: unknown): JsonValue {
  const object: Record<string, JsonValue> = {};
  const entries = entriesSchema.safeParse(raw);
  if (entries.success) {
    for (const { key, value } of entries.data) object[key] = value;
  } else if (isRecord(raw)) {
    // Some models answer with a plain object despite the entries schema; accept its scalar values only.
    for (const [key, value] of Object.entries(raw)) {
      const scalar = scalarSchema.safeParse(value);
      object[key] = scalar.success ? scalar.data : null;
    }
  } else {
    return null;
  }
  return Object.keys(object).length === 0 ? null : object;
}

function normalizeField(field: OutputField, raw: unknown): JsonValue {
  if (raw === undefined || raw === null) return null;
  switch (field.type) {
    case "boolean":
      return typeof raw === "boolean" ? raw : null;
    case "number":
      return typeof raw === "number" && Number.isFinite(raw) ? raw : null;
    case "string": {
      if (typeof raw !== "string") return null;
      const text = raw.trim();
      return text === "" ? null : text;
    }
    case "array": {
      const items = z.array(z.string()).safeParse(raw);
      return items.success ? items.data.map((item) => item.trim()).filter((item) => item !== "") : null;
    }
    case "object":
      return normalizeObject(raw);
  }
}

/**
 * Reads the model's answer against the output schema: missing keys and wrong-typed values become null, keys not in
 * the schema are dropped. Returns undefined when the answer is not an object at all (a malformed answer).
 */
export function normalizeModelOutput(
  outputSchema: OutputSchema | undefined,
  answer: unknown,
): NormalizedModelOutput | undefined {
  if (!isRecord(answer)) return undefined;
  // Tolerate a model that put the fields at the top level instead of under "data".
  const data = isRecord(answer.data) ? answer.data : answer;
  const values: Record<string, JsonValue> = {};
  for (const [name, field] of Object.entries(outputSchema ?? {})) {
    values[name] = normalizeField(field, data[name]);
  }
  const explanation = typeof answer.explanation === "string" ? answer.explanation.trim() : "";
  return { explanation, values };
}
