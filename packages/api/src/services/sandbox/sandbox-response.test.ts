import { describe, expect, it } from "vitest";

import { isFinalMessage, type OutputSchema } from "@eyeball/core";
import { extractBuiltin } from "@eyeball/extraction";

import { sandboxScenario } from "./magic-words";
import { incompleteSandboxResponse, sandboxResponse } from "./sandbox-response";

const schema: OutputSchema = {
  checkoutWorks: { type: "boolean", description: "Order placed successfully?" },
  errorMessage: { type: "string", description: "The exact error message shown, if any" },
  issuesFound: { type: "array", description: "List of any UI/UX issues discovered" },
  itemCount: { type: "number", description: "How many items were in the cart" },
  viewports: {
    type: "object",
    description: "Whether the layout looked right at each size, with boolean keys mobile, tablet and desktop",
  },
  pageTimes: { type: "object", description: "Load time in seconds per page, with number keys home and docs" },
};

describe("sandbox responses", () => {
  it("answer every field so that the built-in extractor completes them, and end with done", () => {
    const text = sandboxResponse("https://example.com", schema);
    expect(isFinalMessage(text)).toBe(true);
    const result = extractBuiltin({ outputSchema: schema, testerResponse: text });
    expect(result.status).toBe("completed");
    expect(result.result.data).toMatchObject({
      checkoutWorks: true,
      itemCount: 3,
      viewports: { mobile: true, tablet: true, desktop: true },
      pageTimes: { home: 2, docs: 2 },
    });
  });

  it("leave exactly one field unanswered for [sandbox:incomplete]", () => {
    const text = incompleteSandboxResponse("https://example.com", schema);
    const result = extractBuiltin({ outputSchema: schema, testerResponse: text });
    expect(result.status).toBe("incomplete");
    expect(Object.values(result.result.data).filter((value) => value === null)).toHaveLength(1);
  });

  it('answer "None" where the description asks for it when nothing was found', () => {
    const noneSchema: OutputSchema = {
      buttonWorks: { type: "boolean", description: "Did the button work?" },
      errorMessage: { type: "string", description: 'Any error message that appeared (or "None")' },
    };
    const text = sandboxResponse("https://example.com", noneSchema);
    const result = extractBuiltin({ outputSchema: noneSchema, testerResponse: text });
    expect(result.status).toBe("completed");
    expect(result.result.data).toEqual({ buttonWorks: true, errorMessage: "None" });
  });

  it("without a schema are just final", () => {
    expect(extractBuiltin({ testerResponse: sandboxResponse("https://example.com", null) }).status).toBe(
      "completed",
    );
  });
});

describe("magic words", () => {
  it("are read case-insensitively with error > reject > abandon > incomplete", () => {
    expect(sandboxScenario("Test the signup")).toBe("complete");
    expect(sandboxScenario("x [Sandbox:Incomplete]")).toBe("incomplete");
    expect(sandboxScenario("[sandbox:abandon] [sandbox:reject]")).toBe("reject");
    expect(sandboxScenario("[sandbox:incomplete] [sandbox:error]")).toBe("error");
    expect(sandboxScenario("sandbox:abandon without brackets")).toBe("complete");
  });
});
