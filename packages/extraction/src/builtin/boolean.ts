// Boolean fields: find the sentences about the field, read their polarity (negation, sentiment), let the final account win.
import { type Context, type Ranked, rank, type Segment } from "./context";
import type { FieldProfile } from "./field";
import { sentimentOf } from "./lexicon";
import { convert } from "./numbers";
import type { Clause } from "./text";

const PAST_FORMS = new Set([
  "got",
  "came",
  "went",
  "sent",
  "made",
  "found",
  "kept",
  "saw",
  "shown",
  "paid",
  "bought",
  "led",
  "held",
  "built",
  "stuck",
  "set",
  "put",
]);

interface ClauseReading {
  score: number;
  hasTerm: boolean;
}

/** Polarity of one clause toward the field: > 0 supports true, < 0 supports false, 0 says nothing either way. */
export function readClause(
  profile: Pick<FieldProfile, "terms" | "direction">,
  clause: Clause,
): ClauseReading {
  let negated = false;
  let negationUsed = false;
  let score = 0;
  let hasTerm = false;
  for (const t of clause.tokens) {
    const term = t.group ? profile.terms.get(t.group) : undefined;
    if (t.inQuote) {
      // A quoted site message names the topic but its wording ("Something went wrong") is not the tester's verdict.
      if (term) hasTerm = true;
      continue;
    }
    if (/^(?:and|but|or|while|whereas)$/.test(t.lower) && negated) {
      // A negation covers its own conjunct: "the charts never render and the sidebar overlaps" has two verdicts.
      if (!negationUsed) score -= 0.5;
      negated = false;
      negationUsed = false;
      continue;
    }
    if (t.negation) {
      if (negated && !negationUsed) score -= 0.5;
      negated = true;
      negationUsed = false;
      continue;
    }
    if (term) {
      hasTerm = true;
      // The field's own words affirm it when stated ("images are broken" for brokenImages), whatever their tone.
      const weight = Math.abs(sentimentOf(t.lower)) || 1;
      if (negated) {
        score -= term.polarity * weight * (term.fromName ? 1 : 0.7);
        negationUsed = true;
      } else if (term.polarity === -1) score -= 1;
      else if (sentimentOf(t.lower) !== 0) score += weight;
      // A stated outcome in the field's words ("submitted", "uploaded", "shown") affirms it mildly.
      else if (/(?:ed|en)$/.test(t.lower) || PAST_FORMS.has(t.lower)) score += 0.5;
      continue;
    }
    const sentiment = sentimentOf(t.lower);
    if (sentiment !== 0) {
      score += sentiment * (negated ? -1 : 1) * profile.direction;
      if (negated) negationUsed = true;
    }
  }
  // A negation that hit nothing we know ("did nothing", "no h2 anywhere") still reports something missing.
  if (negated && !negationUsed) score -= 0.5;
  return { score, hasTerm };
}

/** Polarity of a segment: clauses naming the field count; the others only when those are silent. */
export function readSegment(
  profile: Pick<FieldProfile, "terms" | "direction">,
  seg: Pick<Segment, "clauses">,
): number {
  let withTerm = 0;
  let other = 0;
  for (const clause of seg.clauses) {
    const r = readClause(profile, clause);
    if (r.hasTerm) withTerm += r.score;
    else other += r.score;
  }
  return withTerm !== 0 ? withTerm : other * 0.5;
}

function compare(value: number, op: "<" | "<=" | ">" | ">=", limit: number): boolean {
  switch (op) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
  }
}

/** A field like "loaded in under 3 seconds" is decided by the measured numbers when the tester gives any. */
function byThreshold(ctx: Context, profile: FieldProfile, answers: readonly Ranked[]): boolean | null {
  const threshold = profile.threshold;
  if (!threshold?.unit) return null;
  const kind = threshold.unit.kind;
  const values: number[] = [];
  for (const { seg } of answers) {
    for (const m of ctx.numbers) {
      if (m.start >= seg.start && m.end <= seg.end + 1 && m.unit?.kind === kind && !m.inQuote) {
        values.push(convert(m.value, m.unit, threshold.unit));
      }
    }
  }
  if (!values.length) return null;
  return values.every((v) => compare(v, threshold.op, threshold.value));
}

export function extractBoolean(ctx: Context, profile: FieldProfile): boolean | null {
  const ranking = rank(ctx, profile);
  if (ranking.unaddressed || !ranking.answers.length) return null;
  const candidates = ranking.answers.filter((a) => a.rel >= 0.6 * ranking.best);
  const threshold = byThreshold(ctx, profile, candidates);
  if (threshold !== null) return threshold;
  const read = candidates.map((a) => ({ pos: a.seg.start, rel: a.rel, score: readSegment(profile, a.seg) }));
  if (profile.firstTry && read.some((r) => r.score < 0)) return false;
  // The final account wins: the last segment that takes a side decides.
  const decided = read.filter((r) => r.score !== 0).sort((a, b) => a.pos - b.pos);
  const last = decided[decided.length - 1];
  if (!last) return true;
  return last.score > 0;
}
