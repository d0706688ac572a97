// The output-schema builder's pure logic: editable rows ⇄ core's OutputSchema, with messages naming the field.
import {
  FIELD_NAME_PATTERN,
  flattenZodIssues,
  OUTPUT_FIELD_TYPES,
  type OutputFieldType,
  type OutputSchema,
  outputSchemaSchema,
} from "@eyeball/core";

export { OUTPUT_FIELD_TYPES, type OutputFieldType };

/** One field as the form edits it: the example is typed text, parsed per type. */
export interface SchemaRow {
  /** Stable React key; never sent. */
  readonly id: string;
  name: string;
  type: OutputFieldType;
  description: string;
  /** Optional; for string fields the text itself, else JSON (42, true, ["a"], {"k": 1}). */
  example: string;
}

export interface RowErrors {
  name?: string;
  type?: string;
  description?: string;
  example?: string;
}

export interface SchemaBuildResult {
  /** The schema to send; undefined when there are no rows (the request omits it). */
  schema: OutputSchema | undefined;
  /** Errors per row index; empty when valid. */
  rowErrors: Record<number, RowErrors>;
  /** An error about the schema as a whole (too many fields). */
  schemaError: string | null;
  /** Every problem as one line naming the field, for a summary. */
  messages: string[];
}

export const MAX_FIELDS = 50;
export const MAX_FIELD_DESCRIPTION = 2000;

let counter = 0;
export function newRow(patch: Partial<Omit<SchemaRow, "id">> = {}): SchemaRow {
  counter += 1;
  return { id: `row-${counter}`, name: "", type: "string", description: "", example: "", ...patch };
}

/** Rows with the one at `index` moved by `delta` (−1 up, +1 down); unchanged at the ends. */
export function moveRow<T>(rows: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= rows.length || target < 0 || target >= rows.length) return [...rows];
  const next = [...rows];
  const [row] = next.splice(index, 1) as [T];
  next.splice(target, 0, row);
  return next;
}

export function removeRow<T>(rows: readonly T[], index: number): T[] {
  return rows.filter((_, i) => i !== index);
}

type ExampleParse = { ok: true; value: unknown } | { ok: false; message: string };

/** The example text as a value of the field's type; undefined value when left empty. */
export function parseExample(type: OutputFieldType, text: string): ExampleParse {
  if (text.trim() === "") return { ok: true, value: undefined };
  if (type === "string") return { ok: true, value: text };
  if (type === "number") {
    const value = Number(text.trim());
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: "must be a number, e.g. 42" };
  }
  if (type === "boolean") {
    const value = text.trim().toLowerCase();
    if (value === "true" || value === "false") return { ok: true, value: value === "true" };
    return { ok: false, message: "must be true or false" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message:
        type === "array" ? 'must be a JSON array, e.g. ["a", "b"]' : 'must be a JSON object, e.g. {"key": 1}',
    };
  }
  if (type === "array")
    return Array.isArray(value)
      ? { ok: true, value }
      : { ok: false, message: 'must be a JSON array, e.g. ["a", "b"]' };
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? { ok: true, value }
    : { ok: false, message: 'must be a JSON object, e.g. {"key": 1}' };
}

/** How a row is named in messages: its name when it has one, else its position. */
export function rowLabel(row: Pick<SchemaRow, "name">, index: number): string {
  const name = row.name.trim();
  return name ? `Field "${name}"` : `Field ${index + 1}`;
}

/** Rows → OutputSchema, checked by core's own schema (so the portal and the API agree) plus what the form adds. */
export function buildOutputSchema(rows: readonly SchemaRow[]): SchemaBuildResult {
  const rowErrors: Record<number, RowErrors> = {};
  const set = (index: number, key: keyof RowErrors, message: string) => {
    rowErrors[index] ??= {};
    rowErrors[index][key] ??= message;
  };
  const schema: OutputSchema = {};
  const firstIndex = new Map<string, number>();

  rows.forEach((row, index) => {
    const name = row.name.trim();
    if (name === "") set(index, "name", "is required");
    else if (!FIELD_NAME_PATTERN.test(name))
      set(
        index,
        "name",
        "must start with a letter, _ or $ and use only letters, digits, _ or $ (at most 100)",
      );
    else if (firstIndex.has(name))
      set(index, "name", `is already used by field ${(firstIndex.get(name) ?? 0) + 1}`);
    else firstIndex.set(name, index);

    if (!(OUTPUT_FIELD_TYPES as readonly string[]).includes(row.type))
      set(index, "type", `must be one of ${OUTPUT_FIELD_TYPES.join(", ")}`);
    if (row.description.trim() === "")
      set(index, "description", "is required: tell the tester what to report");
    else if (row.description.length > MAX_FIELD_DESCRIPTION)
      set(index, "description", `must be at most ${MAX_FIELD_DESCRIPTION} characters`);
    const example = parseExample(row.type, row.example);
    if (!example.ok) set(index, "example", example.message);

    if (name !== "" && firstIndex.get(name) === index) {
      schema[name] = {
        type: row.type,
        description: row.description.trim(),
        ...(example.ok && example.value !== undefined ? { example: example.value } : {}),
      };
    }
  });

  let schemaError: string | null = rows.length > MAX_FIELDS ? `has at most ${MAX_FIELDS} fields` : null;
  // Core's check, for anything the form's own rules missed; issues name the field by its key.
  const parsed = outputSchemaSchema.safeParse(schema);
  if (!parsed.success) {
    for (const issue of flattenZodIssues(parsed.error.issues)) {
      const [fieldName, key] = issue.path.split(".");
      const index = fieldName === undefined || fieldName === "" ? undefined : firstIndex.get(fieldName);
      if (index === undefined) schemaError ??= issue.message;
      else
        set(
          index,
          key === "type" || key === "description" || key === "example" ? key : "name",
          issue.message,
        );
    }
  }

  const messages: string[] = [];
  if (schemaError) messages.push(`Output schema ${schemaError}`);
  rows.forEach((row, index) => {
    const errors = rowErrors[index];
    if (!errors) return;
    for (const key of ["name", "type", "description", "example"] as const) {
      const message = errors[key];
      if (message) messages.push(`${rowLabel(row, index)}: ${key} ${message}`);
    }
  });
  return { schema: rows.length === 0 ? undefined : schema, rowErrors, schemaError, messages };
}

/** The schema as pretty JSON for the live preview (only complete, uniquely named rows appear). */
export function schemaPreview(rows: readonly SchemaRow[]): string {
  return JSON.stringify(buildOutputSchema(rows).schema ?? {}, null, 2);
}
