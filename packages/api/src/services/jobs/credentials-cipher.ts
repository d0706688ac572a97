// Site credentials encrypted at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the server's credentials key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

import { DomainError, type SiteCredential } from "@eyeball/core";

/** Layout: version (1) | iv (12) | auth tag (16) | ciphertext. The version byte leaves room for key rotation. */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = "eyeball:job-credentials:v1";

export interface CredentialsCipher {
  /** Ciphertext bound to `jobId` (as associated data), so a blob copied to another job fails to open. */
  encrypt(credentials: readonly SiteCredential[], jobId: string): Uint8Array<ArrayBuffer>;
  decrypt(blob: Uint8Array, jobId: string): SiteCredential[];
}

/**
 * `credentialsKey` is secret key material (at least 32 bytes); the AES key is derived from it with
 * HKDF so the same server secret can safely feed other purposes under other labels.
 */
export function createCredentialsCipher(credentialsKey: Buffer): CredentialsCipher {
  if (credentialsKey.length < 32) {
    throw new DomainError("INTERNAL", "credentialsKey must be at least 32 bytes of key material");
  }
  const key = Buffer.from(hkdfSync("sha256", credentialsKey, Buffer.alloc(0), HKDF_INFO, 32));

  return {
    encrypt(credentials, jobId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(jobId, "utf8"));
      const body = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
      const out = new Uint8Array(1 + IV_BYTES + TAG_BYTES + body.length);
      out[0] = FORMAT_VERSION;
      out.set(iv, 1);
      out.set(cipher.getAuthTag(), 1 + IV_BYTES);
      out.set(body, 1 + IV_BYTES + TAG_BYTES);
      return out;
    },
    decrypt(blob, jobId) {
      const bytes = Buffer.from(blob);
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_VERSION) {
        throw new DomainError("INTERNAL", "stored credentials are in an unknown format");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(1, 1 + IV_BYTES));
        decipher.setAAD(Buffer.from(jobId, "utf8"));
        decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([
          decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
        return JSON.parse(text) as SiteCredential[];
      } catch (error) {
        // Never echo the blob or the plaintext: only that opening failed.
        throw new DomainError("INTERNAL", "stored credentials could not be decrypted", { cause: error });
      }
    },
  };
}
