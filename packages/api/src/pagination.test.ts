import { describe, expect, it } from "vitest";

import { isDomainError } from "@eyeball/core";

import { decodeCursor, encodeCursor, pageLimit, pageRequestSchema } from "./pagination";

describe("cursors", () => {
  it("round-trips a position", () => {
    expect(decodeCursor(encodeCursor([10, "abc"]), ["number", "string"])).toEqual([10, "abc"]);
  });

  it("refuses cursors it did not make, naming the field", () => {
    for (const bad of ["nope", encodeCursor(["x", "y"]), encodeCursor([1])]) {
      try {
        decodeCursor(bad, ["number", "string"]);
        expect.unreachable();
      } catch (error) {
        expect(
          isDomainError(error) && error.code === "VALIDATION" && error.message.startsWith("cursor:"),
        ).toBe(true);
      }
    }
  });

  it("bounds the limit", () => {
    expect(pageLimit(undefined)).toBe(20);
    expect(pageLimit(1000)).toBe(100);
    expect(pageRequestSchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(pageRequestSchema.parse({ limit: "5" })).toEqual({ limit: 5 });
  });
});
