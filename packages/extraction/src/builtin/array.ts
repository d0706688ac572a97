// Array fields: headed lists ("Issues: a; b"), enumerations, quoted messages, explicit "no issues" as [], else null.
import { readSegment } from "./boolean";
import { type Context, mentions, rank, relevanceOf, type Segment } from "./context";
import type { FieldProfile } from "./field";
import { groupOf } from "./lexicon";
import { describe } from "./string";
import { cleanPhrase, type Quote, stripQuotes } from "./text";

const ISSUE_LIKE =
  /\b(?:issues?|problems?|bugs?|errors?|defects?|findings?|broken|failures?|glitches|mistakes?|typos?|warnings?|complaints?)\b/i;
const LEAD_IN =
  /^.*\b(?:offers?|offered|offering|includes?|included|including|lists?|listed|listing|shows?|showed|shown|showing|are|were|is|was|has|have|had|supports?|supported|accepts?|accepted|provides?|provided|like|such as|namely|options?|choices|contains?|contained|gives?|gave|available|reads?|says?|said|just|only)\s+/i;
const CONTINUATION =
  /^(?:with|for|in|on|at|which|but|so|because|when|while|after|before|although|though|each|all|both|everything|nothing)\b/i;
const DETERMINER = /^(?:the|a|an|my|its|their|our|some|every|each|one|two|three|four|five|['"“‘]|[A-Z])/;

/** Splits a list into items at ";" or at "," and "and" (outside quotes), one item per finding. */
export function splitItems(text: string, quotes: readonly Quote[] = [], offset = 0): string[] {
  const unquoted = stripQuotes(text, quotes, offset);
  const cutAt = (positions: { at: number; len: number }[]): string[] => {
    const parts: string[] = [];
    let last = 0;
    for (const p of positions.sort((a, b) => a.at - b.at)) {
      parts.push(text.slice(last, p.at));
      last = p.at + p.len;
    }
    parts.push(text.slice(last));
    return parts;
  };
  let parts: string[];
  if (/;/.test(unquoted)) {
    parts = cutAt([...unquoted.matchAll(/;/g)].map((m) => ({ at: m.index, len: 1 })));
  } else {
    const commas = [...unquoted.matchAll(/,(?!\d{3}\b)/g)].map((m) => ({ at: m.index, len: 1 }));
    // "Weekly / Monthly": spaced slashes separate options.
    const slashes = [...unquoted.matchAll(/\s\/\s/g)].map((m) => ({ at: m.index, len: m[0].length }));
    parts = cutAt([...commas, ...slashes]);
  }
  const listy = parts.length >= 2;
  const out: string[] = [];
  parts.forEach((part, idx) => {
    const partUnquoted = stripQuotes(part, [], 0);
    const pieces: string[] = [];
    let rest = part;
    let restUnq = partUnquoted;
    // "and"/"or" joins two findings when both sides are substantial, or it closes a comma list.
    for (;;) {
      const m = /\s+(?:and|&|or|as well as|plus)\s+/i.exec(maskQuotes(restUnq));
      if (!m) break;
      const left = rest.slice(0, m.index);
      const right = rest.slice(m.index + m[0].length);
      const words = (s: string): number => s.trim().split(/\s+/).filter(Boolean).length;
      // In a comma list, "A, B and C" closes the list; elsewhere "and" separates two findings only when both are substantial.
      const closesList = listy && idx > 0 && pieces.length === 0 && words(left) <= 4 && words(right) <= 4;
      // "picked F11 and F12": a bare name or code on the right is an item of its own.
      const rightOk = words(right) >= 2 || /^[A-Z0-9][\w-]*[.!?]?$/.test(right.trim());
      // "CSV and GPX", "original payment method or store credit": a two-item list of short names.
      const pair =
        !listy &&
        pieces.length === 0 &&
        words(left) <= 3 &&
        words(right) <= 4 &&
        /^\s*[\p{Lu}\d'"“]|^\s*\p{Ll}+\s+\p{Ll}+/u.test(left) &&
        !CONTINUATION.test(right.trim());
      if (!(closesList || pair || (words(left) >= 2 && rightOk && DETERMINER.test(right.trim())))) break;
      pieces.push(left);
      rest = right;
      restUnq = restUnq.slice(m.index + m[0].length);
    }
    pieces.push(rest);
    out.push(...pieces);
  });
  return out
    .map((s) => {
      const but = /\b(?:but|except|except for|apart from|other than)\s+/i.exec(maskQuotes(s));
      return but ? s.slice(but.index + but[0].length) : s;
    })
    .map((s) =>
      cleanPhrase(s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").replace(/^(?:and|or|also|plus|then)\s+/i, "")),
    )
    .filter((s) => s.length > 0);
}

/** Blanks quoted text so list separators inside a quoted message do not split it. */
function maskQuotes(s: string): string {
  // Masked with letters, not spaces, so separators next to a quote still see a word there.
  return s.replace(/(['"“‘])(?:(?!\1).)*?['"”’](?![\p{L}])/gu, (q) => "q".repeat(q.length));
}

/** Items of an enumeration inside a sentence, with its lead-in ("offers") and trailing asides dropped. */
function enumeration(
  text: string,
  quotes: readonly Quote[],
  offset: number,
  profile?: FieldProfile,
): string[] {
  // A spaced dash ends the list: "Mon, Tue, Thu — Wednesday and Friday greyed out".
  const dash = /\s[—–-]\s/.exec(maskQuotes(stripQuotes(text, quotes, offset)));
  const body = dash && /[,;]/.test(text.slice(0, dash.index)) ? text.slice(0, dash.index) : text;
  let items = splitItems(body, quotes, offset);
  if (items.length < 2) return items;
  while (items.length > 1 && CONTINUATION.test(items[items.length - 1] ?? "")) items = items.slice(0, -1);
  if (profile) {
    // "Picked £250 excess, added breakdown cover and legal protection": the list starts where the field's word does.
    const startAt = items.findIndex((item, k) => k > 0 && startsWithTerm(profile, item));
    if (startAt > 0) items = items.slice(startAt);
  }
  const first = items[0] ?? "";
  const maskedFirst = maskQuotes(first);
  const lead = LEAD_IN.exec(maskedFirst);
  if (lead && lead[0].length < first.length) items[0] = first.slice(lead[0].length);
  if (profile) items[0] = dropLeadingTerms(profile, items[0] ?? "");
  return items.map((s) => cleanPhrase(s)).filter(Boolean);
}

function startsWithTerm(profile: FieldProfile, item: string): boolean {
  const w = /^\s*([\p{L}]+)/u.exec(item)?.[1];
  const term = w ? profile.terms.get(groupOf(w)) : undefined;
  return !!term && term.weight >= 0.5 && /\s\S/.test(item.trim());
}

/** "availability Mon" → "Mon": the field's own words before the first item are its label. */
function dropLeadingTerms(profile: FieldProfile, item: string): string {
  let rest = item.trimStart();
  for (;;) {
    const m = /^([\p{L}]+)\s+(?=\S)/u.exec(rest);
    if (!m?.[1] || !profile.terms.has(groupOf(m[1]))) return rest;
    rest = rest.slice(m[0].length);
  }
}

interface HeadedList {
  items: string[];
  seg: Segment;
}

/** "Issues: a; b" or a header line followed by bullet lines, where the header names the field. */
function headedList(ctx: Context, profile: FieldProfile): HeadedList | null {
  const text = ctx.input.testerResponse;
  let best: { list: HeadedList; score: number } | null = null;
  const sentences = ctx.doc.sentences;
  sentences.forEach((sentence, i) => {
    const unquoted = stripQuotes(sentence.text, ctx.doc.quotes, sentence.start);
    const colon = unquoted.indexOf(":");
    if (colon < 0) return;
    const headerEnd = sentence.start + colon;
    const headerTokens = sentence.tokens.filter((t) => t.end <= headerEnd);
    if (!headerTokens.length || headerTokens.length > 8) return;
    const rel = relevanceOf(profile, headerTokens);
    const issueHeader =
      ISSUE_LIKE.test(text.slice(sentence.start, headerEnd)) &&
      ISSUE_LIKE.test(`${profile.name} ${profile.description}`);
    if (rel <= 0 && !issueHeader) return;
    const segs = ctx.segments.filter((s) => s.sentence === sentence);
    const seg = segs[0];
    if (!seg || segs.every((s) => s.unaddressed)) return;
    let items: string[];
    const rest = text.slice(headerEnd + 1, sentence.end);
    if (/^\s*(?:no|none|nothing|zero|n\/a)\b/i.test(rest)) {
      // "Audit log: no failed logins recorded" is an explicit empty list.
      const list = { items: [], seg };
      if (!best || rel > best.score) best = { list, score: rel };
      return;
    }
    if (rest.trim().length > 1) {
      items = splitItems(rest, ctx.doc.quotes, headerEnd + 1);
    } else {
      // Header line, then bullet lines.
      items = [];
      for (const next of sentences.slice(i + 1)) {
        const raw = next.text.trim();
        if (!/^(?:[-*•]|\d+[.)])\s+/.test(raw)) break;
        items.push(cleanPhrase(raw.replace(/^(?:[-*•]|\d+[.)])\s+/, "")));
      }
    }
    items = items.filter((s) => !/^done\W*$/i.test(s));
    if (!items.length) return;
    const score = rel + (issueHeader ? 1 : 0);
    if (!best || score > best.score) best = { list: { items, seg }, score };
  });
  return best === null ? null : (best as { list: HeadedList }).list;
}

/** Whether the tester says there is nothing to list ("No broken links", "no issues at all"). */
function saysNone(ctx: Context, profile: FieldProfile): boolean {
  const issueLike = ISSUE_LIKE.test(`${profile.name} ${profile.description}`);
  for (const seg of ctx.segments) {
    if (seg.unaddressed) continue;
    const raw = stripQuotes(ctx.input.testerResponse.slice(seg.start, seg.end), ctx.doc.quotes, seg.start);
    if (
      issueLike &&
      /\b(?:no (?:issues?|problems?|bugs?|errors?|complaints?|hiccups?)|nothing (?:broken|wrong|to report)|zero (?:issues|problems|errors)|didn'?t (?:find|notice|see|spot) any(?:thing)?|none found|found none|all good|no complaints)\b/i.test(
        raw,
      )
    ) {
      if (
        relevanceOf(profile, seg.tokens) > 0 ||
        !ctx.segments.some((s) => s !== seg && relevanceOf(profile, s.tokens) >= 1)
      )
        return true;
    }
    let negatedAt = -Infinity;
    for (const t of seg.tokens) {
      if (t.inQuote) continue;
      if (t.negation) negatedAt = t.index;
      else if (
        t.index - negatedAt <= 3 &&
        t.group &&
        profile.terms.get(t.group) &&
        (profile.terms.get(t.group)?.weight ?? 0) >= 0.5
      )
        return true;
    }
  }
  return false;
}

function quotedItems(ctx: Context, segs: readonly Segment[]): string[] {
  const out: string[] = [];
  for (const seg of segs) {
    for (const q of ctx.doc.quotes) {
      if (q.start >= seg.start && q.start < seg.end) out.push(q.inner.trim());
    }
  }
  return out;
}

/** "Car, Transit, Walk, Bike. Actually there's no Bike tab — it's just Car, Transit and Walk": the corrected list wins. */
function corrected(ctx: Context, items: readonly string[], after: number): string[] | null {
  const known = new Set(items.map((i) => i.toLowerCase()));
  for (const sentence of ctx.doc.sentences) {
    if (sentence.end <= after || !sentence.correction) continue;
    const text = sentence.text;
    const cuts = [...maskQuotes(text).matchAll(/[:;—–]|\s-\s/g)].map((m) => m.index + m[0].length);
    for (const cut of [...cuts].reverse()) {
      const list = enumeration(text.slice(cut), ctx.doc.quotes, sentence.start + cut);
      if (list.length >= 2 && list.some((i) => known.has(i.toLowerCase()))) return list;
    }
  }
  return null;
}

export function extractArray(ctx: Context, profile: FieldProfile): string[] | null {
  const ranking = rank(ctx, profile);
  const fieldText = `${profile.name.replace(/([a-z])([A-Z])/g, "$1 $2")} ${profile.description}`;
  const wantsMessages =
    /\b(?:messages?|error texts?|errors? shown|wording|strings?)\b/i.test(fieldText) &&
    !/\bui text\b/i.test(fieldText);
  const headed = headedList(ctx, profile);
  if (headed && !wantsMessages) return corrected(ctx, headed.items, headed.seg.sentence.end) ?? headed.items;
  if (ranking.unaddressed) return null;
  const top = ranking.answers.filter((a) => a.rel >= 0.75 * ranking.best).map((a) => a.seg);
  if (wantsMessages) {
    // Messages are quoted: take the quotes of every sentence about the field, or of any sentence naming it.
    let quoted = quotedItems(
      ctx,
      ranking.answers.map((a) => a.seg),
    );
    if (!quoted.length)
      quoted = quotedItems(
        ctx,
        mentions(ctx, profile).map((a) => a.seg),
      );
    if (quoted.length) return quoted;
    if (headed) return headed.items;
  }
  if (saysNone(ctx, profile)) return [];
  if (!top[0]) return null;
  const listOf = (seg: Segment): string[] => {
    const text = ctx.input.testerResponse.slice(seg.start, seg.end);
    const unquoted = stripQuotes(text, ctx.doc.quotes, seg.start);
    const colon = unquoted.lastIndexOf(":");
    const listText = colon >= 0 ? text.slice(colon + 1) : text;
    return enumeration(listText, ctx.doc.quotes, seg.start + (colon >= 0 ? colon + 1 : 0), profile);
  };
  // The most relevant sentence that actually enumerates ("picked F11 and F12") holds the list.
  const short = (items: string[]): boolean =>
    items.length >= 2 && items.every((i) => i.split(/\s+/).length <= 8);
  const pool = ranking.answers.filter((a) => a.rel >= 0.5 * ranking.best).map((a) => a.seg);
  const listSeg = pool.find((seg) => short(listOf(seg))) ?? top[0];
  const items = listOf(listSeg);
  if (items.length >= 2) return corrected(ctx, items, listSeg.end) ?? items;
  if (ISSUE_LIKE.test(fieldText)) {
    // Issue lists without a header: each critical sentence about the topic is one finding.
    const found = top
      .filter((seg) => readSegment({ terms: new Map(), direction: 1 }, seg) < 0)
      .map((seg) => describe(ctx, profile, seg));
    const clean = found.filter((s): s is string => s !== null);
    if (clean.length) return clean;
  }
  return items.length ? items : null;
}
