import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createCredentialsCipher } from "./credentials-cipher";

describe("credentials cipher", () => {
  const cipher = createCredentialsCipher(randomBytes(32));
  const credentials = [{ username: "qa@example.com", password: "hunter2" }];

  it("round-trips and never stores the plaintext", () => {
    const blob = cipher.encrypt(credentials, "job_a");
    expect(Buffer.from(blob).toString("latin1")).not.toContain("hunter2");
    expect(cipher.decrypt(blob, "job_a")).toEqual(credentials);
    // Fresh IV per encryption.
    expect(Buffer.from(cipher.encrypt(credentials, "job_a")).equals(Buffer.from(blob))).toBe(false);
  });

  it("refuses a blob moved to another job, tampered with, or opened with another key", () => {
    const blob = cipher.encrypt(credentials, "job_a");
    expect(() => cipher.decrypt(blob, "job_b")).toThrow(/could not be decrypted/);
    const tampered = new Uint8Array(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => cipher.decrypt(tampered, "job_a")).toThrow(/could not be decrypted/);
    expect(() => createCredentialsCipher(randomBytes(32)).decrypt(blob, "job_a")).toThrow(
      /could not be decrypted/,
    );
    expect(() => createCredentialsCipher(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});
