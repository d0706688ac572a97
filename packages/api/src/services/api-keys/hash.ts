// API keys are stored as SHA-256 hex: keys carry ≥ 128 bits of entropy, so a fast hash is enough.
import { createHash } from "node:crypto";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
