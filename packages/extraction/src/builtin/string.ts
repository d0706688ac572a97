// String fields: pick the kind of text the description asks for (code, quoted message, date, name, "None", description).
import { readSegment } from "./boolean";
import { type Context, mentions, rank, relevanceOf, type Segment } from "./context";
import type { FieldProfile } from "./field";
import { CORRECTION_PATTERN, groupOf, sentimentOf } from "./lexicon";
import { findNumbers } from "./numbers";
import { cleanPhrase, type Quote, stripQuotes } from "./text";

type StringKind = "code" | "message" | "date" | "name" | "text";

/** "How the label was provided, e.g. printable PDF or QR code" → the description without its examples. */
function withoutExamples(description: string): string {
  return description.replace(/\b(?:e\.g\.?|eg|for example|such as|like)\s+[^.;)]*/gi, " ");
}

function kindOf(profile: FieldProfile): StringKind {
  const text =
    `${profile.name.replace(/([a-z])([A-Z])/g, "$1 $2")} ${withoutExamples(profile.description)}`.toLowerCase();
  if (
    /\b(?:code|coupon|voucher|sku|tracking|reference|ref|id|identifier|confirmation number|order number|booking number|invoice number|ticket number|number)\b/.test(
      text,
    ) &&
    !/\bnumber of\b/.test(text)
  )
    return "code";
  if (
    /\b(?:message|errors?|text shown|text on|label|title|heading|wording|toast|copy|caption|placeholder|tooltip|prompt|notice|warning|says|reads|headline|tagline|text)\b/.test(
      text,
    )
  )
    return "message";
  if (/\b(?:date|delivery|deadline|day|arrival|eta)\b|^\s*\S+\s+when\b/.test(text)) return "date";
  if (
    /\b(?:issue|problem|bug|description|describe|reason|why|explanation|summary|feedback|comment|note|notes|observation|what happened|behaviou?r)\b/.test(
      text,
    )
  )
    return "text";
  return "name";
}

/** Whether the tester says there was nothing of the kind the field asks about ("No errors in the console"). */
function saysNothing(profile: FieldProfile, seg: Segment): boolean {
  let negatedAt = -Infinity;
  for (const t of seg.tokens) {
    if (t.inQuote) continue;
    if (t.negation) {
      negatedAt = t.index;
      continue;
    }
    const term = t.group ? profile.terms.get(t.group) : undefined;
    // The negation must govern the field's own topic closely: "no spelling mistakes", not "isn't loading there".
    if (term && term.weight >= 0.15 && t.index - negatedAt <= 3) return true;
  }
  return (
    /\b(?:none|nothing (?:found|wrong|to report)|all (?:good|clear|fine)|clean)\b/i.test(seg.sentence.text) &&
    seg.tokens.some((t) => t.group && profile.terms.has(t.group))
  );
}

/** Code-like tokens: letters with digits (A1B2-7745, FS-20931), all-caps words (SHIPFREE), or digits after "#". */
function codeCandidates(text: string, from: number, to: number): { value: string; start: number }[] {
  const out: { value: string; start: number }[] = [];
  const re =
    /#\s?([A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z0-9])|\b([A-Z0-9]+(?:[-_][A-Z0-9]+)+|[A-Z]*\d[A-Z0-9]*[A-Z][A-Z0-9]*|[A-Z]+\d+[A-Z0-9]*|[A-Z]{4,}\d*|[a-z]+\d+[a-z0-9]*)\b/g;
  const slice = text.slice(from, to);
  for (const m of slice.matchAll(re)) {
    const value = m[1] ?? m[2] ?? "";
    if (!value) continue;
    if (
      !m[1] &&
      /^[A-Z]+$/.test(value) &&
      /^(?:USD|EUR|GBP|PDF|PNG|JPG|JPEG|GIF|CSV|HTML|CSS|URL|API|FAQ|UI|UX|OK|DONE|CTA|SSO|SMS|ASAP|NOTE|TODO|HTTP|HTTPS|JSON|XML|WEBP|HEIC|SVG|MP4|VISA|IOS|USB)$/.test(
        value,
      )
    )
      continue;
    if (!m[1] && /^\d+(?:[-_]\d+)*$/.test(value)) continue;
    out.push({ value, start: from + m.index });
  }
  return out;
}

function shapeOf(s: string): string {
  return s
    .replace(/[A-Z]/g, "A")
    .replace(/[a-z]/g, "a")
    .replace(/\d/g, "9")
    .replace(/(.)\1+/g, "$1");
}

function extractCode(ctx: Context, profile: FieldProfile): string | null {
  const text = ctx.input.testerResponse;
  let best: { value: string; score: number } | null = null;
  const exampleShape = typeof profile.example === "string" ? shapeOf(profile.example) : null;
  for (const seg of ctx.segments) {
    if (seg.unaddressed) continue;
    const rel = relevanceOf(profile, seg.tokens);
    for (const c of codeCandidates(text, seg.start, seg.end)) {
      let score = rel;
      const before = text.slice(Math.max(0, c.start - 30), c.start).toLowerCase();
      if (/(?:#|number|no\.?|code|id|ref|confirmation|order|booking|reference)\s*:?\s*#?\s*$/.test(before))
        score += 1.5;
      if (exampleShape && shapeOf(c.value) === exampleShape) score += 1;
      if (/\d/.test(c.value) && /[A-Za-z]/.test(c.value)) score += 0.3;
      if (!best || score > best.score) best = { value: c.value, score };
    }
  }
  return best && best.score >= 1 ? best.value : null;
}

const SAY_BEFORE =
  /(?:says?|said|saying|shows?|showed|showing|reads?|reading|displays?|displayed|got|get|gave|gives|with|error|message|text|toast|banner|label|labelled|titled|called|named|is|was|:|-|→|->)\s*(?:an?\s+|the\s+)?(?:\w+\s+){0,3}$/i;
const INPUT_BEFORE =
  /(?:entered|enter|typed|type|searched(?: for)?|search(?:ed)? for|tried|used|input|filled in|pasted|with (?:a |the )?(?:bad|wrong|invalid|fake|test)\s+\w+)\s*(?:\w+\s+){0,2}$/i;

function quoteScore(ctx: Context, profile: FieldProfile, q: Quote, seg: Segment): number {
  const text = ctx.input.testerResponse;
  const before = text.slice(Math.max(0, q.start - 40), q.start);
  let score = relevanceOf(profile, seg.tokens);
  if (SAY_BEFORE.test(before)) score += 0.6;
  if (INPUT_BEFORE.test(before)) score -= 1.5;
  if (/\berror|fail|invalid|wrong|warning/i.test(`${profile.name} ${profile.description}`)) {
    const unquoted = stripQuotes(seg.sentence.text, ctx.doc.quotes, seg.sentence.start).toLowerCase();
    if (
      /\b(?:error|fail|failed|rejected|declined|invalid|couldn'?t|can'?t|not|red)\b/.test(unquoted) ||
      readSegment(profile, seg) < 0
    )
      score += 0.5;
  }
  return score;
}

function extractMessage(ctx: Context, profile: FieldProfile): string | null {
  let best: { q: Quote; score: number; seg: Segment } | null = null;
  for (const q of ctx.doc.quotes) {
    const seg = ctx.segments.find((s) => q.start >= s.start && q.start < s.end);
    if (!seg || seg.unaddressed) continue;
    const score = quoteScore(ctx, profile, q, seg);
    if (!best || score > best.score) best = { q, score, seg };
  }
  if (!best || best.score < 0.5) return null;
  // "It says 'requried' — sorry, the actual text is 'required.'": a correction hands over to the next quote.
  let chosen = best.q;
  for (;;) {
    const next = ctx.doc.quotes.find((q) => q.start >= chosen.end);
    if (!next) break;
    const between = ctx.input.testerResponse.slice(chosen.end, next.start);
    if (between.length > 200 || !CORRECTION_PATTERN.test(between)) break;
    chosen = next;
  }
  return chosen.inner.trim();
}

const MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
const WEEKDAY = "(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\\.?";
const TIME =
  "(?:,?\\s+(?:at\\s+)?\\d{1,2}(?:[:.]\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)|,?\\s+(?:at\\s+)?\\d{1,2}:\\d{2})?";
const DATE_RE = new RegExp(
  `(?:(?:${WEEKDAY},?\\s+)?(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+\\d{4})?)|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}|\\b(?:today|tomorrow|yesterday)\\b|${WEEKDAY}(?=\\b))${TIME}`,
  "gi",
);

function extractDate(ctx: Context, profile: FieldProfile): string | null {
  const ranking = rank(ctx, profile);
  if (ranking.unaddressed) return null;
  // Dates are distinctive: sentences about the field first, then any sentence naming it.
  for (const { seg } of [...ranking.answers, ...mentions(ctx, profile)]) {
    const slice = ctx.input.testerResponse.slice(seg.start, seg.end);
    const dates = [...slice.matchAll(DATE_RE)].map((m) => m[0]).filter((d) => d.length > 3);
    const longest = dates.sort((a, b) => b.length - a.length)[0];
    if (longest) return longest.trim();
  }
  return null;
}

/** Known product, browser, device and payment names help when the description asks for one of them. */
const NAME_HINTS: [RegExp, RegExp][] = [
  [/\bbrowser\b/i, /\b(?:Chrome|Firefox|Safari|Edge|Opera|Brave|Vivaldi|Arc|Chromium|Samsung Internet)\b/],
  [
    /\b(?:device|phone|tablet|hardware|model)\b/i,
    /\b(?:iPhone|iPad|Pixel|Galaxy|MacBook|Surface|ThinkPad|Moto|OnePlus|Xperia|Nexus|Kindle|Chromebook|Android|Mac|Windows|laptop|desktop)\b/i,
  ],
  [
    /\b(?:payment|pay|method|card)\b/i,
    /\b(?:Apple Pay|Google Pay|PayPal|Visa|Mastercard|Amex|American Express|Klarna|Stripe|credit card|debit card|gift card|bank transfer|Venmo|Afterpay|iDEAL|SEPA)\b/i,
  ],
  [
    /\b(?:os|operating system|platform)\b/i,
    /\b(?:Windows|macOS|iOS|Android|Linux|Ubuntu|ChromeOS|iPadOS)\b/i,
  ],
  [
    /\b(?:language|locale)\b/i,
    /\b(?:English|German|Deutsch|French|Français|Spanish|Español|Italian|Italiano|Portuguese|Português|Dutch|Japanese|Chinese|Korean|Arabic|Hebrew|Polish|Swedish|Russian|Turkish|Hindi)\b/i,
  ],
];

function nameCandidates(text: string, seg: Segment): { value: string; start: number }[] {
  const out: { value: string; start: number }[] = [];
  const slice = text.slice(seg.start, seg.end);
  const re =
    /\b(?:[A-Z][\w&+.'-]*|i[A-Z]\w*|[a-z]+[A-Z]\w*)(?:\s+(?:[A-Z][\w&+.'-]*|\d+[\w.]*|i[A-Z]\w*|of|de|la|for|and|&)){0,4}/g;
  for (const m of slice.matchAll(re)) {
    let value = m[0].replace(/\s+(?:of|de|la|for|and|&)$/i, "").replace(/[.'-]+$/, "");
    const atStart = slice.slice(0, m.index).trim() === "" || /[-:*•]\s*$/.test(slice.slice(0, m.index));
    if (atStart) {
      // A capitalised first word starts the sentence; keep only what follows it.
      const rest = value.split(/\s+/).slice(1).join(" ");
      if (!rest) continue;
      value = rest;
    }
    if (/^(?:I|I'm|I've|I'd|It|The|A|An|This|That|OK|Done)$/i.test(value)) continue;
    out.push({ value, start: seg.start + m.index });
  }
  return out;
}

function extractName(ctx: Context, profile: FieldProfile): string | null {
  const ranking = rank(ctx, profile);
  if (ranking.unaddressed) return null;
  const text = ctx.input.testerResponse;
  const fieldText = `${profile.name.replace(/([a-z])([A-Z])/g, "$1 $2")} ${profile.description}`;
  const hints = NAME_HINTS.filter(([when]) => when.test(fieldText)).map(([, names]) => names);
  const exampleShape = typeof profile.example === "string" ? shapeOf(profile.example) : null;
  let best: { value: string; score: number } | null = null;
  const segments = ranking.answers.length
    ? ranking.answers.map((a) => a.seg)
    : ctx.segments.filter((s) => !s.unaddressed);
  for (const seg of segments) {
    const rel = relevanceOf(profile, seg.tokens);
    for (const hint of hints) {
      for (const m of text.slice(seg.start, seg.end).matchAll(new RegExp(hint.source, "gi"))) {
        // Extend a hinted name with a following model number ("Pixel 7", "Galaxy S23").
        const tail = /^(?:\s+(?:[A-Z]\w*|\d+\w*)){0,2}/.exec(text.slice(seg.start + m.index + m[0].length));
        const value = (m[0] + (tail?.[0] ?? "")).trim();
        const score = rel + 2 + (exampleShape && shapeOf(value) === exampleShape ? 1 : 0);
        if (!best || score > best.score) best = { value, score };
      }
    }
    for (const q of ctx.doc.quotes) {
      if (q.start < seg.start || q.start >= seg.end) continue;
      const score = rel + 0.5;
      if (!best || score > best.score) best = { value: q.inner.trim(), score };
    }
    // "picked the penguin avatar": the words right before the field's own noun name the value.
    for (const t of seg.tokens) {
      const term = t.group ? profile.terms.get(t.group) : undefined;
      if (!term?.fromName || term.weight < 1 || t.inQuote) continue;
      const before = seg.tokens.filter((x) => x.index < t.index && x.index >= t.index - 2 && !x.inQuote);
      const mods = before.filter(
        (x) =>
          !/^(?:the|a|an|my|its|this|that|our|your|their|new|and|or|to|of|picked|chose|chosen|selected|used|with|using|via)$/i.test(
            x.lower,
          ) && !x.negation,
      );
      const lastMod = mods[mods.length - 1];
      if (!mods.length || lastMod?.index !== t.index - 1) continue;
      const value = text.slice(mods[0]?.start ?? t.start, t.end);
      const score = rel + 1;
      if (!best || score > best.score) best = { value, score };
    }
    for (const c of nameCandidates(text, seg)) {
      let score = rel + 0.3;
      const words = c.value.toLowerCase().split(/\s+/);
      if (
        words.some((w) => [...profile.terms.keys()].some((g) => g.replace(/^=/, "") === w || g === `=${w}`))
      )
        score += 0.8;
      if (exampleShape && shapeOf(c.value) === exampleShape) score += 1;
      if (ctx.doc.quotes.some((q) => c.start > q.start && c.start < q.end)) score -= 0.5;
      if (!best || score > best.score) best = { value: c.value, score };
    }
  }
  if (best && best.score >= 1) return best.value;
  return ranking.answers[0] ? describe(ctx, profile, ranking.answers[0].seg) : null;
}

/** "Home 1.2s, Pricing 1.8s, Docs 3.6s": the label with the largest or smallest number. */
function extractSuperlative(ctx: Context, profile: FieldProfile): string | null {
  const how = profile.superlative;
  if (!how) return null;
  const text = ctx.input.testerResponse;
  const pairs: { label: string; value: number; kind: string }[] = [];
  // "Home 1.2s, Pricing 1.8s" or "driving 12 min, cycling 18 min": a short label right before each measurement.
  const re =
    /([\p{L}][\p{L}\d/&-]*(?:\s+[\p{L}][\p{L}\d/&-]*){0,2}|'[^']+'|"[^"]+")\s*(?:\([^)]*\))?\s*(?:[:=–-]|\btook\b|\bat\b|\bin\b|\bis\b|\bwas\b|\bcosts?\b)?\s*(?:~|about|around|roughly)?\s*((?:\$|€|£)?\d[\d,]*(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|min|mins|minutes|h|hours|mb|kb|gb|%|km|m)?)(?![\p{L}\d])/gu;
  for (const m of text.matchAll(re)) {
    const n = findNumbers(m[2] ?? "", [])[0];
    if (!n) continue;
    const words = (m[1] ?? "").replace(/^['"]|['"]$/g, "").split(/\s+/);
    // Keep the label's own words, not the verb or preposition before it.
    const kept: string[] = [];
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i] ?? "";
      if (
        /^(?:took|takes|at|in|is|was|were|are|for|of|to|from|and|the|a|an|with|about|around|roughly|loaded|load|loads|costs?|then|on|by)$/i.test(
          w,
        )
      )
        break;
      kept.unshift(w);
    }
    const label = kept.join(" ");
    if (!label) continue;
    pairs.push({ label, value: n.unit ? n.value * n.unit.factor : n.value, kind: n.unit?.kind ?? "none" });
  }
  const kinds = new Map<string, number>();
  for (const p of pairs) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const mainKind = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const same = pairs.filter((p) => p.kind === mainKind);
  if (same.length < 2 || mainKind === "none") return null;
  pairs.splice(0, pairs.length, ...same);
  const pick = pairs.reduce((a, b) =>
    how === "max" ? (b.value > a.value ? b : a) : b.value < a.value ? b : a,
  );
  return pick.label;
}

/** The relevant part of a sentence in the tester's words: after any "Label:" lead-in, without trailing asides. */
export function describe(ctx: Context, profile: FieldProfile, seg: Segment): string | null {
  const text = ctx.input.testerResponse;
  let s = text.slice(seg.start, seg.end);
  const unquoted = stripQuotes(s, ctx.doc.quotes, seg.start);
  const colon = unquoted.lastIndexOf(":");
  if (colon >= 0 && colon < s.length - 3) s = s.slice(colon + 1);
  s = s.replace(
    /,?\s*(?:which|this|that)\s+(?:is|was)\s+(?:the\s+)?(?:worst|biggest|main|most|only|top|a|an)\b.*$/i,
    "",
  );
  s = s.replace(/^\s*(?:and|but|also|plus|so|then)\s+/i, "");
  const words = s.trim().split(/\s+/);
  if (words.length > 18) {
    // Too long: keep the clause that carries the most criticism or topic.
    let bestClause = "";
    let bestScore = -Infinity;
    for (const c of seg.clauses) {
      const ct = text.slice(c.start, c.end);
      const score =
        relevanceOf(profile, c.tokens) -
        c.tokens.reduce((a, t) => a + Math.min(0, sentimentOf(t.lower)), 0) +
        Math.min(c.tokens.length, 8) * 0.05;
      if (score > bestScore) {
        bestScore = score;
        bestClause = ct;
      }
    }
    s = bestClause;
  }
  const out = cleanPhrase(s);
  return out || null;
}

function extractText(ctx: Context, profile: FieldProfile): string | null {
  const ranking = rank(ctx, profile);
  if (ranking.unaddressed) return null;
  const top = ranking.answers[0];
  if (!top) return null;
  return describe(ctx, profile, top.seg);
}

/** The answers a description offers: "e.g. printable PDF or QR code", "from a bot or a human agent". */
export function optionsOf(description: string): string[] {
  const m =
    /\b(?:e\.g\.?|eg|for example|such as|like|either|from|between|is|was)\s+((?:an?\s+|the\s+)?[^,.;()]+?(?:,\s*[^,.;()]+?)*,?\s+(?:or|and)\s+(?:an?\s+|the\s+)?[^,.;()]+)/i.exec(
      description,
    );
  if (!m?.[1]) return [];
  const options = m[1]
    .split(/\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+/i)
    .map((o) => o.replace(/^(?:an?|the)\s+/i, "").trim())
    .filter(Boolean);
  return options.length >= 2 && options.every((o) => o.split(/\s+/).length <= 4) ? options : [];
}

/** The description's option that the response names last (its final account), matching any of its words. */
function chooseOption(ctx: Context, profile: FieldProfile): string | null {
  const options = optionsOf(profile.description);
  if (!options.length) return null;
  let best: { option: string; pos: number; score: number } | null = null;
  for (const option of options) {
    const words = option
      .split(/\s+/)
      .map((w) => groupOf(w))
      .filter((g) => !profile.terms.has(g) || profile.terms.get(g)?.fromName !== true);
    for (const seg of ctx.segments) {
      if (seg.unaddressed) continue;
      let negatedAt = -Infinity;
      for (const t of seg.tokens) {
        if (t.negation) negatedAt = t.index;
        if (!words.includes(t.group) || t.index - negatedAt <= 2) continue;
        // The full option beats a part of it; later mentions beat earlier ones.
        const score = seg.tokens.filter((x) => words.includes(x.group)).length / words.length;
        if (!best || score > best.score || (score === best.score && t.start > best.pos))
          best = { option, pos: t.start, score };
      }
    }
  }
  return best?.option ?? null;
}

export function extractString(ctx: Context, profile: FieldProfile): string | null {
  const ranking = rank(ctx, profile);
  if (!ranking.unaddressed) {
    const option = chooseOption(ctx, profile);
    if (option !== null) return option;
  }
  if (profile.noneOption) {
    const top = ranking.answers[0];
    if (
      top &&
      saysNothing(profile, top.seg) &&
      !ctx.doc.quotes.some((q) => q.start >= top.seg.start && q.start < top.seg.end)
    )
      return "None";
  }
  const kind = kindOf(profile);
  if (profile.superlative && kind !== "text") {
    const label = extractSuperlative(ctx, profile);
    if (label) return label;
  }
  switch (kind) {
    case "code":
      return extractCode(ctx, profile);
    case "message": {
      const quoted = extractMessage(ctx, profile);
      if (quoted !== null) return quoted;
      const top = ranking.answers[0];
      if (!top || ranking.unaddressed) return null;
      return describe(ctx, profile, top.seg);
    }
    case "date":
      return extractDate(ctx, profile) ?? extractMessage(ctx, profile);
    case "text":
      return extractText(ctx, profile);
    case "name":
      return extractName(ctx, profile);
  }
}
