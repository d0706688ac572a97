// Splits a tester's response into quotes, tokens, sentences and clauses, keeping character offsets for extraction.
import {
  CORRECTION_PATTERN,
  groupOf,
  isNegation,
  PENDING_PATTERN,
  PHRASES,
  stem,
  STOP_WORDS,
  UNADDRESSED_PATTERNS,
} from "./lexicon";

export interface Span {
  start: number;
  end: number;
}

export interface Quote extends Span {
  /** Text between the quote marks. */
  inner: string;
}

export interface Token extends Span {
  raw: string;
  lower: string;
  stem: string;
  /** Synonym group used for matching; empty for the second word of a merged phrase. */
  group: string;
  inQuote: boolean;
  negation: boolean;
  index: number;
}

export interface Clause extends Span {
  tokens: Token[];
}

export interface Sentence extends Span {
  index: number;
  text: string;
  tokens: Token[];
  clauses: Clause[];
  /** Offset from which the sentence says the tester did not (yet) test something (the clause holding the cue), or null. */
  unaddressedFrom: number | null;
  /** The sentence corrects an earlier statement. */
  correction: boolean;
}

export interface Doc {
  text: string;
  quotes: Quote[];
  tokens: Token[];
  sentences: Sentence[];
}

const OPENERS = new Set(["'", "‘", '"', "“", "«"]);
const CLOSER_FOR: Record<string, string[]> = {
  "'": ["'", "’"],
  "‘": ["’", "'"],
  '"': ['"', "”"],
  "“": ["”", '"'],
  "«": ["»"],
};

/** Quoted spans. A single quote opens only after a non-word character and closes only before one, so "don't" is no quote. */
export function findQuotes(text: string): Quote[] {
  const quotes: Quote[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    const prev = i > 0 ? text.charAt(i - 1) : " ";
    if (
      OPENERS.has(ch) &&
      !/[\p{L}\p{N}]/u.test(prev) &&
      i + 1 < text.length &&
      !/\s/.test(text.charAt(i + 1))
    ) {
      const closers = CLOSER_FOR[ch] ?? [ch];
      let j = i + 1;
      let found = -1;
      while (j < text.length) {
        const c = text.charAt(j);
        if (c === "\n" && text.charAt(j + 1) === "\n") break;
        if (closers.includes(c)) {
          const next = j + 1 < text.length ? text.charAt(j + 1) : " ";
          const before = text.charAt(j - 1);
          if (!/[\p{L}\p{N}]/u.test(next) && !/\s/.test(before)) {
            found = j;
            break;
          }
        }
        j++;
      }
      if (found > i + 1) {
        quotes.push({ start: i, end: found + 1, inner: text.slice(i + 1, found) });
        i = found + 1;
        continue;
      }
    }
    i++;
  }
  return quotes;
}

export function insideAny(pos: number, spans: readonly Span[]): boolean {
  return spans.some((s) => pos > s.start && pos < s.end - 1);
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|#/gu;

function tokenize(text: string, quotes: readonly Quote[]): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const start = m.index;
    const lower = raw.toLowerCase();
    tokens.push({
      raw,
      lower,
      stem: stem(lower),
      group: groupOf(lower),
      start,
      end: start + raw.length,
      inQuote: quotes.some((q) => start > q.start && start < q.end),
      negation: isNegation(lower),
      index: tokens.length,
    });
  }
  // Merge two-word phrases ("log in") so they match their one-word forms.
  for (let k = 0; k + 1 < tokens.length; k++) {
    const a = tokens[k];
    const b = tokens[k + 1];
    if (!a || !b) continue;
    const merged = PHRASES[`${a.lower} ${b.lower}`];
    if (merged !== undefined && text.slice(a.end, b.start).trim() === "") {
      a.group = groupOf(merged);
      b.group = "";
    }
  }
  return tokens;
}

/** Titles before a name never end a sentence ("Dr. Patel"). */
const TITLES = new Set(["dr", "mr", "mrs", "ms", "prof", "st", "mt", "jr", "sr"]);
const ABBREVIATIONS = new Set([
  "incl",
  "e.g",
  "eg",
  "i.e",
  "ie",
  "etc",
  "vs",
  "approx",
  "no",
  "mr",
  "mrs",
  "dr",
  "st",
  "fig",
  "ca",
  "min",
  "max",
  "avg",
  "est",
]);

/** Sentence boundaries: line breaks, and . ! ? … followed by space when not inside a quote or after an abbreviation. */
function sentenceSpans(text: string, quotes: readonly Quote[]): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const push = (end: number): void => {
    if (text.slice(start, end).trim()) spans.push({ start, end });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === "\n") {
      push(i);
      start = i + 1;
      continue;
    }
    if (!/[.!?…]/.test(ch)) continue;
    if (insideAny(i, quotes)) {
      // "The page says 'You've been unsubscribed.' Over the next days…": a quote ending a sentence ends it too.
      const q = quotes.find((x) => i === x.end - 2);
      if (q && /^\s+[\p{Lu}]/u.test(text.slice(q.end))) {
        push(q.end);
        start = q.end;
        i = q.end - 1;
      }
      continue;
    }
    let j = i;
    while (j + 1 < text.length && /[.!?…)"'”’]/.test(text.charAt(j + 1))) j++;
    const next = text.charAt(j + 1);
    if (j + 1 < text.length && !/\s/.test(next)) continue;
    if (ch === ".") {
      const before = /([\p{L}.]+)$/u.exec(text.slice(start, i));
      const word = before?.[1]?.toLowerCase() ?? "";
      if (TITLES.has(word) && j === i) continue;
      if (ABBREVIATIONS.has(word) && j === i) {
        // "No." and "min." are abbreviations only when the next word continues the sentence in lower case.
        const after = /^\s*(\S)/.exec(text.slice(j + 1));
        if (after?.[1] && /[\p{Ll}\p{N}]/u.test(after[1])) continue;
      }
    }
    push(j + 1);
    start = j + 1;
    i = j;
  }
  push(text.length);
  return spans;
}

/** Clause boundaries inside a sentence: , ; : dashes and contrastive or relative connectives. */
const CLAUSE_WORDS = new Set([
  "but",
  "though",
  "although",
  "however",
  "whereas",
  "except",
  "which",
  "tho",
  "yet",
  "then",
  "so",
  "because",
  "since",
]);

function splitClauses(
  text: string,
  tokens: readonly Token[],
  quotes: readonly Quote[],
  span: Span,
): Clause[] {
  const cuts = new Set<number>();
  for (let i = span.start; i < span.end; i++) {
    const ch = text.charAt(i);
    if (insideAny(i, quotes)) continue;
    if (/[;:()]/.test(ch)) cuts.add(i);
    else if (ch === "," && !(/\d/.test(text.charAt(i - 1)) && /\d/.test(text.charAt(i + 1)))) cuts.add(i);
    else if (/[—–]/.test(ch)) cuts.add(i);
    else if (
      ch === "-" &&
      text.charAt(i - 1) === " " &&
      (text.charAt(i + 1) === " " || text.charAt(i + 1) === ">")
    )
      cuts.add(i);
  }
  for (const t of tokens) if (CLAUSE_WORDS.has(t.lower) && !t.inQuote) cuts.add(t.start - 1);
  const clauses: Clause[] = [];
  let current: Token[] = [];
  let cStart = span.start;
  let last = span.start;
  for (const t of tokens) {
    let cut = false;
    for (let p = last; p < t.start; p++) if (cuts.has(p)) cut = true;
    if (cut && current.length) {
      clauses.push({ start: cStart, end: last, tokens: current });
      current = [];
      cStart = t.start;
    }
    current.push(t);
    last = t.end;
  }
  if (current.length) clauses.push({ start: cStart, end: span.end, tokens: current });
  return clauses;
}

/** Words that name no topic of their own: a cue followed only by these points back at what the sentence already named. */
const PRO_FORMS = new Set(
  (
    "it that this them those these one ones part bit either yet though too properly for now today anything something " +
    "everything much more there here about really actually honestly further beyond say"
  ).split(/\s+/),
);

/** Whether the text after a cue carries no topic of its own ("couldn't check that one", "can't say anything there"). */
function isAnaphoric(rest: string): boolean {
  const words = rest.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  return words.every((w) => STOP_WORDS.has(w) || PRO_FORMS.has(w));
}

/** A short topic label before a dash or colon ("Receipt email — I didn't check"): the cue's clause is about it. */
function isLabel(before: string): boolean {
  const m = /^(.*?)\s*[—–:]\s*$|^(.*?)\s+-\s*$/su.exec(before);
  const label = m?.[1] ?? m?.[2];
  if (label === undefined) return false;
  const words = label.replace(/^[\s\-*•]+/, "").match(/[\p{L}\p{N}']+/gu) ?? [];
  return words.length > 0 && words.length <= 5 && !words.some((w) => isNegation(w.toLowerCase()));
}

/** Parses a response into its quotes, tokens, sentences and clauses. */
export function parseDoc(text: string): Doc {
  const quotes = findQuotes(text);
  const tokens = tokenize(text, quotes);
  const sentences: Sentence[] = [];
  for (const span of sentenceSpans(text, quotes)) {
    const sTokens = tokens.filter((t) => t.start >= span.start && t.end <= span.end);
    if (!sTokens.length) continue;
    const raw = text.slice(span.start, span.end);
    const unquoted = stripQuotes(raw, quotes, span.start);
    const clauses = splitClauses(text, sTokens, quotes, span);
    let cue = -1;
    let cueEnd = -1;
    for (const re of [...UNADDRESSED_PATTERNS, PENDING_PATTERN]) {
      const m = re.exec(unquoted);
      if (m && (cue < 0 || m.index < cue)) {
        cue = m.index;
        cueEnd = m.index + m[0].length;
      }
    }
    let unaddressedFrom: number | null = null;
    if (cue >= 0) {
      const at = span.start + cue;
      const holder = clauses.find((c) => at >= c.start && at < c.end) ?? clauses.find((c) => c.start >= at);
      unaddressedFrom = holder ? holder.start : at;
      // "…the reminder wouldn't have gone out; couldn't check that one": a cue naming no topic of its own
      // ("that one", "it") refers back, so the whole sentence is unaddressed; so does a cue after a bare topic
      // label ("Receipt email — I didn't check my email") or a cue about a pending state ("still spinning").
      const rest = holder ? text.slice(span.start + cueEnd, holder.end) : "";
      if (
        (holder && isAnaphoric(rest)) ||
        isLabel(text.slice(span.start, holder ? holder.start : at)) ||
        PENDING_PATTERN.test(unquoted)
      )
        unaddressedFrom = span.start;
    }
    sentences.push({
      index: sentences.length,
      start: span.start,
      end: span.end,
      text: raw,
      tokens: sTokens,
      clauses,
      unaddressedFrom,
      correction: CORRECTION_PATTERN.test(unquoted),
    });
  }
  return { text, quotes, tokens, sentences };
}

/** The text with quoted spans blanked out, so cues inside a quoted site message are not read as the tester's words. */
export function stripQuotes(raw: string, quotes: readonly Quote[], offset: number): string {
  let out = raw;
  for (const q of quotes) {
    const a = q.start - offset;
    const b = q.end - offset;
    if (b <= 0 || a >= raw.length) continue;
    const from = Math.max(0, a);
    const to = Math.min(raw.length, b);
    out = out.slice(0, from) + " ".repeat(to - from) + out.slice(to);
  }
  return out;
}

/** Splits a field name like "pageLoadsUnderThreeSeconds" or "max_file_size" into lower-case words. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_$-]+/g, " ")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
}

/** Trims punctuation and filler from an extracted phrase. */
export function cleanPhrase(s: string): string {
  return s
    .replace(/^[\s,;:.\-–—>*•]+/, "")
    .replace(/[\s,;:\-–—(]+$/, "")
    .replace(/\.$/, "")
    .replace(/\s+/g, " ")
    .trim();
}
