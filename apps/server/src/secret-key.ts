// The server's 32-byte secret (encrypts site credentials): from the environment, or generated once in the data folder.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { parseSecretKey } from "./env";

export const SECRET_KEY_FILE = "secret.key";

/**
 * Reads `<dataDir>/secret.key` (64 hex characters), creating it with mode 0600 on first use.
 * Losing this file makes stored site credentials unreadable, so it lives beside the database.
 */
export function loadOrCreateSecretKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(file, 0o600);
  const key = parseSecretKey(readFileSync(file, "utf8").trim());
  if (!key)
    throw new Error(`${file} does not hold a 32-byte key (64 hex characters); restore it from a backup`);
  return key;
}
