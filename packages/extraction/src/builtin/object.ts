// Object fields: one value per key named in the description, read from the text around each key (or as an address).
import type { JsonValue } from "@eyeball/core";

import { readSegment } from "./boolean";
import { type Context, mentions } from "./context";
import type { FieldProfile, ObjectKeyType } from "./field";
import { groupOf } from "./lexicon";
import { convert, findNumbers } from "./numbers";
import { cleanPhrase, type Clause, stripQuotes } from "./text";

const ADDRESS_KEYS =
  /^(?:street|street1|line1|address|address1|addressline1|city|town|postcode|postalcode|zip|zipcode|postal|state|region|province|country)$/i;
const STREET =
  /\b\d+[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s+){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct|Terrace|Close|Square|Sq|Crescent|Highway|Hwy|Parkway|Pkwy|Row|Gardens|Hill|Walk|Strasse|Straße)\b\.?/;
const POSTCODE =
  /\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{4,6})\b/;

function extractAddress(ctx: Context, keys: FieldProfile["keys"]): Record<string, JsonValue> | null {
  const text = ctx.input.testerResponse;
  const street = STREET.exec(text);
  if (!street) return null;
  const after = text.slice(street.index + street[0].length, street.index + street[0].length + 120);
  const parts = after
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  let postcode: string | null = null;
  let city: string | null = null;
  let state: string | null = null;
  let country: string | null = null;
  for (const part of parts.slice(0, 4)) {
    const clean = part.replace(/\.$/, "").trim();
    const pc = POSTCODE.exec(clean);
    if (!postcode && pc) {
      postcode = pc[0];
      const rest = clean.replace(pc[0], "").trim();
      if (rest && /^[A-Z]{2}$/.test(rest)) state = rest;
      else if (rest && !city && /^[A-Z]/.test(rest)) city = rest;
      continue;
    }
    if (!/^[A-Z][\p{L}' .-]*$/u.test(clean)) break;
    if (!city) city = clean;
    else if (!state && /^[A-Z]{2}$|^[A-Z][a-z]+$/.test(clean) && !country) state = clean;
    else if (!country) country = clean;
  }
  const out: Record<string, JsonValue> = {};
  for (const { key } of keys) {
    const k = key.toLowerCase();
    out[key] = /street|line1|address/.test(k)
      ? street[0].replace(/\.$/, "")
      : /city|town/.test(k)
        ? city
        : /post|zip/.test(k)
          ? postcode
          : /state|region|province/.test(k)
            ? state
            : /country/.test(k)
              ? country
              : null;
  }
  return out;
}

function valueForKey(
  ctx: Context,
  profile: FieldProfile,
  key: string,
  type: ObjectKeyType,
  allKeys: readonly string[],
): JsonValue {
  const text = ctx.input.testerResponse;
  const keyGroups = new Set([
    groupOf(key),
    ...key
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[\s_]+/)
      .map(groupOf),
  ]);
  const otherGroups = new Set(allKeys.filter((k) => k !== key).map(groupOf));
  const hit = ctx.doc.tokens.find((t) => keyGroups.has(t.group) && !t.inQuote);
  if (!hit) return null;
  // The key's span runs to the next key mention or the end of the sentence.
  const sentence = ctx.doc.sentences.find((s) => hit.start >= s.start && hit.start < s.end);
  if (!sentence) return null;
  const next = ctx.doc.tokens.find(
    (t) => t.start > hit.end && t.start < sentence.end && otherGroups.has(t.group),
  );
  const end = next ? next.start : sentence.end;
  const span = text.slice(hit.end, end);
  if (type === "number") {
    const n = findNumbers(span, [])[0];
    return n ? convert(n.value, n.unit, profile.unit) : null;
  }
  if (type === "boolean") {
    const tokens = ctx.doc.tokens.filter((t) => t.start >= hit.start && t.end <= end);
    const clause: Clause = { start: hit.start, end, tokens };
    const score = readSegment({ terms: new Map(), direction: 1 }, { clauses: [clause] });
    return score >= 0;
  }
  const value = cleanPhrase(
    stripQuotes(span, [], 0).replace(
      /^\s*(?:\([^)]*\))?\s*(?:[:=-]|is|was|are|were|says|said|shows)?\s*/i,
      "",
    ),
  );
  return value || null;
}

const LOW_KEY = /^(?:min|minimum|low|lower|from|start|begin|origin|pickup|departure|source|first)/i;
const HIGH_KEY = /^(?:max|maximum|high|upper|to|end|finish|destination|dropoff|arrival|target|last)/i;

/** A two-key object whose keys are the ends of a span: "£55k–£70k", "from Kings Cross to Shoreditch". */
function extractSpan(ctx: Context, profile: FieldProfile): Record<string, JsonValue> | null {
  const [a, b] = profile.keys;
  if (!a || !b || profile.keys.length !== 2 || a.type !== b.type) return null;
  const ordered = LOW_KEY.test(a.key) && HIGH_KEY.test(b.key);
  const reversed = HIGH_KEY.test(a.key) && LOW_KEY.test(b.key);
  if (!ordered && !reversed && a.type === "number") return null;
  const [lowKey, highKey] = reversed ? [b.key, a.key] : [a.key, b.key];
  const text = ctx.input.testerResponse;
  const ranked = mentions(ctx, profile).map((r) => r.seg);
  const segs = ranked.length ? ranked : ctx.segments.filter((s) => !s.unaddressed);
  for (const seg of segs) {
    const slice = text.slice(seg.start, seg.end);
    if (a.type === "number") {
      const nums = findNumbers(slice, []);
      for (let i = 0; i + 1 < nums.length; i++) {
        const x = nums[i];
        const y = nums[i + 1];
        if (!x || !y) continue;
        const between = slice.slice(x.end, y.start);
        const lead = slice.slice(Math.max(0, x.start - 9), x.start);
        if (
          /^\s*(?:[-–—]|to|and)\s*$/i.test(between) &&
          (!/and/i.test(between) || /between\s*$/i.test(lead))
        ) {
          const unit = y.unit ?? x.unit;
          return {
            [lowKey]: convert(x.value, x.unit ?? unit, profile.unit),
            [highKey]: convert(y.value, y.unit ?? unit, profile.unit),
          };
        }
      }
    } else if (a.type === "string") {
      const m =
        /\bfrom\s+(.+?)\s+(?:to|until|till|→|->)\s+(.+?)(?=[.,;:!?()]|\s+(?:and|but|with|for|at|on|in)\b|$)/i.exec(
          stripQuotes(slice, [], 0),
        );
      if (m?.[1] && m[2]) return { [lowKey]: cleanPhrase(m[1]), [highKey]: cleanPhrase(m[2]) };
    }
  }
  return null;
}

export function extractObject(ctx: Context, profile: FieldProfile): Record<string, JsonValue> | null {
  const keys = profile.keys;
  if (!keys.length) return null;
  if (keys.every((k) => ADDRESS_KEYS.test(k.key))) return extractAddress(ctx, keys);
  const keyed = keys.some((k) => ctx.doc.tokens.some((t) => t.group === groupOf(k.key) && !t.inQuote));
  if (!keyed) {
    const span = extractSpan(ctx, profile);
    if (span) return span;
  }
  const out: Record<string, JsonValue> = {};
  let any = false;
  for (const { key, type } of keys) {
    const value = valueForKey(
      ctx,
      profile,
      key,
      type,
      keys.map((k) => k.key),
    );
    out[key] = value;
    if (value !== null) any = true;
  }
  return any ? out : null;
}
