// Word lists the rules read: stemming, synonym groups, negation, sentiment, unaddressed-topic and correction cues.

/** Irregular forms mapped to a base so "took" matches "take" and "felt" matches "feel". */
const IRREGULAR: Record<string, string> = {
  felt: "feel",
  took: "take",
  taken: "take",
  came: "come",
  got: "get",
  gotten: "get",
  went: "go",
  gone: "go",
  shown: "show",
  saw: "see",
  seen: "see",
  paid: "pay",
  bought: "buy",
  chose: "choose",
  chosen: "choose",
  ran: "run",
  broke: "break",
  broken: "break",
  said: "say",
  says: "say",
  told: "tell",
  found: "find",
  made: "make",
  kept: "keep",
  left: "leave",
  sent: "send",
  stuck: "stick",
  led: "lead",
  stood: "stand",
  froze: "freeze",
  frozen: "freeze",
  hid: "hide",
  hidden: "hide",
  wrote: "write",
  written: "write",
  thought: "think",
  began: "begin",
  begun: "begin",
  done: "done",
  held: "hold",
  gave: "give",
  given: "give",
  drove: "drive",
  driven: "drive",
  rode: "ride",
  ridden: "ride",
  sold: "sell",
  spent: "spend",
  fell: "fall",
  fallen: "fall",
  hung: "hang",
  children: "child",
  men: "man",
  women: "woman",
  people: "person",
};

/** A light suffix stemmer: good enough to match "expired"/"expiry", "typing"/"types", "submitted"/"submit". */
export function stem(word: string): string {
  const w = word.toLowerCase().replace(/[’']/g, "");
  const irregular = IRREGULAR[w];
  if (irregular !== undefined) return irregular;
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  let stripped = false;
  const strip = (suffix: string, replacement: string, minLeft: number): boolean => {
    if (s.endsWith(suffix) && s.length - suffix.length >= minLeft) {
      s = s.slice(0, s.length - suffix.length) + replacement;
      stripped = true;
      return true;
    }
    return false;
  };
  if (!(strip("fully", "", 4) || strip("ingly", "", 4) || strip("edly", "", 4))) {
    if (!(strip("ies", "y", 3) || strip("ied", "y", 3))) {
      if (!strip("ing", "", 3)) {
        if (!(s.endsWith("eed") || strip("ed", "", 3))) {
          if (!(
            strip("ments", "", 4) ||
            strip("ment", "", 4) ||
            strip("ness", "", 4) ||
            strip("ful", "", 4)
          )) {
            if (!(
              strip("able", "", 4) ||
              strip("ible", "", 4) ||
              strip("ably", "", 4) ||
              strip("ations", "", 4) ||
              strip("ation", "", 4) ||
              strip("ions", "", 5) ||
              strip("ion", "", 5)
            )) {
              if (!(w.length > 5 && strip("ly", "", 4))) {
                if (!(
                  w.length > 4 &&
                  !/(ss|us|is)es$/.test(s) &&
                  /[^aeiou]es$/.test(s) &&
                  strip("es", "", 3)
                )) {
                  if (!/(ss|us|is|ous)$/.test(s)) strip("s", "", 3);
                }
              }
            }
          }
        }
      }
    }
  }
  // "submitt" -> "submit", "stopp" -> "stop", but keep "call", "pass", "add".
  if (stripped && s.length > 3 && /([b-df-hj-kmnp-rtv-xz])\1$/.test(s)) s = s.slice(0, -1);
  if (s.length > 3 && /[ey]$/.test(s)) s = s.slice(0, -1);
  return s;
}

/** Synonym groups: every word of a group matches every other (after stemming). First word names the group. */
const SYNONYM_GROUPS: string[][] = [
  ["receive", "arrive", "come", "land", "deliver", "show up", "inbox"],
  ["show", "display", "appear", "visible", "present", "list", "render", "include", "exist", "offer", "see"],
  ["work", "function", "operate"],
  ["break", "broken"],
  [
    "error",
    "fail",
    "failure",
    "decline",
    "declined",
    "denied",
    "problem",
    "issue",
    "bug",
    "hiccup",
    "glitch",
    "wrong",
  ],
  ["close", "dismiss", "dismissible", "closable", "x"],
  ["image", "photo", "picture", "thumbnail", "img", "avatar"],
  ["length", "long", "duration", "runtime"],
  ["price", "cost", "charge", "charged", "amount", "total", "fee", "pay", "payment"],
  ["mobile", "phone", "iphone", "android", "smartphone"],
  ["email", "mail", "e-mail"],
  ["slow", "sluggish", "lag", "laggy", "sluggishly"],
  ["fast", "quick", "snappy", "instant", "instantly", "quickly", "immediately"],
  ["cart", "basket", "bag"],
  ["login", "signin", "log", "sign"],
  ["logout", "signout"],
  ["signup", "register", "registration", "create", "created"],
  ["reload", "refresh", "refreshed"],
  ["retry", "again", "reattempt", "second attempt"],
  ["link", "url", "href", "hyperlink"],
  ["delete", "remove", "removal", "erase", "wipe", "clear"],
  ["update", "change", "recalculate", "refreshes"],
  ["translate", "translation", "localize", "localization", "localise"],
  ["focus", "outline", "ring"],
  ["menu", "nav", "navigation", "navbar", "hamburger"],
  ["discount", "coupon", "promo", "voucher", "savings"],
  ["video", "clip", "player"],
  ["caption", "subtitle", "cc"],
  ["wishlist", "favorite", "favourite", "heart"],
  ["success", "succeed", "successful"],
  ["select", "pick", "choose", "chose", "tick"],
  ["complete", "finish", "completion", "end"],
  ["disappear", "vanish", "gone"],
  ["message", "text", "toast", "notice", "wording", "copy", "say", "read"],
  ["step", "stage"],
  ["widget", "tile", "panel", "card"],
  ["filter", "narrow", "facet"],
  ["upload", "attach", "attachment"],
  ["search", "query"],
  ["skip", "jump", "skipping"],
  ["max", "maximum", "limit", "cap", "upto"],
  ["top", "biggest", "main", "primary", "major", "worst", "important", "serious", "critical", "severe"],
  ["min", "minimum"],
  ["button", "btn", "cta"],
  ["confirmation", "confirm", "confirmed", "reference", "ref", "booking"],
  ["number", "code", "id", "#"],
  ["expire", "expiry", "expiration", "expired"],
  ["typ", "type", "typing", "keystroke"],
  ["time", "take", "duration", "second", "minute"],
  ["submit", "send", "sent", "post"],
  ["buy", "purchase", "order", "checkout"],
  ["open", "launch", "expand", "pop"],
  ["keyboard", "tab"],
  ["count", "many", "number of", "how many", "quantity", "qty"],
  ["correct", "correctly", "properly", "right", "accurate"],
  ["need", "require", "had to", "have to", "necessary"],
  ["font", "typeface", "webfont"],
  ["persist", "stay", "remain", "kept", "stick", "stuck", "retain", "save", "preserve"],
  ["play", "playback", "plays"],
  ["dark", "night"],
  ["reject", "refuse", "block", "rejected", "blocked"],
  ["sort", "order by"],
  ["load", "loading", "loaded"],
  ["size", "dimension"],
  ["address", "street"],
  ["postcode", "zip", "postal"],
  ["password", "pw", "pwd", "passcode"],
  ["account", "profile"],
  ["trial", "free trial"],
  ["person", "human", "someone", "somebody"],
  ["calorie", "kcal", "cal"],
  ["notification", "alert", "warning", "dialog", "popup", "modal", "prompt"],
];

const groupIndex = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const head = group[0] ?? "";
  for (const word of group) {
    if (word.includes(" ")) continue;
    const key = stem(word);
    if (!groupIndex.has(key)) groupIndex.set(key, `=${stem(head)}`);
  }
}

/** The synonym group of a word (or its stem when it has none). */
export function groupOf(word: string): string {
  const s = stem(word);
  return groupIndex.get(s) ?? s;
}

/** Opposites: a word whose group is the antonym of a field term states that term's negation ("accepted" for "rejected"). */
const ANTONYM_PAIRS: [string, string][] = [
  ["accept", "reject"],
  ["allow", "reject"],
  ["show", "hide"],
  ["appear", "disappear"],
  ["persist", "disappear"],
  ["persist", "hide"],
  ["persist", "delete"],
  ["enable", "disable"],
  ["success", "error"],
  ["pass", "error"],
  ["include", "exclude"],
  ["valid", "invalid"],
  ["visible", "hide"],
  ["keep", "lose"],
  ["save", "lose"],
];
// An opposite holds for the whole synonym group of a word ("stays" is the opposite of "disappears"), except in the
// loose "there is" group, whose members ("exists", "offers", "lists") are not the opposite of "hidden".
const LOOSE_GROUPS = new Set([groupOf("show")]);
const antonymIndex = new Map<string, Set<string>>();
for (const [a, b] of ANTONYM_PAIRS) {
  for (const [word, opposite] of [
    [a, b],
    [b, a],
  ] as const) {
    const group = groupOf(word);
    const key = LOOSE_GROUPS.has(group) ? `~${stem(word)}` : group;
    if (!antonymIndex.has(key)) antonymIndex.set(key, new Set());
    antonymIndex.get(key)?.add(groupOf(opposite));
  }
}
// The core words of "show" share its opposites.
for (const word of ["display", "visible", "appear", "shown"]) {
  const key = `~${stem(word)}`;
  const merged = new Set([...(antonymIndex.get(key) ?? []), ...(antonymIndex.get(`~${stem("show")}`) ?? [])]);
  antonymIndex.set(key, merged);
}

/** Groups that mean the opposite of a word. */
export function antonymsOf(word: string): ReadonlySet<string> {
  const group = groupOf(word);
  return antonymIndex.get(LOOSE_GROUPS.has(group) ? `~${stem(word)}` : group) ?? new Set();
}

/** Two-word phrases read as one token for matching ("log in" -> login). */
export const PHRASES: Record<string, string> = {
  "log in": "login",
  "logged in": "login",
  "logging in": "login",
  "logs in": "login",
  "sign in": "login",
  "signed in": "login",
  "signing in": "login",
  "log out": "logout",
  "logged out": "logout",
  "logging out": "logout",
  "sign out": "logout",
  "signed out": "logout",
  "sign up": "signup",
  "signed up": "signup",
  "signing up": "signup",
  "try again": "retry",
  "tried again": "retry",
  "trying again": "retry",
  "check out": "checkout",
  "show up": "show",
  "showed up": "show",
  "shows up": "show",
  "came through": "receive",
  "pop up": "popup",
  "drop down": "dropdown",
  "set up": "setup",
  "went through": "success",
  "go through": "success",
  "goes through": "success",
  "went up": "upload",
  "timed out": "timeout",
  "times out": "timeout",
};

/** Words that carry no topic: dropped from field terms. */
export const STOP_WORDS = new Set(
  (
    "a an the and or but of to in on at for with by from as into onto over under about after before is are was were be been " +
    "being am it its this that these those there here their they them then than i me my we our us you your he she his her him " +
    "which who whom what when where while so if also just very too do does did has have had will would can could should shall " +
    "may might must some any each only still even up out off again once whether tester testers user users one all every such " +
    "during within per via same other another both either shown given whole"
  ).split(/\s+/),
);

/** Topic-poor words in field names and descriptions: they match too much to identify a field alone. */
export const GENERIC_TERMS = new Set(
  [
    "work",
    "page",
    "site",
    "website",
    "app",
    "test",
    "able",
    "successful",
    "success",
    "correct",
    "number",
    "count",
    "time",
    "show",
    "new",
    "item",
    "thing",
    "option",
    "tester",
    "feature",
    "flow",
    "screen",
    "eventually",
    "found",
    "find",
    "use",
    "value",
    "state",
    "field",
    "result",
    "issue",
    "problem",
    "error",
    "list",
    "name",
    "any",
    "message",
    "text",
  ].map((w) => groupOf(w)),
);

export const NEGATION_WORDS = new Set([
  "no",
  "not",
  "never",
  "none",
  "nothing",
  "nobody",
  "nowhere",
  "without",
  "neither",
  "nor",
  "cannot",
  "unable",
  "lacks",
  "lacking",
  "zero",
  "isnt",
  "wasnt",
  "arent",
  "werent",
  "dont",
  "doesnt",
  "didnt",
  "cant",
  "couldnt",
  "wont",
  "wouldnt",
  "havent",
  "hasnt",
  "hadnt",
  "shouldnt",
  "aint",
  "nope",
  "fails",
  "failed",
  "fail",
]);

/** True when a raw token negates what follows it in its clause. */
export function isNegation(lower: string): boolean {
  const w = lower.replace(/[’']/g, "");
  return (
    NEGATION_WORDS.has(w) ||
    (/nt$/.test(w) && /(is|was|are|were|do|does|did|ca|could|wo|would|have|has|had|should|need)nt$/.test(w))
  );
}

/** Words that say something is good (+1) or bad (-1) regardless of topic. */
const SENTIMENT_WORDS: Record<string, number> = {
  work: 1,
  fine: 1,
  ok: 1,
  okay: 1,
  good: 1,
  great: 1,
  correct: 1,
  properly: 1,
  success: 1,
  smooth: 1,
  smoothly: 1,
  snappy: 1,
  nice: 1,
  perfect: 1,
  perfectly: 1,
  flawless: 1,
  flawlessly: 1,
  expected: 1,
  accurate: 1,
  accurately: 1,
  right: 1,
  load: 1,
  resolve: 1,
  match: 1,
  saved: 1,
  save: 1,
  translated: 1,
  localized: 1,
  fast: 1,
  quick: 1,
  quickly: 1,
  instant: 1,
  instantly: 1,
  responsive: 1,
  reliable: 1,
  readable: 1,
  legible: 1,
  consistent: 1,
  valid: 1,
  intact: 1,
  lovely: 1,
  excellent: 1,
  solid: 1,
  happy: 1,
  passes: 1,
  pass: 1,
  passed: 1,
  allowed: 1,
  usable: 1,
  accessible: 1,
  functional: 1,
  tappable: 1,
  clickable: 1,
  green: 0,
  as: 0,
  sharp: 1,
  crisp: 1,
  broken: -1,
  break: -1,
  fail: -1,
  failure: -1,
  error: -1,
  wrong: -1,
  missing: -1,
  hide: -1,
  overflow: -1,
  overlap: -1,
  crash: -1,
  bug: -1,
  buggy: -1,
  issue: -1,
  problem: -1,
  slow: -1,
  sluggish: -1,
  laggy: -1,
  lag: -1,
  empty: -1,
  blank: -1,
  declined: -1,
  rejected: -1,
  refused: -1,
  black: -1,
  frozen: -1,
  unavailable: -1,
  disabled: -1,
  freeze: -1,
  hang: -1,
  glitch: -1,
  glitchy: -1,
  worse: -1,
  worst: -1,
  bad: -1,
  ugly: -1,
  hard: -1,
  unreadable: -1,
  incorrect: -1,
  inaccurate: -1,
  timeout: -1,
  misaligned: -1,
  unresponsive: -1,
  truncated: -1,
  clipped: -1,
  garbled: -1,
  corrupt: -1,
  corrupted: -1,
  stuck: -1,
  spin: -1,
  spinning: -1,
  flicker: -1,
  flickers: -1,
  illegible: -1,
  unusable: -1,
  confusing: -1,
  awkward: -1,
  annoying: -1,
  mismatch: -1,
  off: 0,
  404: -1,
  500: -1,
  expired: -1,
  expire: -1,
  invalid: -1,
  denied: -1,
  loses: -1,
  lost: -1,
  lose: -1,
  ignores: -1,
  ignored: -1,
  unclear: -1,
  duplicate: -1,
  duplicated: -1,
  weird: -1,
  odd: -1,
  noticeable: -1,
  painful: -1,
  terrible: -1,
  horrible: -1,
  poor: -1,
  poorly: -1,
  blurry: -1,
  pixelated: -1,
  inconsistent: -1,
  overlapping: -1,
  obscures: -1,
  obscured: -1,
  covers: -1,
  cover: -1,
  blocked: -1,
  blocks: -1,
  unclickable: -1,
  untranslated: -1,
  still: 0,
};
const SENTIMENT = new Map<string, number>();
for (const [word, value] of Object.entries(SENTIMENT_WORDS)) {
  if (value !== 0) {
    SENTIMENT.set(word, value);
    // "clickable" must not make every "clicking" positive: -able words keep only their own form.
    // Irregular forms keep their sentiment to themselves: "stuck" is bad, "it didn't stick" is about persisting.
    if (!SENTIMENT.has(stem(word)) && !/(?:able|ible)$/.test(word) && IRREGULAR[word] === undefined)
      SENTIMENT.set(stem(word), value);
  }
}

/** Sentiment of a token: +1 good, -1 bad, 0 neutral. */
export function sentimentOf(lower: string): number {
  const w = lower.replace(/[’']/g, "");
  return SENTIMENT.get(w) ?? SENTIMENT.get(stem(w)) ?? 0;
}

/** Cues that the tester did not test something (yet): the topic they name is mentioned but unanswered. */
export const UNADDRESSED_PATTERNS: RegExp[] = [
  /\b(?:did ?n[o'’]?t|did not|have ?n[o'’]?t|has ?n[o'’]?t|have not|has not|had ?n[o'’]?t|had not|never|not|didnt|havent|hasnt|hadnt|dont|don'?t)\s+(?:yet\s+|even\s+|actually\s+|really\s+|get a chance to\s+|got a chance to\s+|have time to\s+|had time to\s+|manage to\s+|managed to\s+|bother to\s+|bothered to\s+)?(?:get(?:ting)? (?:to|round to|around to)|got (?:to|round to|around to)|check|checked|checking|test|tested|testing|try|tried|trying|look|looked|looking|verify|verified|confirm|confirmed|measure|measured|inspect|inspected|explore|explored|note|noted|write (?:it |that )?down|wrote (?:it |that )?down|written down|record|recorded|count|counted|compare|compared|time (?:it|that|them|how)|timed)\b/i,
  /\b(?:did ?n[o'’]?t|did not|have ?n[o'’]?t|have not|has ?n[o'’]?t|has not|not)\b[^.,;]*\byet\b/i,
  /\bran out of time\b/i,
  /\bno time (?:to|for)\b/i,
  /\b(?:skipped|skipping)\b/i,
  /\bout of scope\b/i,
  /\b(?:not sure|unsure|no idea|don'?t know|can'?t say|cannot say|can'?t tell|couldn'?t tell|could not tell|hard to say|unclear whether)\b/i,
  /\bstill (?:need|have to|has to|got to|checking|testing|waiting|loading|looking|working on|to)\b/i,
  /\b(?:will|i'll|ill|i will|gonna|going to|plan to|want to|need to|have to)\s+(?:check|test|try|look|verify|confirm|report|come back|get to|measure|rerun|re-run|retest|re-test)\b/i,
  /\bmoving on to\b/i,
  /\b(?:report back|circle back|come back to|get back to)\b/i,
  /\bnot (?:yet )?(?:tested|checked|verified|tried|covered|looked at|finished)\b/i,
  /\bnot done\b/i,
  /\bonly (?:looked at|checked|tested|tried|covered|focused on)\b.*\bnot\b/i,
  /\bforgot to\b/i,
  /\b(?:untested|unverified|unchecked|untried)\b/i,
  /\b(?:never|did ?n[o'’]?t|did not|could ?n[o'’]?t|could not|can'?t|cannot|wasn'?t able to|was not able to)\s+(?:actually\s+|really\s+)?(?:see|saw|find out|found out|know|knew|tell|confirm|verify|notice|check|learn)\s+(?:whether|if)\b/i,
  /\b(?:waiting|wait) (?:on|for)\b/i,
  /\b(?:have ?n[o'’]?t|has ?n[o'’]?t|have not|has not|not) (?:yet )?heard back\b/i,
  /\b(?:is|are) next\b|\bnext on (?:my|the) list\b|\bup next\b/i,
  /^\W*(?:now|next|currently)\s+(?:i'?m\s+|i am\s+)?\w+ing\b/i,
  /\b(?:couldn'?t|could not|can'?t|cannot|unable to|wasn'?t able to|was not able to)\s+(?:check|test|verify|confirm|measure|get to|tell|find out)\b/i,
  /\bbefore (?:writing|noting|copying|checking|I could)\b/i,
  /\bnext\b[^.]*\b(?:check|test|try|look)\b|\b(?:check|test|try|look)\b[^.]*\bnext\b/i,
  /\b(?:still (?:spinning|processing|pending|syncing|buffering|uploading|in progress|waiting)|giv(?:e|ing) it (?:a bit |some |more )+time|before I call it|too (?:early|soon) to (?:tell|say|call))\b/i,
];

/** A result still pending ("the badge is still spinning", "giving it more time"): the whole sentence gives no verdict. */
export const PENDING_PATTERN =
  /\b(?:still (?:spinning|processing|pending|syncing|buffering|uploading|in progress|waiting)|giv(?:e|ing) it (?:a bit |some |more )+time|before I call it|too (?:early|soon) to (?:tell|say|call)|(?:hasn'?t|has not|haven'?t|have not) (?:finished|completed) yet)\b/i;

/** Cues that the tester corrects what they just wrote; what follows replaces what came before. */
export const CORRECTION_PATTERN =
  /\b(?:no wait|wait no|wait,? (?:no|actually)|sorry|i mean|i meant|correction|scratch that|actually|rather|oops|my mistake|my bad|on second look|looking again|let me look again|typo|no,? it(?:'s| is| was)|make that|strike that|let me correct)\b/i;
