// The findings checklist: which output-schema fields the tester's draft already answers, read by the same built-in extractor the server runs.
import { isFinalMessage, type JsonValue, type OutputSchema } from "@eyeball/core";
import { extractBuiltin } from "@eyeball/extraction/builtin";

export interface ChecklistItem {
  name: string;
  type: string;
  description: string;
  /** What the draft says for this field, as the extractor reads it; null while unanswered. */
  value: JsonValue;
  answered: boolean;
}

export interface DraftCheck {
  items: ChecklistItem[];
  unanswered: string[];
  /** The done rule: the last word is "done". */
  final: boolean;
}

export function checkDraft(outputSchema: OutputSchema | null, draft: string): DraftCheck {
  const schema = outputSchema ?? {};
  const text = draft.trim();
  const data: Record<string, JsonValue> =
    text === "" ? {} : extractBuiltin({ outputSchema: schema, testerResponse: text }).result.data;
  const items = Object.entries(schema).map(([name, field]) => {
    const value = data[name] ?? null;
    return { name, type: field.type, description: field.description, value, answered: value !== null };
  });
  return {
    items,
    unanswered: items.filter((item) => !item.answered).map((item) => item.name),
    final: isFinalMessage(text),
  };
}

export function showValue(value: JsonValue): string {
  if (value === null) return "";
  if (typeof value === "string") return `“${value}”`;
  return JSON.stringify(value);
}
