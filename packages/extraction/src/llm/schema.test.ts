// The model's answer schema and the lenient reading of its answer: wrong types become null, never coerced.
import type { OutputSchema } from "@eyeball/core";
import { describe, expect, it } from "vitest";

import { buildModelJsonSchema, normalizeModelOutput } from "./schema";

const schema: OutputSchema = {
  works: { type: "boolean", description: "Whether it works" },
  seconds: { type: "number", description: "Load time in seconds" },
  message: { type: "string", description: "The error message shown" },
  issues: { type: "array", description: "Issues found" },
  sizes: { type: "object", description: "Per size, with boolean keys mobile and desktop" },
};

describe("buildModelJsonSchema", () => {
  it("asks for an explanation and one nullable, required property per field, with no extra properties", () => {
    const json = buildModelJsonSchema(schema) as {
      required: string[];
      additionalProperties: boolean;
      properties: {
        data: {
          required: string[];
          additionalProperties: boolean;
          properties: Record<string, { type?: unknown; anyOf?: unknown[]; description: string }>;
        };
      };
    };
    expect(json.required).toEqual(["explanation", "data"]);
    expect(json.additionalProperties).toBe(false);
    const data = json.properties.data;
    expect(data.required).toEqual(Object.keys(schema));
    expect(data.additionalProperties).toBe(false);
    expect(data.properties.works!.type).toEqual(["boolean", "null"]);
    expect(data.properties.seconds!.type).toEqual(["number", "null"]);
    expect(data.properties.message!.description).toContain("The error message shown");
    expect(JSON.stringify(data.properties.issues)).toContain('"items":{"type":"string"}');
    expect(JSON.stringify(data.properties.sizes)).toContain('"key"');
  });

  it("has an empty data object without a schema", () => {
    expect(buildModelJsonSchema(undefined)).toMatchObject({ properties: { data: { properties: {} } } });
  });
});

describe("normalizeModelOutput", () => {
  it("keeps values of the declared type", () => {
    expect(
      normalizeModelOutput(schema, {
        explanation: " Fine. ",
        data: {
          works: false,
          seconds: 0.8,
          message: " Oops ",
          issues: ["a", " b "],
          sizes: [
            { key: "mobile", value: true },
            { key: "desktop", value: null },
          ],
        },
      }),
    ).toEqual({
      explanation: "Fine.",
      values: {
        works: false,
        seconds: 0.8,
        message: "Oops",
        issues: ["a", "b"],
        sizes: { mobile: true, desktop: null },
      },
    });
  });

  it("turns wrong types into null rather than coercing them, and drops unknown keys", () => {
    expect(
      normalizeModelOutput(schema, {
        data: { works: "true", seconds: "2", message: 42, issues: "none", sizes: "all fine", extra: 1 },
      }),
    ).toEqual({
      explanation: "",
      values: { works: null, seconds: null, message: null, issues: null, sizes: null },
    });
    expect(
      normalizeModelOutput(schema, { data: { issues: ["ok", 3], seconds: Number.NaN } })?.values,
    ).toMatchObject({
      issues: null,
      seconds: null,
    });
  });

  it("fills missing fields with null, keeps [] for an explicit empty list, and treats blank strings as unanswered", () => {
    expect(
      normalizeModelOutput(schema, { explanation: "x", data: { issues: [], message: "  " } })?.values,
    ).toEqual({
      works: null,
      seconds: null,
      message: null,
      issues: [],
      sizes: null,
    });
  });

  it("accepts a plain object for an object field, keeping only scalar values", () => {
    expect(
      normalizeModelOutput(schema, { data: { sizes: { mobile: true, desktop: { nested: 1 } } } })?.values
        .sizes,
    ).toEqual({
      mobile: true,
      desktop: null,
    });
  });

  it("reads fields a model put at the top level, and rejects answers that are not objects", () => {
    expect(normalizeModelOutput(schema, { explanation: "x", works: true })?.values.works).toBe(true);
    expect(normalizeModelOutput(schema, ["works"])).toBeUndefined();
    expect(normalizeModelOutput(schema, "works")).toBeUndefined();
    expect(normalizeModelOutput(schema, null)).toBeUndefined();
  });
});
