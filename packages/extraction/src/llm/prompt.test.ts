// The prompt carries the contract's rules, every field, the integrator's rules and the repo context.
import { describe, expect, it } from "vitest";

import { buildExtractionPrompt, EXTRACTION_INSTRUCTIONS, MAX_REPO_CONTEXT_CHARS } from "./prompt";

describe("buildExtractionPrompt", () => {
  it("states the contract's rules in the instructions", () => {
    for (const rule of [
      "null",
      "negation",
      "800 ms",
      '"None"',
      "no issues",
      "corrected",
      "take precedence",
      "platform decides",
    ]) {
      expect(EXTRACTION_INSTRUCTIONS).toContain(rule);
    }
  });

  it("lists fields with type, description and example, then the rules, the repo context and the response", () => {
    const { instructions, prompt } = buildExtractionPrompt({
      outputSchema: {
        total: { type: "number", description: "Cart total in dollars", example: 24.99 },
        note: { type: "string", description: "Any note" },
      },
      testerResponse: "Total was $17.99. done",
      additionalValidationInstructions: "Ignore tax.",
      repoContext: "# Shop\nA demo shop.",
    });
    expect(instructions).toBe(EXTRACTION_INSTRUCTIONS);
    expect(prompt).toContain('- "total" (number): Cart total in dollars Example: 24.99.');
    expect(prompt).toContain('- "note" (string): Any note');
    const order = ["## Output schema fields", "Ignore tax.", "A demo shop.", "Total was $17.99. done"].map(
      (text) => prompt.indexOf(text),
    );
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("leaves out empty sections, says so when there are no fields, and cuts a long repo context", () => {
    const { prompt } = buildExtractionPrompt({
      testerResponse: "done",
      additionalValidationInstructions: "  ",
      repoContext: "x".repeat(MAX_REPO_CONTEXT_CHARS + 50),
    });
    expect(prompt).toContain('answer with "data": {}');
    expect(prompt).not.toContain("Additional validation instructions");
    expect(prompt).toContain("[… cut]");
    expect(prompt).not.toContain("x".repeat(MAX_REPO_CONTEXT_CHARS + 1));
  });
});
