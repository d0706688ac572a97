// Per-response state shared by the extractors: parsed text, numbers, and which sentence parts answer which field.
import type { ExtractionInput } from "../types";
import type { FieldProfile } from "./field";
import { findNumbers, type NumberMention } from "./numbers";
import { type Clause, type Doc, parseDoc, type Sentence, type Token } from "./text";

/** A sentence, or the part of it before or after an "I didn't check X" cue. */
export interface Segment {
  sentence: Sentence;
  tokens: Token[];
  clauses: Clause[];
  start: number;
  end: number;
  /** The tester says they did not (yet) test what this part names. */
  unaddressed: boolean;
}

export interface Context {
  input: ExtractionInput;
  doc: Doc;
  numbers: NumberMention[];
  segments: Segment[];
  /** Every field of the schema: a sentence belongs most to the field it matches best. */
  profiles: FieldProfile[];
}

export function buildContext(input: ExtractionInput, profiles: FieldProfile[] = []): Context {
  const doc = parseDoc(input.testerResponse);
  const segments: Segment[] = [];
  for (const sentence of doc.sentences) {
    const cut = sentence.unaddressedFrom;
    const before = cut === null ? sentence.clauses : sentence.clauses.filter((c) => c.start < cut);
    const after = cut === null ? [] : sentence.clauses.filter((c) => c.start >= cut);
    for (const [clauses, unaddressed] of [
      [before, false],
      [after, true],
    ] as const) {
      if (!clauses.length) continue;
      const first = clauses[0];
      const last = clauses[clauses.length - 1];
      if (!first || !last) continue;
      segments.push({
        sentence,
        clauses: [...clauses],
        tokens: clauses.flatMap((c) => c.tokens),
        start: first.start,
        end: last.end,
        unaddressed,
      });
    }
  }
  return { input, doc, numbers: findNumbers(input.testerResponse, doc.quotes), segments, profiles };
}

/** How strongly some tokens are about a field: summed weights of the distinct field terms they contain. */
export function relevanceOf(profile: FieldProfile, tokens: readonly Token[]): number {
  const seen = new Set<string>();
  let score = 0;
  for (const t of tokens) {
    if (!t.group) continue;
    const term = profile.terms.get(t.group);
    if (!term || seen.has(term.group)) continue;
    seen.add(term.group);
    score += term.weight * (t.inQuote ? 0.7 : 1);
  }
  return score;
}

/** Share of the field name's weight that the tokens mention, 0..1. */
export function nameCoverageOf(profile: FieldProfile, tokens: readonly Token[]): number {
  if (profile.nameWeight === 0) return 0;
  const seen = new Set<string>();
  let score = 0;
  for (const t of tokens) {
    if (!t.group) continue;
    const term = profile.terms.get(t.group);
    if (!term?.fromName || seen.has(term.group)) continue;
    seen.add(term.group);
    score += term.weight;
  }
  return score / profile.nameWeight;
}

export interface Ranked {
  seg: Segment;
  rel: number;
}

export interface Ranking {
  /** Answering segments that address the field, most relevant first. */
  answers: Ranked[];
  best: number;
  /** The field's best match is a part where the tester says they did not test it. */
  unaddressed: boolean;
}

/** A sentence that matches this field better than any other needs less evidence to count as addressing it. */
const OWNED_MIN = 0.5;

const PRONOUN_START = /^\W*(?:it|it's|its|they|they're|this|that|these|those|which|then|same)\b/i;
const PRONOUNS = new Set(["it", "it's", "its", "they", "they're", "them"]);

/** The segment refers back with a pronoun near its start ("It shows up", "Not once did it arrive"). */
export function refersBack(ctx: Context, seg: Segment): boolean {
  if (PRONOUN_START.test(ctx.input.testerResponse.slice(seg.start, seg.end))) return true;
  // A pronoun a little further in counts only when the part names no field of its own.
  return (
    seg.tokens.slice(0, 4).some((t) => PRONOUNS.has(t.lower.replace("’", "'")) && !t.inQuote) &&
    ctx.profiles.every((p) => relevanceOf(p, seg.tokens) === 0)
  );
}

/** Relevance of a segment, with a share of the previous segment's when it opens with a pronoun ("It shows up in History"). */
export function segmentRelevance(ctx: Context, profile: FieldProfile, seg: Segment): number {
  const own = relevanceOf(profile, seg.tokens);
  if (!refersBack(ctx, seg)) return own;
  const idx = ctx.segments.indexOf(seg);
  const prev = idx > 0 ? ctx.segments[idx - 1] : undefined;
  if (!prev || prev.unaddressed) return own;
  return own + 0.6 * relevanceOf(profile, prev.tokens);
}

/** True when no other field of the schema matches the segment better than this one. */
export function owns(ctx: Context, profile: FieldProfile, seg: Segment, rel: number): boolean {
  for (const other of ctx.profiles) {
    if (other === profile || other.name === profile.name) continue;
    if (segmentRelevance(ctx, other, seg) > rel) return false;
  }
  return true;
}

/** True when tokens are specific enough to count as addressing the field. */
export function isAddressed(profile: FieldProfile, tokens: readonly Token[], rel: number): boolean {
  if (rel <= 0) return false;
  return nameCoverageOf(profile, tokens) >= 0.5 || rel >= 1.4;
}

function groupsOf(profile: FieldProfile, tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) {
    const term = t.group ? profile.terms.get(t.group) : undefined;
    if (term) out.add(term.group);
  }
  return out;
}

/** A clause that names the field's own (specific) name words and matches no other field as well. */
function ownsClause(ctx: Context, profile: FieldProfile, seg: Segment): boolean {
  return seg.clauses.some((c) => {
    const named = c.tokens.some((t) => {
      const term = t.group ? profile.terms.get(t.group) : undefined;
      return !!term?.fromName && term.weight >= 0.5 && !t.inQuote;
    });
    if (!named) return false;
    const rel = relevanceOf(profile, c.tokens);
    return ctx.profiles.every((p) => p.name === profile.name || relevanceOf(p, c.tokens) < rel);
  });
}

const rankings = new WeakMap<Context, Map<FieldProfile, Ranking>>();

/** The segments that answer a field (computed once per response and field). */
export function rank(ctx: Context, profile: FieldProfile): Ranking {
  let cache = rankings.get(ctx);
  if (!cache) rankings.set(ctx, (cache = new Map<FieldProfile, Ranking>()));
  const cached = cache.get(profile);
  if (cached) return cached;
  const ranking = computeRank(ctx, profile);
  cache.set(profile, ranking);
  return ranking;
}

function computeRank(ctx: Context, profile: FieldProfile): Ranking {
  const answers: Ranked[] = [];
  const skipped: Ranked[] = [];
  for (const seg of ctx.segments) {
    const rel = segmentRelevance(ctx, profile, seg);
    if (rel <= 0) continue;
    const addressed =
      isAddressed(profile, seg.tokens, rel) ||
      (rel >= OWNED_MIN && owns(ctx, profile, seg, rel)) ||
      ownsClause(ctx, profile, seg);
    if (seg.unaddressed) skipped.push({ seg, rel });
    else if (addressed) answers.push({ seg, rel });
  }
  answers.sort((a, b) => b.rel - a.rel || a.seg.start - b.seg.start);
  const best = answers[0]?.rel ?? 0;
  // A part the tester says they did not test voids the field when it names an aspect of the field that no
  // answering part covers ("Download is broken, so I couldn't check the saved values"); one that only repeats
  // what was answered ("Login works. Didn't test login on mobile") does not.
  const answered = new Set<string>();
  for (const a of answers)
    if (a.rel >= 0.5 * best) for (const g of groupsOf(profile, a.seg.tokens)) answered.add(g);
  let unaddressed = false;
  for (const u of skipped) {
    const addressed =
      isAddressed(profile, u.seg.tokens, u.rel) || (u.rel >= OWNED_MIN && owns(ctx, profile, u.seg, u.rel));
    if (!addressed) continue;
    const asked = groupsOf(profile, u.seg.tokens);
    if ([...asked].some((g) => !answered.has(g) && (profile.terms.get(g)?.weight ?? 0) >= 0.5))
      unaddressed = true;
  }
  return { answers, best, unaddressed };
}

/** Any segment mentioning the field at all (weaker than addressing), most relevant first. */
export function mentions(ctx: Context, profile: FieldProfile): Ranked[] {
  const out: Ranked[] = [];
  for (const seg of ctx.segments) {
    if (seg.unaddressed) continue;
    const rel = segmentRelevance(ctx, profile, seg);
    if (rel > 0) out.push({ seg, rel });
  }
  return out.sort((a, b) => b.rel - a.rel || a.seg.start - b.seg.start);
}
