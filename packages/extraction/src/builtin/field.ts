// Reads a schema field (name, description, example) into the terms, unit and hints the extractors match against.
import type { OutputField } from "@eyeball/core";

import { GENERIC_TERMS, groupOf, STOP_WORDS } from "./lexicon";
import { findNumbers, type Unit, unitFromText, unitFromWord } from "./numbers";
import { splitIdentifier } from "./text";

export interface Term {
  group: string;
  weight: number;
  /** -1 when the description negates the term ("without pressing Enter"): mentioning it counts against the field. */
  polarity: 1 | -1;
  fromName: boolean;
}

export type ObjectKeyType = "boolean" | "string" | "number";

export interface FieldProfile {
  name: string;
  type: OutputField["type"];
  description: string;
  example: unknown;
  terms: Map<string, Term>;
  nameWeight: number;
  unit: Unit | null;
  /** -1 when the field being true is bad news ("brokenImages", "feelsSlow"). */
  direction: 1 | -1;
  /** The description asks for "None" when nothing was found. */
  noneOption: boolean;
  /** The field is about the first attempt ("immediately", "without reloading"). */
  firstTry: boolean;
  superlative: "max" | "min" | null;
  threshold: { op: "<" | "<=" | ">" | ">="; value: number; unit: Unit | null } | null;
  keys: { key: string; type: ObjectKeyType }[];
}

const NEGATIVE_NAME_WORDS =
  /\b(?:broken|slow|slowness|expired|missing|hidden|overflow|overflows|crash|crashes|crashed|laggy|wrong|failed|fails|disabled|blurry|truncated|overlap|overlaps|cut|stuck|frozen|dead|jank|janky|lag|flicker|flickers|duplicate|duplicated|errors?|issues?|problems?|bugs?|warnings?)\b/;

function wordsOf(text: string): string[] {
  return text
    .replace(/[“”"‘’']/g, " ")
    .split(/[^\p{L}\p{N}#]+/u)
    .filter(Boolean);
}

/** Builds the profile of one schema field. */
export function profileField(name: string, field: OutputField): FieldProfile {
  const description = field.description;
  const terms = new Map<string, Term>();
  const add = (word: string, fromName: boolean, polarity: 1 | -1): void => {
    const lower = word.toLowerCase();
    if (STOP_WORDS.has(lower) || lower.length < 2 || /^\d+$/.test(lower)) return;
    const group = groupOf(lower);
    if (!group) return;
    const generic = GENERIC_TERMS.has(group);
    const weight = (fromName ? 1 : 0.5) * (generic ? 0.3 : 1);
    const existing = terms.get(group);
    if (existing) {
      if (weight > existing.weight) existing.weight = weight;
      existing.fromName ||= fromName;
      // A word used both ways ("kept … without saving") is read as the positive thing the field asks about.
      if (polarity === 1) existing.polarity = 1;
      return;
    }
    terms.set(group, { group, weight, polarity, fromName });
  };
  const nameWords = splitIdentifier(name);
  for (const w of nameWords) add(w, true, 1);
  // Description words after "without"/"not" are things the field wants absent.
  // "no-results page" is a compound, not a negation.
  const descWords = wordsOf(
    description.replace(/\([^)]*\)/g, " ").replace(/\b(no|non|not)-(?=\p{L})/giu, "$1"),
  );
  // A negation in the description covers the next two content words only ("without pressing Enter"),
  // not the rest of an explanatory clause ("i.e. no slot is offered right after a meeting").
  let negatedLeft = 0;
  for (const w of descWords) {
    const lower = w.toLowerCase();
    // "prevented from editing", "stopped more cards being added": what is prevented is what the field wants absent.
    if (
      /^(?:without|not|no|never|prevent|prevents|prevented|stop|stops|stopped|block|blocks|blocked)$/.test(
        lower,
      )
    ) {
      if (!/^(?:without|not|no|never)$/.test(lower)) add(w, false, 1);
      negatedLeft = 2;
      continue;
    }
    if (/^(?:and|or|but|with|when|while|after|before|so|because|than)$/.test(lower)) negatedLeft = 0;
    add(w, false, negatedLeft > 0 ? -1 : 1);
    if (negatedLeft > 0 && !STOP_WORDS.has(lower)) negatedLeft--;
  }
  let nameWeight = 0;
  for (const t of terms.values()) if (t.fromName) nameWeight += t.weight;

  const nameText = nameWords.join(" ");
  const lowerDesc = description.toLowerCase();
  const shows = /\b(?:shown|show|shows|displayed|display|appear|appears|appeared|visible)\b/.test(
    `${nameText} ${lowerDesc}`,
  );
  const direction: 1 | -1 = NEGATIVE_NAME_WORDS.test(nameText) && !shows ? -1 : 1;

  const example = field.example;
  const unitText = `${description} ${nameWords.join(" ")}`;
  let unit = unitFromText(unitText);
  if (!unit && typeof example === "string") {
    const m = /[\d.]+\s?([a-z%]+)/i.exec(example);
    if (m?.[1]) unit = unitFromWord(m[1]);
  }

  const threshold = parseThreshold(`${nameWords.join(" ")}. ${description}`);

  return {
    name,
    type: field.type,
    description,
    example,
    terms,
    nameWeight,
    unit,
    direction,
    noneOption: /['"“‘]none['"”’]|\bnone\b if|\bor none\b/i.test(description),
    firstTry:
      /\b(?:immediately|right away|straight away|instantly|first (?:try|attempt|time|click)|on the first|without (?:a |any )?(?:reload|refresh|retry|retrying|reloading|refreshing)|without having to)\b/i.test(
        description,
      ),
    superlative: /\b(?:slowest|largest|biggest|highest|most expensive|longest|heaviest|worst|most)\b/i.test(
      description,
    )
      ? "max"
      : /\b(?:fastest|smallest|lowest|cheapest|shortest|lightest|least)\b/i.test(description)
        ? "min"
        : null,
    threshold,
    keys: field.type === "object" ? parseObjectKeys(description, example) : [],
  };
}

/** "under 3 seconds", "less than 2s", "at least 90" in a field's name or description. */
export function parseThreshold(text: string): FieldProfile["threshold"] {
  const m =
    /\b(under|below|less than|fewer than|within|faster than|no more than|at most|over|above|more than|greater than|at least|longer than|slower than)\s+([^.,;]{1,30})/i.exec(
      text,
    );
  if (!m?.[1] || !m[2]) return null;
  const nums = findNumbers(m[2], []);
  const first = nums[0];
  if (!first) return null;
  const op = m[1].toLowerCase();
  const kind = /under|below|less|fewer|faster|within/.test(op)
    ? op === "within"
      ? "<="
      : "<"
    : /no more|at most/.test(op)
      ? "<="
      : /at least/.test(op)
        ? ">="
        : ">";
  return { op: kind, value: first.value, unit: first.unit };
}

/** Keys of an object field: "with boolean keys mobile, tablet and desktop", or the example's keys. */
export function parseObjectKeys(
  description: string,
  example: unknown,
): { key: string; type: ObjectKeyType }[] {
  const keys: { key: string; type: ObjectKeyType }[] = [];
  const exampleObject =
    example && typeof example === "object" && !Array.isArray(example)
      ? (example as Record<string, unknown>)
      : null;
  const m =
    /\b(?:(boolean|string|number|numeric|text|true\/false)\s+)?(?:keys|fields|properties|entries)\s*(?:named|called|for|of)?\s*:?\s*([^.;()]+)/i.exec(
      description,
    );
  if (m?.[2]) {
    const declared = (m[1] ?? "").toLowerCase();
    const list = m[2]
      .replace(/\b(?:each|every|all)\b.*$/i, "")
      .split(/\s*(?:,|\band\b|\bor\b|\/)\s*/)
      .map((s) => (s.trim().split(/\s+/)[0] ?? "").replace(/^['"`]|['"`]$/g, ""))
      .filter((s) => /^[A-Za-z_$][\w$]*$/.test(s));
    for (const key of list) {
      const fromExample = exampleObject?.[key];
      const type: ObjectKeyType =
        declared === "boolean" || declared === "true/false"
          ? "boolean"
          : declared === "number" || declared === "numeric"
            ? "number"
            : declared === "string" || declared === "text"
              ? "string"
              : typeof fromExample === "boolean"
                ? "boolean"
                : typeof fromExample === "number"
                  ? "number"
                  : /\b(?:whether|true|false)\b/i.test(description)
                    ? "boolean"
                    : /\b(?:time|seconds|count|number|price|how many)\b/i.test(description)
                      ? "number"
                      : "string";
      keys.push({ key, type });
    }
  }
  if (!keys.length && exampleObject) {
    for (const [key, value] of Object.entries(exampleObject)) {
      keys.push({
        key,
        type: typeof value === "boolean" ? "boolean" : typeof value === "number" ? "number" : "string",
      });
    }
  }
  return keys;
}
