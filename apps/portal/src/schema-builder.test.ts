import { describe, expect, it } from "vitest";

import { outputSchemaSchema } from "@eyeball/core";

import { buildOutputSchema, moveRow, newRow, parseExample, removeRow, schemaPreview } from "./schema-builder";

describe("buildOutputSchema", () => {
  it("turns rows into core's OutputSchema, in order, with typed examples", () => {
    const result = buildOutputSchema([
      newRow({
        name: "checkoutWorks",
        type: "boolean",
        description: "Whether it completes",
        example: "true",
      }),
      newRow({ name: "total", type: "string", description: "The total", example: "$12.00" }),
      newRow({ name: "items", type: "number", description: "Items in cart", example: " 3 " }),
      newRow({ name: "steps", type: "array", description: "Steps taken", example: '["a","b"]' }),
      newRow({ name: "meta", type: "object", description: "Anything else" }),
    ]);
    expect(result.messages).toEqual([]);
    expect(result.schema).toEqual({
      checkoutWorks: { type: "boolean", description: "Whether it completes", example: true },
      total: { type: "string", description: "The total", example: "$12.00" },
      items: { type: "number", description: "Items in cart", example: 3 },
      steps: { type: "array", description: "Steps taken", example: ["a", "b"] },
      meta: { type: "object", description: "Anything else" },
    });
    expect(Object.keys(result.schema ?? {})).toEqual(["checkoutWorks", "total", "items", "steps", "meta"]);
    expect(outputSchemaSchema.safeParse(result.schema).success).toBe(true);
  });

  it("omits the schema when there are no rows", () => {
    expect(buildOutputSchema([])).toMatchObject({ schema: undefined, messages: [], schemaError: null });
  });

  it("names the field in every message: empty, invalid and duplicate names, missing description, bad example", () => {
    const result = buildOutputSchema([
      newRow({ name: "", description: "x" }),
      newRow({ name: "2fast", description: "x" }),
      newRow({ name: "total", description: "" }),
      newRow({ name: "total", description: "again" }),
      newRow({ name: "count", type: "number", description: "n", example: "many" }),
    ]);
    expect(result.rowErrors[0]).toEqual({ name: "is required" });
    expect(result.rowErrors[1]?.name).toMatch(/must start with a letter/);
    expect(result.rowErrors[2]).toEqual({ description: "is required: tell the tester what to report" });
    expect(result.rowErrors[3]).toEqual({ name: "is already used by field 3" });
    expect(result.rowErrors[4]).toEqual({ example: "must be a number, e.g. 42" });
    expect(result.messages).toEqual([
      "Field 1: name is required",
      expect.stringMatching(/^Field "2fast": name must start with a letter/),
      'Field "total": description is required: tell the tester what to report',
      'Field "total": name is already used by field 3',
      'Field "count": example must be a number, e.g. 42',
    ]);
  });

  it("refuses more than 50 fields, as core does", () => {
    const rows = Array.from({ length: 51 }, (_, i) => newRow({ name: `f${i}`, description: "d" }));
    const result = buildOutputSchema(rows);
    expect(result.schemaError).toBe("has at most 50 fields");
    expect(result.messages[0]).toBe("Output schema has at most 50 fields");
  });

  it("previews only what would be sent", () => {
    expect(schemaPreview([newRow({ name: "ok", type: "boolean", description: "Fine?" }), newRow()])).toBe(
      JSON.stringify({ ok: { type: "boolean", description: "Fine?" } }, null, 2),
    );
  });
});

describe("parseExample", () => {
  it("parses by type and says what is expected", () => {
    expect(parseExample("string", "")).toEqual({ ok: true, value: undefined });
    expect(parseExample("boolean", "FALSE")).toEqual({ ok: true, value: false });
    expect(parseExample("boolean", "yes")).toEqual({ ok: false, message: "must be true or false" });
    expect(parseExample("array", '{"a":1}')).toMatchObject({ ok: false, message: /JSON array/ });
    expect(parseExample("object", "[1]")).toMatchObject({ ok: false, message: /JSON object/ });
    expect(parseExample("object", '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe("row order", () => {
  it("moves and removes rows, ignoring moves past the ends", () => {
    expect(moveRow(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveRow(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveRow(["a", "b"], 0, -1)).toEqual(["a", "b"]);
    expect(removeRow(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });
});
