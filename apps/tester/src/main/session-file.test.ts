import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { type Cipher, createSessionFile } from "./session-file";

const session = {
  serverUrl: "https://eyeball.example.com",
  token: "eb_tst_secret",
  expiresAt: "2026-12-31T00:00:00.000Z",
  testerAlias: "Ada",
};

function fileIn(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "session-file-")), "nested", "session.bin");
}

/** AES-GCM with one key: stands in for the OS keychain (what safeStorage does, in-process). */
function aesCipher(key = randomBytes(32)): Cipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(sealed) {
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Promise.resolve(
        Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString("utf8"),
      );
    },
  };
}

describe("the session file", () => {
  it("keeps the session between runs, readable only by the user, and forgets it on sign-out", async () => {
    const file = fileIn();
    const store = createSessionFile(file, null);
    expect(await store.load()).toBeNull();
    await store.save(session);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await createSessionFile(file, null).load()).toEqual(session);
    await store.clear();
    expect(await store.load()).toBeNull();
  });

  it("is sealed by the keychain when there is one: the token is not on disk in the clear", async () => {
    const file = fileIn();
    const cipher = aesCipher();
    await createSessionFile(file, cipher).save(session);
    expect(readFileSync(file).includes("eb_tst_secret")).toBe(false);
    expect(await createSessionFile(file, cipher).load()).toEqual(session);
    // Another keychain (a restored backup, another user) cannot read it: the tester signs in again.
    expect(await createSessionFile(file, aesCipher()).load()).toBeNull();
  });

  it("treats a damaged or foreign file as signed out", async () => {
    const file = fileIn();
    const store = createSessionFile(file, null);
    await store.save(session);
    writeFileSync(file, "{not json");
    expect(await store.load()).toBeNull();
    writeFileSync(file, JSON.stringify({ ...session, token: "not-a-tester-token" }));
    expect(await store.load()).toBeNull();
  });
});
