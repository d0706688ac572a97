// Boolean fields: find the sentences about the field, read their polarity (negation, sentiment), let the final account win.
import { type Context, owns, type Ranked, rank, relevanceOf, type Segment } from "./context";
import type { FieldProfile } from "./field";
import { antonymsOf, groupOf, sentimentOf } from "./lexicon";
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

// Personal pronouns only: a demonstrative often points at the whole account ("that covers everything").
const PRONOUN_WORDS = new Set(["it", "they", "them"]);

const RETRY_GROUPS = new Set([groupOf("retry"), groupOf("reload")]);

export interface ClauseReading {
  score: number;
  hasTerm: boolean;
  /** The verdict rests on negation, sentiment or an opposite, not only on a past-tense mention of the topic. */
  strong: boolean;
}

/** The field term a token names, directly or as its opposite (sign -1: "accepted" for a field about "rejected"). */
function termHit(
  profile: Pick<FieldProfile, "terms">,
  group: string,
  word: string,
): { term: FieldProfile["terms"] extends Map<string, infer T> ? T : never; sign: 1 | -1 } | null {
  const term = profile.terms.get(group);
  if (term) return { term, sign: 1 };
  for (const opposite of antonymsOf(word)) {
    const t = profile.terms.get(opposite);
    if (t && t.weight >= 0.5) return { term: t, sign: -1 };
  }
  return null;
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
  let strong = false;
  for (const t of clause.tokens) {
    const hit = t.group ? termHit(profile, t.group, t.lower) : null;
    if (t.inQuote) {
      // A quoted site message names the topic but its wording ("Something went wrong") is not the tester's verdict.
      if (hit) hasTerm = true;
      continue;
    }
    if (/^(?:and|but|while|whereas)$/.test(t.lower) && negated) {
      // A negation covers its own conjunct: "the charts never render and the sidebar overlaps" has two verdicts;
      // "or" stays under it ("couldn't drag cards or edit titles").
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
    if (hit) {
      const { term, sign } = hit;
      hasTerm = true;
      // The field's own words affirm it when stated ("images are broken" for brokenImages), whatever their tone.
      const weight = Math.abs(sentimentOf(t.lower)) || 1;
      if (sign === -1) {
        // An opposite of the field's word: "the form accepted it" for "rejected an invalid date".
        score += (negated ? 1 : -1) * term.polarity;
        if (negated) negationUsed = true;
        strong = true;
      } else if (negated) {
        score -= term.polarity * weight * (term.fromName ? 1 : 0.7);
        negationUsed = true;
        strong = true;
      } else if (term.polarity === -1) {
        score -= 1;
        strong = true;
      } else if (sentimentOf(t.lower) !== 0) {
        score += weight;
        strong = true;
      }
      // A stated outcome in the field's words ("submitted", "uploaded", "shown") affirms it mildly.
      // Only the field's own name counts: description words often set the scene ("after the chat ended").
      else if (
        term.fromName &&
        ((/(?:ed|en)$/.test(t.lower) && t.stem !== t.lower) || PAST_FORMS.has(t.lower))
      )
        score += 0.5;
      continue;
    }
    const sentiment = sentimentOf(t.lower);
    if (sentiment !== 0) {
      score += sentiment * (negated ? -1 : 1) * profile.direction;
      if (negated) negationUsed = true;
      strong = true;
    }
  }
  // A negation that hit nothing we know ("did nothing", "no h2 anywhere") still reports something missing.
  if (negated && !negationUsed) {
    score -= 0.5;
    strong = true;
  }
  // "Clicked Publish again and the article went live": a plain outcome of a retry is the retry working.
  if (score === 0 && hasTerm && clause.tokens.some((t) => RETRY_GROUPS.has(t.group) && !t.inQuote))
    score = 0.5;
  return { score, hasTerm, strong };
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

interface Reading extends ClauseReading {
  pos: number;
  /** The clause belongs to the segment most relevant to the field. */
  top: boolean;
}

/** The verdict of the readings: the final account in the field's own words wins; otherwise the tone of the best segment. */
export function decide(readings: readonly Reading[], firstTry: boolean): boolean {
  const ordered = [...readings].sort((a, b) => a.pos - b.pos);
  const tiers = [
    ordered.filter((r) => r.hasTerm && r.score !== 0),
    // Tone without the field's words ("ok", "does nothing") is read only where the field is the topic.
    ordered.filter((r) => r.top && r.score !== 0),
  ];
  for (const tier of tiers) {
    if (!tier.length) continue;
    // A field about the first attempt is false as soon as any attempt went wrong.
    if (firstTry && tier.some((r) => r.score < 0)) return false;
    const last = tier[tier.length - 1];
    if (last) return last.score > 0;
  }
  // The tester states the topic and nothing against it: "Layers panel is there", "Walk gives a 38 min route".
  return true;
}

/** Whether tokens name a specific word of the field's own name (not a generic one like "works"). */
function namesField(profile: FieldProfile, tokens: Clause["tokens"]): boolean {
  return tokens.some((t) => {
    const term = t.group ? profile.terms.get(t.group) : undefined;
    return !!term?.fromName && term.weight >= 0.5;
  });
}

/** A clause naming another field of the schema but not this one belongs to that field. */
function claimedByOther(ctx: Context, profile: FieldProfile, tokens: Clause["tokens"]): boolean {
  if (namesField(profile, tokens)) return false;
  return ctx.profiles.some((p) => p.name !== profile.name && namesField(p, tokens));
}

export function extractBoolean(ctx: Context, profile: FieldProfile): boolean | null {
  const ranking = rank(ctx, profile);
  if (ranking.unaddressed || !ranking.answers.length) return null;
  let candidates = ranking.answers.filter((a) => a.rel >= 0.5 * ranking.best);
  // A sentence that belongs to another field of the schema is that field's evidence, when this field has its own.
  const owned = candidates.filter((a) => owns(ctx, profile, a.seg, a.rel));
  if (owned.length) candidates = owned;
  const threshold = byThreshold(ctx, profile, candidates);
  if (threshold !== null) return threshold;
  const topRel = Math.max(...candidates.map((a) => a.rel));
  const readings: Reading[] = [];
  const foreign: Reading[] = [];
  for (const { seg, rel } of candidates) {
    // A part that names the field only through a pronoun ("Not once did it arrive") speaks about the field.
    const byPronoun = relevanceOf(profile, seg.tokens) === 0;
    for (const clause of seg.clauses) {
      const reading: Reading = { pos: clause.start, top: rel >= topRel, ...readClause(profile, clause) };
      if (byPronoun && clause.tokens.some((t) => PRONOUN_WORDS.has(t.lower) && !t.inQuote))
        reading.hasTerm = true;
      // A clause that is more about another field of the schema ("but the currency formatting was lost" for
      // formulasPreserved) is that field's evidence.
      if (claimedByOther(ctx, profile, clause.tokens)) foreign.push(reading);
      else readings.push(reading);
    }
  }
  return decide(readings.length ? readings : foreign, profile.firstTry);
}
