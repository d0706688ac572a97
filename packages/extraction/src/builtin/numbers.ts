// Finds numbers in text (digits, number words, currency, units) and converts between units of one kind.
import { type Quote, type Span } from "./text";

export type UnitKind = "time" | "data" | "money" | "percent" | "px" | "length" | "weight" | "temp";

export interface Unit {
  kind: UnitKind;
  /** Size of one unit in the kind's base unit (seconds, megabytes, currency unit, percent, pixel, metre, kilogram). */
  factor: number;
  name: string;
  /** Added before scaling (Fahrenheit: (value - 32) × 5/9 gives Celsius). */
  offset?: number;
}

export interface NumberMention extends Span {
  value: number;
  unit: Unit | null;
  inQuote: boolean;
  /** Written after "#": an identifier rather than a quantity. */
  hash: boolean;
  /** A weak reading such as "one" or "a minute". */
  weak: boolean;
  /** Spelled as words ("twelve", "a dozen"). */
  word: boolean;
  /** "8 out of 10", "4.2 / 5": the number this one is a share of. */
  outOf?: number;
  /** The second number of "8 out of 10": a scale, not a measurement. */
  denominator?: boolean;
}

const UNIT_TABLE: [RegExp, Unit][] = [
  [/^(?:ms|msec|msecs|millis|milliseconds?)$/i, { kind: "time", factor: 0.001, name: "ms" }],
  [/^(?:s|sec|secs|seconds?)$/i, { kind: "time", factor: 1, name: "s" }],
  [/^(?:mins?|minutes?)$/i, { kind: "time", factor: 60, name: "min" }],
  [/^(?:h|hrs?|hours?)$/i, { kind: "time", factor: 3600, name: "h" }],
  [/^(?:days?)$/i, { kind: "time", factor: 86400, name: "day" }],
  [/^(?:weeks?)$/i, { kind: "time", factor: 604800, name: "week" }],
  [/^(?:months?)$/i, { kind: "time", factor: 2629800, name: "month" }],
  [/^(?:years?|yrs?)$/i, { kind: "time", factor: 31557600, name: "year" }],
  [/^(?:bytes?)$/i, { kind: "data", factor: 0.000001, name: "B" }],
  [/^(?:kb|kib|kilobytes?)$/i, { kind: "data", factor: 0.001, name: "KB" }],
  [/^(?:mb|mib|megs?|megabytes?)$/i, { kind: "data", factor: 1, name: "MB" }],
  [/^(?:gb|gib|gigs?|gigabytes?)$/i, { kind: "data", factor: 1000, name: "GB" }],
  [/^(?:tb|terabytes?)$/i, { kind: "data", factor: 1000000, name: "TB" }],
  [/^(?:%|percent|per cent|pct)$/i, { kind: "percent", factor: 1, name: "%" }],
  [/^(?:px|pixels?)$/i, { kind: "px", factor: 1, name: "px" }],
  [/^(?:dollars?|usd|bucks|euros?|eur|pounds|gbp|cents?)$/i, { kind: "money", factor: 1, name: "$" }],
  [/^(?:mm|millimet(?:er|re)s?)$/i, { kind: "length", factor: 0.001, name: "mm" }],
  [/^(?:cm|centimet(?:er|re)s?)$/i, { kind: "length", factor: 0.01, name: "cm" }],
  [/^(?:m|met(?:er|re)s?)$/i, { kind: "length", factor: 1, name: "m" }],
  [/^(?:km|kilomet(?:er|re)s?)$/i, { kind: "length", factor: 1000, name: "km" }],
  [/^(?:mi|miles?)$/i, { kind: "length", factor: 1609.344, name: "mi" }],
  [/^(?:g|grams?)$/i, { kind: "weight", factor: 0.001, name: "g" }],
  [/^(?:kg|kgs|kilos?|kilograms?)$/i, { kind: "weight", factor: 1, name: "kg" }],
  [/^(?:lbs?|pounds?)$/i, { kind: "weight", factor: 0.45359237, name: "lb" }],
  [/^(?:oz|ounces?)$/i, { kind: "weight", factor: 0.028349523, name: "oz" }],
  [/^(?:°c|celsius|°)$/i, { kind: "temp", factor: 1, name: "C" }],
  [/^(?:°f|fahrenheit)$/i, { kind: "temp", factor: 5 / 9, name: "F", offset: -32 }],
];

export function unitFromWord(word: string): Unit | null {
  for (const [re, unit] of UNIT_TABLE) if (re.test(word)) return unit;
  return null;
}

const CURRENCY_PREFIX = /(?:US\$|A\$|C\$|\$|€|£|¥|USD\s?|EUR\s?|GBP\s?)$/;
const ONES: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  none: 0,
  single: 1,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1000000 };

function isNumberWord(w: string): boolean {
  return w in ONES || w in TENS || w in SCALES || w === "dozen" || w === "half" || w === "couple";
}

/** All numbers in the text, in order. */
export function findNumbers(text: string, quotes: readonly Quote[]): NumberMention[] {
  const found: NumberMention[] = [];
  const inQuote = (pos: number): boolean => quotes.some((q) => pos > q.start && pos < q.end);
  const digitRe = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/g;
  let skipUntil = -1;
  for (const m of text.matchAll(digitRe)) {
    if (m.index < skipUntil) continue;
    let start = m.index;
    let end = start + m[0].length;
    const before = text.slice(0, start);
    const prevChar = before.slice(-1);
    if (/[\p{L}_+/@]/u.test(prevChar)) continue;
    if (/\d[.:]$/.test(before)) continue;
    let after = text.slice(end);
    if (/^[/:]\d/.test(after) || /^\.\d/.test(after)) continue;
    if (/^(?:st|nd|rd|th)\b/i.test(after)) continue;
    if (/^\s?(?:am|pm|a\.m\.|p\.m\.)\b/i.test(after)) continue;
    if (/^[-–]\d/.test(after) && !/^[-–]\d+\s*(?:s|ms|sec|min|mb|%)/i.test(after)) {
      // "4242-4242" or an id such as "FS-20931" continues; ranges like "2-3s" are kept.
    }
    // "FS-20931", "4242-4242" are identifiers; "a 60-minute limit", "the 212-page manual" are quantities.
    if (/[\p{L}]-$/u.test(before) || /^-\d/.test(after) || /^-(?![\p{Ll}]+\b(?!-\d))[\p{L}]/u.test(after))
      continue;
    const hyphenUnit = /^-([\p{Ll}]+)\b/u.exec(after);
    let value = Number((m[1] ?? "").replace(/,/g, "") + (m[2] ?? ""));
    if (!Number.isFinite(value)) continue;
    let unit: Unit | null = null;
    const cur = CURRENCY_PREFIX.exec(before);
    if (cur) {
      unit = { kind: "money", factor: 1, name: "$" };
      start -= cur[0].length;
      // Money has two decimals: "€429.500" uses the dot as a thousands separator.
      if (m[2] && m[2].length === 4 && !m[1]?.includes(",")) value = Number(`${m[1] ?? ""}${m[2].slice(1)}`);
      // "€39,95": a comma before exactly two final digits is a decimal comma.
      const cents = m[2] ? null : /^,(\d{2})(?![\d,])/.exec(after);
      if (cents?.[1]) {
        value = Number(`${m[1] ?? ""}.${cents[1]}`);
        end += cents[0].length;
        skipUntil = end;
        after = text.slice(end);
      }
    }
    const unitMatch =
      hyphenUnit?.[1] && unitFromWord(hyphenUnit[1])
        ? hyphenUnit
        : /^\s?(%|°[cf]?|[a-z]+)(?![\p{L}])/iu.exec(after);
    let trailingLetters = /^[\p{L}]/u.test(after);
    if (unitMatch?.[1]) {
      const word = unitMatch[1];
      if (/^k$/i.test(word) && !/^\s/.test(after)) {
        value *= 1000;
        end += unitMatch[0].length;
        trailingLetters = false;
        const rest = /^\s?([a-z]+|%)(?![\p{L}])/iu.exec(text.slice(end));
        const u2 = rest?.[1] ? unitFromWord(rest[1]) : null;
        if (u2 && rest) {
          unit = unit ?? u2;
          end += rest[0].length;
        }
      } else {
        const u = unitFromWord(word);
        if (
          u &&
          !(
            u.kind === "length" &&
            word.toLowerCase() === "m" &&
            /^\s?m\s+(?:and|or|to|of|in|at|on)\b/i.test(after)
          )
        ) {
          if (!unit || u.kind === "money") unit = unit ?? u;
          if (u.kind === "money" && word.toLowerCase().startsWith("cent")) {
            value /= 100;
          }
          end += unitMatch[0].length;
          trailingLetters = false;
        }
      }
    }
    if (trailingLetters) continue;
    found.push({
      start,
      end,
      value,
      unit,
      inQuote: inQuote(m.index),
      hash: /#\s?$/.test(before),
      weak: false,
      word: false,
    });
  }

  // Number words: "twelve", "twenty-five", "a dozen", "a couple of", "half a second", "a minute".
  const wordRe = /[\p{L}]+/gu;
  const words = [...text.matchAll(wordRe)].map((m) => ({
    w: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
  for (let i = 0; i < words.length; i++) {
    const cur = words[i];
    if (!cur) continue;
    const w = cur.w;
    if (!isNumberWord(w) && w !== "a" && w !== "an") continue;
    let j = i;
    let value = 0;
    let partial = 0;
    let used = false;
    let weak = false;
    if (w === "a" || w === "an") {
      const next = words[i + 1];
      if (!next) continue;
      if (next.w === "dozen") {
        value = 12;
        j = i + 1;
        used = true;
      } else if (next.w === "couple") {
        value = 2;
        j = words[i + 2]?.w === "of" ? i + 2 : i + 1;
        used = true;
      } else if (next.w === "half" && unitFromWord(words[i + 2]?.w ?? "")) {
        value = 0.5;
        j = i + 1;
        used = true;
      } else if (unitFromWord(next.w) && !/^(?:m|g|mi|s|h|pounds?)$/.test(next.w)) {
        value = 1;
        j = i;
        used = true;
        weak = true;
      } else continue;
    } else {
      let k = i;
      while (k < words.length) {
        const cw = words[k]?.w ?? "";
        const gap = k > i ? text.slice(words[k - 1]?.end ?? 0, words[k]?.start ?? 0) : "";
        if (k > i && !/^[\s-]+$/.test(gap) && !(cw !== "and" && /^\s+and\s+$/.test(gap))) break;
        if (cw in ONES) partial += ONES[cw] ?? 0;
        else if (cw in TENS) partial += TENS[cw] ?? 0;
        else if (cw === "hundred") partial = (partial || 1) * 100;
        else if (cw in SCALES) {
          value += (partial || 1) * (SCALES[cw] ?? 1);
          partial = 0;
        } else if (cw === "dozen") partial = (partial || 1) * 12;
        else if (cw === "half") partial += k > i ? 0.5 : 0.5;
        else if (cw === "couple") partial += 2;
        else if (cw === "and" && k > i) {
          k++;
          continue;
        } else break;
        used = true;
        j = k;
        k++;
      }
      value += partial;
      if (w === "one" || w === "none" || w === "half" || w === "couple") weak = true;
      if (w === "half" && words[i - 1]?.w === "and") continue;
    }
    if (!used) continue;
    // "half a second", "half an hour"
    if (
      w === "half" &&
      j === i &&
      /^(?:a|an)$/.test(words[i + 1]?.w ?? "") &&
      unitFromWord(words[i + 2]?.w ?? "")
    ) {
      j = i + 1;
      weak = false;
    }
    // "one and a half"
    const tail = text.slice(words[j]?.end ?? 0);
    let endPos = words[j]?.end ?? cur.end;
    const half = /^\s+and a half\b/.exec(tail);
    if (half) {
      value += 0.5;
      endPos += half[0].length;
    }
    const nextWord = /^[\s-]*(?:of\s+)?([\p{L}%]+)/u.exec(text.slice(endPos));
    let unit: Unit | null = null;
    if (nextWord?.[1]) {
      const u = unitFromWord(nextWord[1]);
      if (u) {
        unit = u;
        endPos += nextWord[0].length;
      }
    }
    found.push({
      start: cur.start,
      end: endPos,
      value,
      unit,
      inQuote: inQuote(cur.start),
      hash: false,
      weak,
      word: true,
    });
    i = j;
  }
  // "held for 10:00", "a 2:30 clip": minutes and seconds (not a clock time with am/pm or "at").
  for (const m of text.matchAll(/(?<![\d:.])(\d{1,2}):([0-5]\d)(?![\d:])/g)) {
    const after = text.slice(m.index + m[0].length);
    const before = text.slice(0, m.index);
    if (/^\s?(?:am|pm|a\.m\.|p\.m\.)\b/i.test(after) || /\b(?:at|by|until|till|from)\s+$/i.test(before))
      continue;
    found.push({
      start: m.index,
      end: m.index + m[0].length,
      value: round(Number(m[1]) + Number(m[2]) / 60),
      unit: { kind: "time", factor: 60, name: "min" },
      inQuote: inQuote(m.index),
      hash: false,
      weak: true,
      word: false,
    });
  }
  found.sort((a, b) => a.start - b.start);
  return joinCompounds(text, linkRatios(text, found));
}

/** "8 out of 10", "4.2 / 5", "3 of 4": the first number is a share of the second. */
function linkRatios(text: string, found: NumberMention[]): NumberMention[] {
  for (let k = 0; k + 1 < found.length; k++) {
    const a = found[k];
    const b = found[k + 1];
    if (!a || !b || a.unit || b.unit || a.outOf !== undefined) continue;
    const between = text.slice(a.end, b.start);
    if (/^\s*(?:\/|out of|of)\s*$/i.test(between) && b.value > 0 && a.value <= b.value) {
      a.outOf = b.value;
      b.denominator = true;
    }
  }
  return found;
}

/** "1 hr 5 min", "2 min 30 s": consecutive time amounts, each smaller than the last, are one duration. */
function joinCompounds(text: string, found: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of found) {
    const prev = out[out.length - 1];
    // "7h 15m": after hours, "m" is minutes.
    if (prev?.unit?.kind === "time" && m.unit?.name === "m" && /^\s*$/.test(text.slice(prev.end, m.start)))
      m.unit = { kind: "time", factor: 60, name: "min" };
    if (
      prev?.unit &&
      m.unit &&
      prev.unit.kind === "time" &&
      m.unit.kind === "time" &&
      m.unit.factor < prev.unit.factor &&
      /^\s*(?:and\s+)?$/.test(text.slice(prev.end, m.start))
    ) {
      const total = (prev.value * prev.unit.factor + m.value * m.unit.factor) / m.unit.factor;
      out[out.length - 1] = { ...prev, end: m.end, value: round(total), unit: m.unit, weak: false };
      continue;
    }
    out.push(m);
  }
  return out;
}

/** Converts a value between two units of the same kind; values without a unit are taken as already in the target unit. */
export function convert(value: number, from: Unit | null, to: Unit | null): number {
  if (!from || !to || from.kind !== to.kind) return value;
  const base = (value + (from.offset ?? 0)) * from.factor;
  return round(base / to.factor - (to.offset ?? 0));
}

export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The unit a field's name or description asks for ("in seconds", "Mb", "in USD"). */
export function unitFromText(text: string): Unit | null {
  const t = text.replace(/([a-z])([A-Z])/g, "$1 $2");
  const explicit =
    /\b(?:in|as|of|using|measured in|expressed in)\s+(milliseconds|ms|seconds|secs|minutes|mins|hours|days|weeks|kilobytes|kb|megabytes|mb|gigabytes|gb|percent|%|pixels|px|dollars|usd|euros?|eur|gbp|pounds|cents|millimet(?:er|re)s|centimet(?:er|re)s|met(?:er|re)s|kilomet(?:er|re)s|km|miles|grams|kilograms|kg|lbs?|celsius|fahrenheit)\b/i.exec(
      t,
    );
  if (explicit?.[1]) return unitFromWord(explicit[1]);
  const words = t
    .toLowerCase()
    .split(/[^a-z%$€£]+/)
    .filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i] ?? "";
    if (
      /^(?:ms|milliseconds|seconds|secs|minutes|mins|hours|days|weeks|kb|mb|gb|megabytes|gigabytes|kilobytes|percent|percentage|px|pixels|usd|dollars|eur|euros|gbp|cents|km|kilometers|kilometres|miles|kg|kilograms|grams|lbs|celsius|fahrenheit)$/.test(
        w,
      )
    ) {
      if (w === "percentage") return { kind: "percent", factor: 1, name: "%" };
      return unitFromWord(w);
    }
  }
  if (
    /[$€£]|\b(?:price|cost|costs|fee|fees|amount|total|subtotal|charged?|paid|refund|discount|tax|shipping cost|balance|salary|revenue)\b/i.test(
      t,
    )
  ) {
    return { kind: "money", factor: 1, name: "$" };
  }
  if (/\b(?:load time|how long|duration|latency|delay|response time)\b/i.test(t))
    return { kind: "time", factor: 1, name: "s" };
  return null;
}
