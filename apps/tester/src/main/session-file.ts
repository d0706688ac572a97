// The signed-in session on disk: one small file, encrypted by the operating system's keychain when it offers one.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { StoredSession } from "../shared/bridge";
import { storedSessionSchema } from "../shared/bridge-args";
import type { SessionStore } from "./host";

export interface Cipher {
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

/** Stores the session as `file`; with no cipher (no keychain), as plain JSON readable only by the user. */
export function createSessionFile(file: string, cipher: Cipher | null): SessionStore {
  return {
    async load() {
      let raw: Buffer;
      try {
        raw = readFileSync(file);
      } catch {
        return null;
      }
      try {
        const text = cipher ? await cipher.decrypt(raw) : raw.toString("utf8");
        const parsed = storedSessionSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        // Unreadable (another keychain, a damaged file): the tester signs in again.
        return null;
      }
    },
    async save(session: StoredSession) {
      const text = JSON.stringify(session);
      const data = cipher ? await cipher.encrypt(text) : Buffer.from(text, "utf8");
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.tmp`;
      writeFileSync(temp, data, { mode: 0o600 });
      renameSync(temp, file);
    },
    clear() {
      rmSync(file, { force: true });
      return Promise.resolve();
    },
  };
}
