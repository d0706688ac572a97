// The simulated tester's written findings: one plain sentence per output-schema field, ending with "done".
import { type OutputField, type OutputSchema } from "@eyeball/core";
import { extractBuiltin } from "@eyeball/extraction";

const DEFAULT_ITEMS = ["the footer overlaps the cookie banner", "the logo looks blurry on retina screens"];

/** "Does login work?" → "Does login work" — the description read back as the question being answered. */
function topic(field: OutputField, name: string): string {
  const text = field.description
    .trim()
    // "…, with number keys home and docs": the keys are answered one by one instead.
    .replace(/,?\s*with\s+(?:\w+\s+)?(?:keys|fields|properties)\b.*$/iu, "")
    .replace(/[?.!:\s]+$/u, "");
  return text.length > 0 ? text : name;
}

/** Keys of an object field: from the example's keys, or "… keys a, b and c" in the description. */
export function objectKeys(field: OutputField): { key: string; type: "boolean" | "string" | "number" }[] {
  const example = field.example;
  if (example !== null && typeof example === "object" && !Array.isArray(example)) {
    return Object.entries(example as Record<string, unknown>).map(([key, value]) => ({
      key,
      type: typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string",
    }));
  }
  const match =
    /\b(?:(boolean|string|number|numeric|text)\s+)?(?:keys|fields|properties)\s*(?:named|called)?\s*:?\s*([^.;()]+)/i.exec(
      field.description,
    );
  if (!match?.[2]) return [];
  const type = match[1]?.toLowerCase();
  const keyType =
    type === "boolean" ? "boolean" : type === "number" || type === "numeric" ? "number" : "string";
  return match[2]
    .split(/,|\band\b/)
    .map((key) => key.trim())
    .filter((key) => /^[A-Za-z_$][\w$]*$/.test(key))
    .map((key) => ({ key, type: keyType }));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The example when there is one; "None" when the description asks for it when nothing was found. */
function stringAnswer(field: OutputField): string {
  if (typeof field.example === "string" && field.example.length > 0) return field.example;
  return /\bnone\b/i.test(field.description) ? "None" : "Everything looked correct";
}

function answer(name: string, field: OutputField): string {
  const about = topic(field, name);
  const example = field.example;
  switch (field.type) {
    case "boolean":
      return `${about}: yes, it does.`;
    case "number":
      return `${about}: ${typeof example === "number" ? String(example) : "3"}.`;
    case "string":
      return `${about}: "${stringAnswer(field)}".`;
    case "array": {
      const items =
        Array.isArray(example) && example.length > 0 && example.every((item) => typeof item === "string")
          ? example
          : DEFAULT_ITEMS;
      return `${about}: ${items.join(", ")}.`;
    }
    case "object": {
      const keys = objectKeys(field);
      if (keys.length === 0) return `${about}: everything looked fine.`;
      const parts = keys.map(({ key, type }) =>
        type === "boolean"
          ? `${capitalise(key)} is fine`
          : type === "number"
            ? `${capitalise(key)}: 2`
            : `${capitalise(key)}: looks right`,
      );
      return `${about}. ${parts.join(". ")}.`;
    }
  }
}

export interface SandboxResponseOptions {
  /** Leave this field unanswered ("I didn't get to check …"), for `[sandbox:incomplete]`. */
  skipField?: string | undefined;
}

/**
 * A realistic response for a schema: an opening line, one sentence per field that answers it in
 * plain words (using the field's example when there is one), and a closing "Done." so the done rule
 * makes it final.
 */
export function sandboxResponse(
  url: string,
  schema: OutputSchema | null,
  options: SandboxResponseOptions = {},
): string {
  const lines = [`I opened ${url} and went through the instructions step by step.`];
  for (const [name, field] of Object.entries(schema ?? {})) {
    if (name === options.skipField) {
      const about = topic(field, name);
      lines.push(`I didn't get to check ${about.charAt(0).toLowerCase()}${about.slice(1)}.`);
      continue;
    }
    lines.push(answer(name, field));
  }
  lines.push("That covers everything I was asked to check. Done.");
  return lines.join("\n");
}

/**
 * A response that leaves one field unanswered. The built-in extractor (pure and offline) checks
 * each candidate, last field first, so that the field really reads as unanswered rather than
 * picking up a neighbouring sentence; with no schema there is no field to leave out.
 */
export function incompleteSandboxResponse(url: string, schema: OutputSchema | null): string {
  const names = Object.keys(schema ?? {}).reverse();
  for (const name of names) {
    const text = sandboxResponse(url, schema, { skipField: name });
    const check = extractBuiltin({ outputSchema: schema ?? undefined, testerResponse: text });
    if (check.result.data[name] === null) return text;
  }
  return sandboxResponse(url, schema, { skipField: names[0] });
}
