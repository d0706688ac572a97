import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import {
  API_KEY_RANDOM_LENGTH,
  ID_PREFIXES,
  ID_RANDOM_LENGTH,
  apiKeyMode,
  apiKeyPrefix,
  generateApiKey,
  isApiKeyFormat,
  isId,
  isTestKey,
  newId,
  randomString,
} from "./ids";

describe("ids", () => {
  it("are prefixed, url-safe and carry at least 96 bits", () => {
    expect(ID_RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(96);
    for (const kind of Object.keys(ID_PREFIXES) as (keyof typeof ID_PREFIXES)[]) {
      const id = newId(kind);
      expect(id.startsWith(`${ID_PREFIXES[kind]}_`)).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
      expect(isId(id, kind)).toBe(true);
    }
    expect(newId("job")).toMatch(/^job_[0-9A-Za-z]{22}$/);
    expect(newId("assignment")).toMatch(/^asg_/);
    expect(newId("organization")).toMatch(/^org_/);
    expect(isId(newId("job"), "assignment")).toBe(false);
    expect(isId("job_abc123", "job")).toBe(false);
  });

  it("do not collide and use the whole alphabet evenly enough", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId("job")));
    expect(ids.size).toBe(5000);
    const sample = randomString(62_000);
    const counts = new Map<string, number>();
    for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(700); // expected 1000 each
    expectDomainError(() => randomString(0), "INTERNAL");
  });
});

describe("API keys", () => {
  it("have a mode prefix and a long random body", () => {
    const live = generateApiKey("live");
    const test = generateApiKey("test");
    expect(live).toMatch(new RegExp(`^eb_live_[0-9A-Za-z]{${API_KEY_RANDOM_LENGTH}}$`));
    expect(test).toMatch(/^eb_test_/);
    expect(isApiKeyFormat(live)).toBe(true);
    expect(apiKeyMode(live)).toBe("live");
    expect(apiKeyMode(test)).toBe("test");
    expect(isTestKey(test)).toBe(true);
    expect(isTestKey(live)).toBe(false);
  });

  it("refuse look-alikes", () => {
    for (const bad of [
      "eb_test_short",
      "sk_test_abc",
      `eb_prod_${"a".repeat(32)}`,
      `eb_test_${"a".repeat(31)}!`,
      "",
    ]) {
      expect(isApiKeyFormat(bad)).toBe(false);
      expect(apiKeyMode(bad)).toBeNull();
      expect(isTestKey(bad)).toBe(false);
    }
  });

  it("display only a short prefix", () => {
    const key = `eb_live_AbCdEf${"x".repeat(26)}`;
    expect(apiKeyPrefix(key)).toBe("eb_live_AbCdEf");
    expect(apiKeyPrefix(generateApiKey("test"))).toMatch(/^eb_test_[0-9A-Za-z]{6}$/);
    expectDomainError(() => apiKeyPrefix("nope"), "VALIDATION");
  });
});
