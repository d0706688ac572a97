import { describe, expect, it } from "vitest";

import { bearerToken } from "./bearer";
import { hashApiKey } from "./hash";

describe("bearerToken", () => {
  it("reads the token of a Bearer header, any case, trimmed", () => {
    expect(bearerToken("Bearer eb_test_abc")).toBe("eb_test_abc");
    expect(bearerToken("bearer   eb_test_abc  ")).toBe("eb_test_abc");
    expect(bearerToken("eb_test_abc")).toBe("eb_test_abc");
  });

  it("returns null when nothing is presented", () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("")).toBeNull();
    expect(bearerToken("Bearer ")).toBeNull();
  });
});

describe("hashApiKey", () => {
  it("is SHA-256 hex", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
