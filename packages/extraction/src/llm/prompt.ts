// The extraction prompt: the contract's rules as instructions, then the fields, the integrator's rules, repo context and the response.
import type { OutputSchema } from "@eyeball/core";

import type { ExtractionInput } from "../types";

/** Repo context beyond this many characters is cut: it only explains the product's terms. */
export const MAX_REPO_CONTEXT_CHARS = 20_000;

export const EXTRACTION_INSTRUCTIONS = `You turn a QA tester's written findings about a website into structured data for an output schema.
Answer with one JSON object: {"explanation": string, "data": {one key per schema field}}.

Rules:
1. Every schema field appears in "data". Its value is the value of the declared type that the response supports, or null when the response does not address the field. A response that mentions a topic but gives no answer ("I didn't get to the CSV export", "I didn't check the inbox") leaves the field null. Never guess or invent a value the response does not support.
2. boolean: true or false as stated or clearly implied. Respect negation: "no broken images" gives brokenImages false; "I couldn't log in" gives loginWorks false. Implied answers count: "the order went through and I got confirmation #A1B2" gives orderPlaced true.
3. number: a JSON number from digits or number words, without units, currency symbols or thousands separators: "about 2 seconds" gives 2, "three items" gives 3, "1.5s" gives 1.5, "$24.99" gives 24.99, "$1,299.00" gives 1299. When the field's description names a unit, convert to it ("800 ms" for a field in seconds gives 0.8).
4. string: only the relevant text (an error message, a label, a confirmation number, a device name), not a summary of the response. Quote messages exactly as the site showed them, without the surrounding quote marks. When the description asks for "None" if nothing was found and the response says nothing was found, the value is "None".
5. array: a list of short findings, one item per finding, each in the tester's own words. An explicit "no issues" or "nothing broken" gives []; a response that does not address the list gives null.
6. object: a list of {"key", "value"} entries, one per key named in the field's description; each value follows the rules above for its own type (null when not addressed).
7. When the tester contradicts themselves and then corrects it, the final corrected account wins, read against the field's description: a field "whether the tester was eventually able to submit" is true after a successful retry, while "whether the total updated immediately" is false if a refresh was needed.
8. Additional validation instructions from the integrator take precedence over a plain reading of the response. An instruction whose condition does not hold changes nothing.
9. Do not judge whether the tester has finished: the platform decides that separately. Extract the data the same way whether or not the response looks complete.
10. Repository context, when present, only explains the product's terms; never take a field's value from it.
11. "explanation": one or two sentences for humans on what the response reports.`;

function describeFields(outputSchema: OutputSchema | undefined): string {
  const entries = Object.entries(outputSchema ?? {});
  if (entries.length === 0) return 'This schema has no fields: answer with "data": {}.';
  return entries
    .map(([name, field]) => {
      const example = field.example === undefined ? "" : ` Example: ${JSON.stringify(field.example)}.`;
      return `- "${name}" (${field.type}): ${field.description}${example}`;
    })
    .join("\n");
}

export interface ExtractionPrompt {
  instructions: string;
  prompt: string;
}

/** Builds the instructions and the user prompt for one case. */
export function buildExtractionPrompt(input: ExtractionInput): ExtractionPrompt {
  const sections = [`## Output schema fields\n${describeFields(input.outputSchema)}`];
  const rules = input.additionalValidationInstructions?.trim();
  if (rules) {
    sections.push(
      `## Additional validation instructions (they take precedence over a plain reading of the response)\n${rules}`,
    );
  }
  const context = input.repoContext?.trim();
  if (context) {
    const cut = context.length > MAX_REPO_CONTEXT_CHARS;
    const text = cut ? `${context.slice(0, MAX_REPO_CONTEXT_CHARS)}\n[… cut]` : context;
    sections.push(
      `## Repository context (README / CLAUDE.md of the product under test; for terms only)\n<repo_context>\n${text}\n</repo_context>`,
    );
  }
  sections.push(`## Tester response\n<tester_response>\n${input.testerResponse}\n</tester_response>`);
  return { instructions: EXTRACTION_INSTRUCTIONS, prompt: sections.join("\n\n") };
}
