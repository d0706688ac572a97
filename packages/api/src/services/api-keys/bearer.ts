// Extracts the token from an `Authorization: Bearer <token>` value (or takes a bare token).

/** The token, or null when the header is absent or empty. Case-insensitive scheme, surrounding space ignored. */
export function bearerToken(header: string | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  const trimmed = header.trim();
  if (trimmed === "") return null;
  const match = /^Bearer(?:\s+(.*))?$/i.exec(trimmed);
  const token = (match ? (match[1] ?? "") : trimmed).trim();
  return token === "" ? null : token;
}
