// Webhook signatures: `Eyeball-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Eyeball-Signature";
export const EVENT_HEADER = "Eyeball-Event";
export const DELIVERY_HEADER = "Eyeball-Delivery";
/** Default window in which a signed timestamp is accepted (replay protection). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function toUnixSeconds(timestamp: Date | number): number {
  return typeof timestamp === "number" ? Math.floor(timestamp) : Math.floor(timestamp.getTime() / 1000);
}

function hmacHex(secret: string, seconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex");
}

/** The `Eyeball-Signature` header value for `body` sent at `timestamp` (a Date or unix seconds). */
export function signWebhook(secret: string, timestamp: Date | number, body: string): string {
  const seconds = toUnixSeconds(timestamp);
  return `t=${seconds},v1=${hmacHex(secret, seconds, body)}`;
}

/**
 * True when `header` carries a v1 signature of `body` by `secret` whose timestamp is within
 * `toleranceSeconds` of `now`. Several v1 entries are allowed (secret rotation); comparison is
 * constant-time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  if (!header) return false;
  let seconds: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === "t" && /^\d+$/.test(value)) seconds = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (seconds === undefined || signatures.length === 0) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = toUnixSeconds(options.now ?? new Date());
  if (Math.abs(now - seconds) > tolerance) return false;
  const expected = Buffer.from(hmacHex(secret, seconds, body), "hex");
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
}
