// Number fields: score every number in the response by topic, unit and proximity; apply corrections and unit conversion.
import { type Context, rank, relevanceOf, type Segment } from "./context";
import type { FieldProfile } from "./field";
import { CORRECTION_PATTERN, stem } from "./lexicon";
import { convert, type NumberMention, round } from "./numbers";
import { splitIdentifier } from "./text";

export type Aggregate = "max" | "min" | "mean" | "sum" | "first" | "last";

interface Candidate {
  m: NumberMention;
  seg: Segment;
  score: number;
  /** Near a word that qualifies the count ("succeeded", "failed") which the description asks about. */
  qualified: boolean;
}

const QUALIFIER_GROUPS = /^=(?:success|error|break|correct|reject)$/;

function segmentOf(ctx: Context, pos: number): Segment | undefined {
  return ctx.segments.find((s) => pos >= s.start && pos < s.end + 1);
}

/** Every number that could answer the field, best first. */
export function numberCandidates(ctx: Context, profile: FieldProfile): Candidate[] {
  const out: Candidate[] = [];
  const wantsCount =
    /\b(?:how many|number of|count|amount of|total number)\b/i.test(profile.description) ||
    /count|number|num/i.test(profile.name);
  const wantsTotal = /\b(?:total|overall|altogether|in total|sum|grand)\b/i.test(
    `${splitIdentifier(profile.name).join(" ")} ${profile.description}`,
  );
  const outOf = /\bout of (\d+(?:\.\d+)?)\b/i.exec(profile.description);
  const scale = outOf?.[1] ? Number(outOf[1]) : null;
  const nameStems = new Set(splitIdentifier(profile.name).map((w) => stem(w)));
  const wantsLimit = /^=(?:max|min)$/.test(
    [...profile.terms.keys()].find((g) => /^=(?:max|min)$/.test(g)) ?? "",
  );
  for (const m of ctx.numbers) {
    if (m.hash || m.denominator) continue;
    const seg = segmentOf(ctx, m.start);
    if (!seg || seg.unaddressed) continue;
    const rel = relevanceOf(profile, seg.tokens);
    let score = rel;
    if (profile.unit) {
      if (m.unit && m.unit.kind === profile.unit.kind) score += 1.5;
      else if (m.unit && m.unit.kind !== profile.unit.kind) continue;
      else score -= profile.unit.kind === "money" ? 0.2 : 0.4;
    } else if (m.unit && wantsCount) score -= 1;
    if (rel <= 0 && !(profile.unit && m.unit?.kind === profile.unit.kind)) continue;
    // Distance in tokens to the nearest field term, and a bonus when the term names what is counted ("6 widgets").
    const tokens = seg.tokens;
    const clause = seg.clauses.find((c) => m.start >= c.start && m.start < c.end + 1);
    let nearest = Infinity;
    let nearestBonus = 0;
    let qualifierNear = false;
    let nounAfter = false;
    const firstAfter = tokens.findIndex((t) => t.start >= m.end);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t || (t.start >= m.start && t.end <= m.end)) continue;
      const term = t.group ? profile.terms.get(t.group) : undefined;
      if (!term) continue;
      const d =
        t.start < m.start
          ? tokens.filter((x) => x.start > t.start && x.end <= m.start).length
          : tokens.filter((x) => x.start >= m.end && x.end <= t.start).length;
      // Terms in the number's own clause count fully; a label before the number ("Pro is $24.99") beats one after.
      const sameClause = clause ? t.start >= clause.start && t.end <= clause.end : false;
      // Nearness counts by how much the word says about the field: its name beats its description.
      const bonus =
        ((sameClause ? 1.2 : 0.6) *
          (t.start < m.start || i === firstAfter ? 1 : 0.8) *
          (term.fromName ? 1 : 0.75)) /
        (1 + 0.5 * d);
      if (bonus > nearestBonus) nearestBonus = bonus;
      if (d < nearest) nearest = d;
      if (d <= 3 && QUALIFIER_GROUPS.test(t.group) && !profile.name.toLowerCase().includes(t.stem))
        qualifierNear = true;
      if (i === firstAfter && !m.unit) nounAfter = true;
    }
    score += nearestBonus;
    if (nounAfter) score += 1;
    // A word of the field's own name right next to the number ("Total ended up $115", "247 imported").
    const prevTok = tokens.filter((x) => x.end <= m.start).slice(-3);
    const nextTok = tokens.filter((x) => x.start >= m.end).slice(0, 1);
    const unitFits = !profile.unit || m.unit?.kind === profile.unit.kind;
    if (unitFits && [...prevTok, ...nextTok].some((x) => nameStems.has(x.stem) && !x.inQuote)) score += 0.3;
    // "$45 each", "€5 pp": a per-unit amount is not what a total asks for.
    if (
      wantsTotal &&
      /^\s*(?:each|apiece|a piece|pp|per (?!cent)\w+|\/\s?(?:person|ticket|item|unit|night|seat))\b/i.test(
        ctx.input.testerResponse.slice(m.end, m.end + 14),
      )
    )
      score -= 1;
    // "out of 5" in the description: a rating written "4.2 / 5".
    if (scale !== null && m.outOf === scale) score += 2;
    // "goes up to 10", "larger than 500 MB": a stated bound answers a max/limit field.
    if (wantsLimit) {
      const lead = ctx.input.testerResponse.slice(Math.max(0, m.start - 16), m.start);
      if (
        /\b(?:up to|max(?:imum)?|limit(?:ed)? (?:of|to|is|at)|(?:larger|bigger|more|greater) than|at most|cap(?:ped)? at)\s*$/i.test(
          lead,
        )
      )
        score += 1;
    }
    if (qualifierNear) score += 1.5;
    // "Tried £0.50 → …", "typed 999": a value the tester put in is not what the site reports.
    if (
      /\b(?:tried|typed|entered|input|put in|pasted|filled in)\s+(?:in\s+)?$/i.test(
        ctx.input.testerResponse.slice(Math.max(0, m.start - 14), m.start),
      )
    )
      score -= 0.7;
    if (m.weak) score -= 0.8;
    if (m.inQuote) score -= 0.3;
    // A minus sign or "off" marks a reduction, which is what discount-like fields ask for.
    if (
      /\b(?:discount|saving|savings|off|reduction|reduced)\b/i.test(`${profile.name} ${profile.description}`)
    ) {
      const around = ctx.input.testerResponse.slice(Math.max(0, m.start - 2), m.end + 5);
      if (/^[-−]|^\s[-−]|\boff\b/.test(around)) score += 1.2;
    }
    out.push({ m, seg, score, qualified: qualifierNear });
  }
  // When the description qualifies the count and some number carries that qualifier, unqualified numbers lose.
  if (out.some((c) => c.qualified)) for (const c of out) if (!c.qualified) c.score -= 1.5;
  // A measurement in the field's unit ("every 900 seconds") beats a bare number ("three times") when there is one.
  const kind = profile.unit?.kind;
  if (kind && kind !== "money" && out.some((c) => c.m.unit?.kind === kind))
    for (const c of out) if (!c.m.unit && !(kind === "percent" && c.m.outOf !== undefined)) c.score -= 1.5;
  return out.sort((a, b) => b.score - a.score || a.m.start - b.m.start);
}

const CORRECTION_LEAD = /(?:^|[,;—–-])\s*(?:well|or rather|i mean|make that)\W*$/i;
const UPDATE_LEAD =
  /\b(?:down|up|dropped|fell|rose|increased|decreased|reduced|changed|went|jumped|updated|became|now)\s+(?:to\s+)?(?:about\s+|around\s+)?$/i;

/** Both numbers count the same thing: the same unit, or the same word right after them ("42 markers", "27 markers"). */
function sameNoun(text: string, a: NumberMention, b: NumberMention): boolean {
  if (a.unit || b.unit) return a.unit?.kind === b.unit?.kind;
  const nounA = /^\s*([\p{L}]+)/u.exec(text.slice(a.end))?.[1];
  const nounB = /^\s*([\p{L}]+)/u.exec(text.slice(b.end))?.[1];
  return !!nounA && !!nounB && stem(nounA) === stem(nounB);
}

/** When the tester corrects a number ("said 4, no wait... it says 3"), the later one of the same kind wins. */
function followCorrections(ctx: Context, chosen: Candidate, all: readonly Candidate[]): Candidate {
  let current = chosen;
  for (let guard = 0; guard < 5; guard++) {
    const text = ctx.input.testerResponse;
    const later = ctx.numbers.filter(
      (n) =>
        n.start > current.m.end &&
        n.start - current.m.end < 160 &&
        !n.hash &&
        (n.unit?.kind ?? null) === (current.m.unit?.kind ?? null),
    );
    const next = later[0];
    if (!next) break;
    const between = text.slice(current.m.end, next.start);
    if (/\n\s*\n/.test(between)) break;
    // "18 tracks, well 17", "32 min — sorry, 23 min": a correction; "42 markers … knocked it down to 27 markers":
    // the same quantity after a change. Either way the later figure is the final account.
    const corrected = CORRECTION_PATTERN.test(between) || CORRECTION_LEAD.test(between);
    const updated = UPDATE_LEAD.test(between) && sameNoun(text, current.m, next);
    if (!corrected && !updated) break;
    const seg = segmentOf(ctx, next.start);
    if (!seg) break;
    current = all.find((c) => c.m === next) ?? {
      m: next,
      seg,
      score: current.score,
      qualified: current.qualified,
    };
  }
  return current;
}

/** The value a mention gives a field: a share becomes a percentage when the field is in percent. */
export function valueFor(m: NumberMention, profile: FieldProfile): number {
  if (m.outOf !== undefined && profile.unit?.kind === "percent" && !m.unit)
    return round((m.value / m.outOf) * 100);
  return convert(m.value, m.unit, profile.unit);
}

function aggregate(values: number[], how: Aggregate): number | null {
  if (!values.length) return null;
  switch (how) {
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "mean":
      return round(values.reduce((a, b) => a + b, 0) / values.length);
    case "sum":
      return round(values.reduce((a, b) => a + b, 0));
    case "first":
      return values[0] ?? null;
    case "last":
      return values[values.length - 1] ?? null;
  }
}

export function extractNumber(ctx: Context, profile: FieldProfile, how?: Aggregate): number | null {
  const candidates = numberCandidates(ctx, profile);
  const best = candidates[0];
  // "Didn't count the photos": the tester says the field went unanswered, unless a measurement in the
  // field's own unit answers it anyway ("max size stated: 10 MB … still need to test a HEIC file").
  const unitAnswer = !!profile.unit && best?.m.unit?.kind === profile.unit.kind;
  if (!unitAnswer && rank(ctx, profile).unaddressed) return null;
  if (!best) {
    // "Shipping was free" answers a money field with 0.
    if (profile.unit?.kind === "money") {
      for (const seg of ctx.segments) {
        if (
          !seg.unaddressed &&
          relevanceOf(profile, seg.tokens) >= 1 &&
          seg.tokens.some((t) => t.lower === "free" && !t.inQuote)
        )
          return 0;
      }
    }
    return null;
  }
  const agg = how ?? (profile.superlative && profile.type === "number" ? profile.superlative : undefined);
  if (agg) {
    // Aggregate over the numbers of the same kind in the best candidate's sentence(s).
    const kind = best.m.unit?.kind ?? null;
    const peers = candidates
      .filter(
        (c) =>
          (c.m.unit?.kind ?? null) === kind &&
          c.score >= best.score - 1.5 &&
          (c.seg.sentence === best.seg.sentence || c.score >= best.score - 0.5),
      )
      .sort((a, b) => a.m.start - b.m.start);
    const value = aggregate(
      peers.map((c) => valueFor(c.m, profile)),
      agg,
    );
    if (value !== null) return value;
  }
  let start = best;
  if (
    /\b(?:total|overall|altogether|grand)\b/i.test(
      `${splitIdentifier(profile.name).join(" ")} ${profile.description}`,
    )
  ) {
    // A total is at least each of its parts: "Add $1.75 to cover fees … the summary said $51.75".
    for (const c of candidates)
      if (
        c.seg.sentence === best.seg.sentence &&
        c.score >= best.score - 1 &&
        (c.m.unit?.kind ?? null) === (best.m.unit?.kind ?? null) &&
        c.m.value > start.m.value
      )
        start = c;
  }
  const chosen = followCorrections(ctx, start, candidates);
  return valueFor(chosen.m, profile);
}
