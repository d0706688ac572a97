// Scores one extracted value against a label the way shared/extraction/grade.mjs does (used by the corpus tests).

const STOP_WORDS = new Set(
  (
    "a an the and or but of to in on at for with by from as into onto over under about after before is are was were be been being am it its " +
    "this that these those there here their they them then than i me my we our us you your he she his her him which who whom what when where " +
    "while so if also just very too do does did has have had will would can could should shall may might must some any each only still even " +
    "up out off again once"
  ).split(/\s+/),
);

function normalize(value: unknown): string {
  return String(value)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['\u2018\u2019\u02bc`]/g, "")
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

function contentWords(item: string): Set<string> {
  return new Set(
    normalize(item)
      .split(" ")
      .filter((w) => w && !STOP_WORDS.has(w))
      .map(stem),
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function itemText(v: unknown): string {
  if (typeof v === "string") return v;
  if (isPlainObject(v)) return Object.values(v).map(itemText).join(" ");
  return String(v);
}

function jaccard(a: string, b: string): number {
  const A = contentWords(a);
  const B = contentWords(b);
  if (A.size === 0 && B.size === 0) return normalize(a) === normalize(b) ? 1 : 0;
  let inter = 0;
  for (const w of A) if (B.has(w)) inter++;
  return inter / (A.size + B.size - inter);
}

function scoreString(exp: string, out: unknown): number {
  if (typeof out !== "string") return 0;
  const e = normalize(exp);
  const o = normalize(out);
  if (!e) return o ? 0 : 1;
  if (!o) return 0;
  const eTokens = e.split(" ").length;
  const oTokens = o.split(" ").length;
  if (` ${o} `.includes(` ${e} `) && oTokens <= Math.max(20, 3 * eTokens)) return 1;
  if (` ${e} `.includes(` ${o} `) && oTokens >= 0.6 * eTokens) return 1;
  return 0;
}

function scoreArray(exp: unknown[], out: unknown): number {
  if (!Array.isArray(out)) return 0;
  if (exp.length === 0 && out.length === 0) return 1;
  const outTexts = out.map(itemText);
  const used = outTexts.map(() => false);
  let matched = 0;
  for (const item of exp) {
    const text = itemText(item);
    let best = -1;
    let bestScore = 0;
    outTexts.forEach((o, j) => {
      if (used[j]) return;
      const s = jaccard(text, o);
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    });
    if (best >= 0 && bestScore >= 0.4) {
      used[best] = true;
      matched++;
    }
  }
  return matched / Math.max(exp.length, out.length);
}

/** Score in 0..1 of an output value against a label (null, boolean, number, string, {anyOf}, array or object). */
export function scoreValue(exp: unknown, out: unknown): number {
  if (isPlainObject(exp) && Array.isArray(exp.anyOf) && Object.keys(exp).length === 1) {
    return exp.anyOf.reduce((best: number, alt: unknown) => Math.max(best, scoreValue(alt, out)), 0);
  }
  if (exp === null || exp === undefined) return out === null || out === undefined ? 1 : 0;
  if (typeof exp === "boolean") return out === exp ? 1 : 0;
  if (typeof exp === "number") {
    if (typeof out !== "number" || !Number.isFinite(out)) return 0;
    return Math.abs(out - exp) <= Math.max(0.01, 0.01 * Math.abs(exp)) + 1e-9 ? 1 : 0;
  }
  if (typeof exp === "string") return scoreString(exp, out);
  if (Array.isArray(exp)) return scoreArray(exp, out);
  if (isPlainObject(exp)) {
    if (!isPlainObject(out)) return 0;
    const keys = Object.keys(exp);
    if (keys.length === 0) return 1;
    return keys.reduce((sum, k) => sum + scoreValue(exp[k], out[k]), 0) / keys.length;
  }
  return 0;
}
