// Prefixed random ids and API key formats; random bytes come from Web Crypto, no Node I/O.
import { DomainError } from "./errors";

/** url-safe and unambiguous to double-click: letters and digits only. */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 22 base-62 characters ≈ 131 bits of entropy, comfortably above the 96 required. */
export const ID_RANDOM_LENGTH = 22;
/** 32 base-62 characters ≈ 190 bits for API keys. */
export const API_KEY_RANDOM_LENGTH = 32;

export const ID_PREFIXES = {
  job: "job",
  assignment: "asg",
  organization: "org",
  user: "usr",
  tester: "tst",
  project: "prj",
  apiKey: "key",
  dispute: "dsp",
  webhook: "whk",
  event: "evt",
  artifact: "art",
  ledger: "led",
  session: "ses",
} as const;
export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

/** Uniform random base-62 characters; bytes ≥ 248 are rejected so no character is favoured. */
export function randomString(length: number): string {
  if (!Number.isSafeInteger(length) || length < 1)
    throw new DomainError("INTERNAL", "length must be a positive integer");
  let out = "";
  // Web Crypto fills at most 65,536 bytes per call.
  const bytes = new Uint8Array(Math.min(length * 2, 65_536));
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte >= 248) continue; // 248 = 4 × 62
      out += ALPHABET.charAt(byte % 62);
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new id such as `job_4fT9…`; the prefix tells what the id names when it shows up in a log. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomString(ID_RANDOM_LENGTH)}`;
}

/** True when the value looks like an id of that kind (prefix and base-62 body). */
export function isId(value: string, kind: IdKind): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{${ID_RANDOM_LENGTH}}$`).test(value);
}

export const API_KEY_MODES = ["live", "test"] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];
const API_KEY_PATTERN = new RegExp(`^eb_(live|test)_([0-9A-Za-z]{${API_KEY_RANDOM_LENGTH}})$`);
/** Random characters kept in the display prefix: enough to tell keys apart, far too few to guess. */
const DISPLAY_RANDOM_CHARS = 6;

/** A new API key: `eb_live_…` or `eb_test_…` (Stripe-style). Shown once; stored hashed elsewhere. */
export function generateApiKey(mode: ApiKeyMode): string {
  return `eb_${mode}_${randomString(API_KEY_RANDOM_LENGTH)}`;
}

export function isApiKeyFormat(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}

/** The key's mode, or null when the string is not an Eyeball key. */
export function apiKeyMode(key: string): ApiKeyMode | null {
  const mode = API_KEY_PATTERN.exec(key)?.[1];
  return mode === "live" || mode === "test" ? mode : null;
}

/** Test-mode keys drive the sandbox: simulated testers, no real credits. */
export function isTestKey(key: string): boolean {
  return apiKeyMode(key) === "test";
}

/** What the portal shows for a key: `eb_live_Ab12Cd` (never the whole secret). */
export function apiKeyPrefix(key: string): string {
  if (!isApiKeyFormat(key)) throw new DomainError("VALIDATION", "key: not an Eyeball API key");
  return key.slice(0, "eb_live_".length + DISPLAY_RANDOM_CHARS);
}
