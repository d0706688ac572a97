// Additional validation instructions: conditional overrides ("If X, mark f as false"), "only if" rules and aggregations.
import type { JsonValue } from "@eyeball/core";

import { type Context, relevanceOf } from "./context";
import type { FieldProfile } from "./field";
import { groupOf, sentimentOf, STOP_WORDS } from "./lexicon";
import { type Aggregate, extractNumber } from "./number";
import { convert, findNumbers } from "./numbers";
import { parseDoc, type Token } from "./text";

const VERB =
  "(?:mark|set|treat|report|record|consider|count|return|make|flag|use|fill|give|output|leave|put)";
const CONDITIONAL_FIRST = new RegExp(
  `^\\s*(?:if|when|whenever|in case)\\s+(.+?),\\s*(?:then\\s+)?${VERB}\\s+(?:the\\s+)?(?:field\\s+)?(.+?)\\s+(?:as|to|=|at|be)\\s+(.+?)\\s*$`,
  "i",
);
const CONDITIONAL_LAST = new RegExp(
  `^\\s*(?:only\\s+)?${VERB}\\s+(?:the\\s+)?(?:field\\s+)?(.+?)\\s+(?:as|to|=|be)\\s+(.+?)\\s+(only if|only when|if|when|whenever|unless|provided that)\\s+(.+?)\\s*$`,
  "i",
);
const MUST_BE =
  /^\s*(?:the\s+)?(.+?)\s+(?:(?:must|should|shall|is to|has to)\s+be|is|are)\s+((?:only\s+)?.+?)\s+(only if|only when|if|when|unless)\s+(.+?)\s*$/i;
const CONDITION_FILLER = /\b(?:the tester|tester|testers|they|the response|the report|he|she|it)\s+/gi;
const GENERIC_CONDITION_WORDS = new Set([
  "tester",
  "page",
  "site",
  "mention",
  "mentions",
  "report",
  "reports",
  "say",
  "says",
  "note",
  "notes",
  "describe",
  "describes",
  "encounter",
  "encountered",
  "experience",
  "experienced",
  "see",
  "saw",
  "sees",
  "get",
  "got",
  "gets",
  "any",
  "ever",
  "at",
  "least",
  "once",
  "response",
  "also",
  "first",
  "eventually",
]);

type Value = { kind: "value"; value: JsonValue } | { kind: "none" };

function parseValue(raw: string, profile: FieldProfile): Value {
  const v = raw
    .trim()
    .replace(/[.!]+$/, "")
    .replace(/,?\s*even (?:if|though|when).*$/i, "")
    .trim();
  const lower = v.toLowerCase().replace(/^['"`]|['"`]$/g, "");
  if (
    /^(?:null|empty|blank|unknown|missing|unanswered|nothing|none\b(?! ['"]))/.test(lower) &&
    profile.type !== "string"
  )
    return { kind: "value", value: null };
  if (/^(?:null|empty|blank|unknown)$/.test(lower)) return { kind: "value", value: null };
  if (profile.type === "boolean") {
    if (
      /^(?:false|no|not\b|un|in|failed|failing|broken|negative|off)/.test(lower) &&
      !/^(?:in working|in order)/.test(lower)
    )
      return { kind: "value", value: false };
    return { kind: "value", value: true };
  }
  if (profile.type === "number") {
    const n = findNumbers(v, []).find((x) => !x.weak);
    return n ? { kind: "value", value: convert(n.value, n.unit, profile.unit) } : { kind: "none" };
  }
  if (profile.type === "string") {
    const q = /['"“‘](.+?)['"”’]/.exec(v);
    return { kind: "value", value: q?.[1] ?? v };
  }
  if (profile.type === "array" && /^(?:an? )?empty (?:list|array)|^\[\]$/.test(lower))
    return { kind: "value", value: [] };
  return { kind: "none" };
}

function negate(value: JsonValue): JsonValue {
  return typeof value === "boolean" ? !value : null;
}

function termsOf(phrase: string): Token[] {
  return parseDoc(phrase).tokens.filter(
    (t) =>
      t.group && !STOP_WORDS.has(t.lower) && !GENERIC_CONDITION_WORDS.has(t.lower) && !/^\d/.test(t.lower),
  );
}

/** Whether the response says the (positive) thing a condition names: its key terms occur together, not negated. */
function mentioned(ctx: Context, phrase: string, loose = false): boolean {
  const terms = termsOf(phrase);
  if (!terms.length) return false;
  const groups = [...new Set(terms.map((t) => t.group))];
  const head = groups[0] ?? "";
  const need = loose ? 1 : Math.max(1, Math.ceil(groups.length * 0.6));
  // A condition word of failure ("failed", "crashed", "error") is met by any report of failure in the sentence.
  const badGroups = new Set(terms.filter((t) => sentimentOf(t.lower) < 0).map((t) => t.group));
  for (const sentence of ctx.doc.sentences) {
    const found = new Set<string>();
    let bad = false;
    for (const clause of sentence.clauses) {
      let negated = false;
      for (const t of clause.tokens) {
        if (t.negation && !t.inQuote) {
          negated = true;
          if (!/^(?:no|not|never|none|nothing|without)$/.test(t.lower)) bad = true;
        } else if (!negated && groups.includes(t.group)) found.add(t.group);
        else if (!t.inQuote && (sentimentOf(t.lower) < 0 || t.group === groupOf("timeout"))) bad = true;
      }
    }
    if (bad) for (const g of badGroups) found.add(g);
    const headFound = found.has(head) || (badGroups.has(head) && bad);
    if (headFound && found.size >= need) return true;
  }
  return false;
}

const COMPARATOR =
  /\b(under|below|less than|fewer than|within|faster than|no more than|at most|over|above|more than|greater than|longer than|slower than|at least)\s+(\S+(?:\s+\S+)?)/i;

/** Whether an instruction's condition holds for the response. */
/** Whether the response says there was none of something ("found no results", "0 results", "nothing came back"). */
function saysNone(ctx: Context, noun: string): boolean {
  const group = groupOf(noun);
  for (const sentence of ctx.doc.sentences) {
    let negatedAt = -Infinity;
    for (const t of sentence.tokens) {
      if (t.inQuote) continue;
      if (t.negation || t.lower === "0") negatedAt = t.index;
      else if (t.group === group && t.index - negatedAt <= 3) return true;
    }
  }
  return false;
}

export function conditionHolds(ctx: Context, condition: string, loose = false): boolean {
  let c = condition
    .trim()
    .replace(/[.!]+$/, "")
    .replace(/,?\s*even (?:if|though|when).*$/i, "")
    .replace(CONDITION_FILLER, "")
    .trim();
  const cmp = COMPARATOR.exec(c);
  if (cmp?.[1] && cmp[2]) {
    const limit = findNumbers(cmp[2], [])[0];
    if (limit?.unit) {
      const unit = limit.unit;
      const values = ctx.numbers
        .filter((n) => n.unit?.kind === unit.kind && !n.inQuote)
        .map((n) => convert(n.value, n.unit, unit));
      if (values.length) {
        const op = cmp[1].toLowerCase();
        const test = (v: number): boolean =>
          /under|below|less|fewer|faster/.test(op)
            ? v < limit.value
            : /within|no more|at most/.test(op)
              ? v <= limit.value
              : /at least/.test(op)
                ? v >= limit.value
                : v > limit.value;
        return /\b(?:any|some|at least one|one of)\b/i.test(c) ? values.some(test) : values.every(test);
      }
    }
  }
  const negated =
    /^(?:did not|didn't|didnt|does not|doesn't|do not|don't|never|has not|hasn't|have not|haven't|had not|hadn't|was not|wasn't|is not|isn't|fails? to|failed to|forgot to|forgets to|neglect(?:s|ed)? to|omits?|skips?|skipped)\s+/i.exec(
      c,
    );
  // "did not reopen the document": any report of the action ("reopened the same PDF") means it happened.
  if (negated) return !conditionHolds(ctx, c.slice(negated[0].length), true);
  // "the lookup returned no addresses": the response must say there were none, not just name addresses.
  const none = /\b(?:no|zero|none of the|not any)\s+([\p{L}]+)/iu.exec(c);
  if (none?.[1] && none.index > 0) return saysNone(ctx, none[1]);
  c = c
    .replace(/\b(?:after|before|until|while|once|so that|in order to|for\s+\w+(?:\s+\w+)?\s+to)\b.*$/i, "")
    .trim();
  c = c.replace(
    /^(?:had to|has to|have to|needed to|needs to|need to|was forced to|must|mentions?|mentioned|reports?|reported|says?|said|notes?|noted|describes?|described|encounters?|encountered|experiences?|experienced|sees?|saw|seen|gets?|got|hits?|hit|runs? into|ran into)\s+/i,
    "",
  );
  const alternatives = c.split(/\s*(?:,\s*)?\b(?:or|and\/or)\b\s*/i).filter(Boolean);
  return alternatives.some((alt) => mentioned(ctx, alt, loose));
}

/** Conditions like "if the tester lists several prices" hold unless the response plainly contradicts them. */
function conditionHoldsLoosely(ctx: Context, condition: string): boolean {
  return (
    !/^\s*(?:the tester\s+)?(?:did not|didn't|never)\b/i.test(condition) || conditionHolds(ctx, condition)
  );
}

function aggregateOf(text: string): Aggregate | null {
  const m =
    /\b(slowest|longest|highest|largest|biggest|maximum|max|worst|fastest|shortest|lowest|smallest|minimum|min|quickest|average|mean|first|earliest|last|latest|final|most recent|total|sum)\b/i.exec(
      text,
    );
  if (!m?.[1]) return null;
  const w = m[1].toLowerCase();
  if (/slowest|longest|highest|largest|biggest|maximum|max|worst/.test(w)) return "max";
  if (/fastest|shortest|lowest|smallest|minimum|min|quickest/.test(w)) return "min";
  if (/average|mean/.test(w)) return "mean";
  if (/first|earliest/.test(w)) return "first";
  if (/total|sum/.test(w)) return "sum";
  return "last";
}

/** The field an instruction talks about: named verbatim, or the one whose terms it matches best. */
function targetField(text: string, profiles: readonly FieldProfile[]): FieldProfile | null {
  const lower = text.toLowerCase();
  const named = profiles.filter((p) =>
    new RegExp(`\\b${p.name.toLowerCase().replace(/[$]/g, "\\$")}\\b`).test(lower),
  );
  if (named.length) return named.sort((a, b) => b.name.length - a.name.length)[0] ?? null;
  const tokens = parseDoc(text).tokens;
  let best: { p: FieldProfile; score: number } | null = null;
  for (const p of profiles) {
    const score = relevanceOf(p, tokens);
    if (score > 0 && (!best || score > best.score)) best = { p, score };
  }
  return best && best.score >= 0.9 ? best.p : null;
}

/** Applies the integrator's instructions to the extracted values, in order. */
export function applyInstructions(
  ctx: Context,
  profiles: readonly FieldProfile[],
  values: Record<string, JsonValue>,
): string[] {
  const notes: string[] = [];
  const raw = ctx.input.additionalValidationInstructions?.trim();
  if (!raw || !profiles.length) return notes;
  const sentences = raw
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const sentence of sentences) {
    const s = sentence.replace(/[.!;]+$/, "");
    let m = CONDITIONAL_FIRST.exec(s);
    let condition: string | null = null;
    let targetText = "";
    let valueText = "";
    let mode = "if";
    if (m?.[1] && m[2] && m[3]) {
      condition = m[1];
      targetText = m[2];
      valueText = m[3];
    } else if ((m = CONDITIONAL_LAST.exec(s) ?? MUST_BE.exec(s)) && m[1] && m[2] && m[3] && m[4]) {
      targetText = m[1];
      valueText = m[2];
      mode = m[3].toLowerCase();
      condition = m[4];
      // "Only count X as true if …", "X is only true if …" are only-if rules.
      if (/^only\s+/i.test(valueText)) {
        valueText = valueText.replace(/^only\s+/i, "");
        if (!mode.startsWith("only") && mode !== "unless") mode = `only ${mode}`;
      }
      if (/^\s*only\b/i.test(s) && !mode.startsWith("only") && mode !== "unless") mode = `only ${mode}`;
    }
    if (condition !== null) {
      const target = targetField(targetText, profiles) ?? targetField(s, profiles);
      if (!target) continue;
      const parsed = parseValue(valueText, target);
      if (parsed.kind === "none") {
        // "If they list several prices, report hotelPrice as the lowest one": an aggregation, read below.
        const agg = aggregateOf(valueText);
        if (agg && target.type === "number") {
          const value = extractNumber(ctx, target, agg);
          if (value !== null && conditionHoldsLoosely(ctx, condition)) values[target.name] = value;
        }
        continue;
      }
      const holds = conditionHolds(ctx, condition);
      const current = values[target.name] ?? null;
      let next: JsonValue = current;
      if (mode.startsWith("only"))
        next = holds ? (target.type === "boolean" ? parsed.value : current) : negate(parsed.value);
      else if (mode === "unless")
        next = holds ? (target.type === "boolean" ? negate(parsed.value) : current) : parsed.value;
      else if (holds) next = parsed.value;
      if (JSON.stringify(next) !== JSON.stringify(current)) {
        values[target.name] = next;
        notes.push(`${target.name} set to ${JSON.stringify(next)} by an instruction`);
      }
      continue;
    }
    // "Report loadTimeSeconds using the slowest of the tester's measurements."
    const agg = aggregateOf(s);
    const target = targetField(s, profiles);
    if (agg && target?.type === "number") {
      const value = extractNumber(ctx, target, agg);
      if (value !== null && value !== values[target.name]) {
        values[target.name] = value;
        notes.push(`${target.name} uses the ${agg} of the measurements`);
      }
    }
  }
  return notes;
}
