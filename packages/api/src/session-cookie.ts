// The portal's session cookie: its name and attributes, reading it from a Cookie header, and the origin check.

export const SESSION_COOKIE_NAME = "eyeball_session";

export interface SessionCookieAttributes {
  /** Set when the request came over https or the server's public URL is https. */
  secure: boolean;
}

/** Sets and clears the session cookie on the response of the current request (a no-op outside HTTP). */
export interface SessionCookieJar {
  /** Sets the cookie to `token` until `expiresAt` (Max-Age counted from the service clock). */
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** For contexts without an HTTP response (tests, IPC): cookies go nowhere. */
export const NO_SESSION_COOKIES: SessionCookieJar = {
  set() {
    // nothing to set: no response
  },
  clear() {
    // nothing to clear: no response
  },
};

function attributes({ secure }: SessionCookieAttributes): string {
  // httpOnly: page scripts never see the token; Lax: cross-site subrequests and POSTs carry no cookie.
  return `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The `Set-Cookie` value that stores `token` for `maxAgeSeconds`. */
export function sessionCookieHeader(
  token: string,
  maxAgeSeconds: number,
  options: SessionCookieAttributes,
): string {
  const maxAge = Math.max(0, Math.floor(maxAgeSeconds));
  return `${SESSION_COOKIE_NAME}=${token}; Max-Age=${maxAge}; ${attributes(options)}`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearSessionCookieHeader(options: SessionCookieAttributes): string {
  return `${SESSION_COOKIE_NAME}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${attributes(options)}`;
}

/** The value of cookie `name` in a `Cookie` request header, or null. The first one wins, as in browsers. */
export function readCookie(header: string | string[] | undefined, name: string): string | null {
  if (header === undefined) return null;
  const joined = Array.isArray(header) ? header.join("; ") : header;
  for (const part of joined.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // not percent-encoded: keep as is
    }
    return value === "" ? null : value;
  }
  return null;
}

/**
 * True when `origin` (an `Origin` request header) is this server: the origin of `publicUrl`, or
 * any scheme on the request's own `Host` (a TLS-terminating proxy may hide the scheme). `null` and
 * unparsable origins are foreign.
 */
export function isOwnOrigin(origin: string, publicUrl: string, host: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  try {
    if (parsed.origin === new URL(publicUrl).origin) return true;
  } catch {
    // a bad public URL matches nothing
  }
  return host !== undefined && host !== "" && parsed.host === host.trim().toLowerCase();
}
