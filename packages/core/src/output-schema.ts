// The integrator's output schema: a flat map of field name to {type, description, example?}.
import { z } from "zod";

export const OUTPUT_FIELD_TYPES = ["boolean", "string", "number", "array", "object"] as const;
export type OutputFieldType = (typeof OUTPUT_FIELD_TYPES)[number];

export const outputFieldSchema = z.object({
  type: z.enum(OUTPUT_FIELD_TYPES, {
    error: () => `type must be one of ${OUTPUT_FIELD_TYPES.join(", ")}`,
  }),
  description: z.string({ error: "description must be a string" }).max(2000),
  example: z.unknown().optional(),
});
export type OutputField = z.infer<typeof outputFieldSchema>;

/** Field names follow JavaScript identifier rules so they map cleanly to JSON keys and code. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]{0,99}$/;

export const outputSchemaSchema = z
  .record(
    z.string().regex(FIELD_NAME_PATTERN, "field names must be identifiers of at most 100 characters"),
    outputFieldSchema,
  )
  .refine((schema) => Object.keys(schema).length <= 50, "an output schema has at most 50 fields");
export type OutputSchema = z.infer<typeof outputSchemaSchema>;

/** A JSON value as extraction produces it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The data extracted for a schema: exactly one key per field, null when the response does not address it. */
export type ExtractedData = Record<string, JsonValue>;
