// Outbound URL check: in production, webhook targets must be public http(s) addresses (no SSRF into private ranges).
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

import { DomainError } from "@eyeball/core";

/** Resolves a hostname to every address it has (dns.lookup with `all: true`). Injectable for tests. */
export type HostResolver = (hostname: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: "verbatim" })).map((entry) => entry.address);

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local (ULA)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address embedded in an IPv4-mapped, -compatible or NAT64 IPv6 address, if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return undefined;
}

/** True for loopback, private, link-local, CGNAT, ULA and other non-public addresses. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return blocked.check(address, "ipv4");
  if (version === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== undefined) return blocked.check(v4, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true; // not an address at all: refuse
}

function refuse(message: string): never {
  throw new DomainError("VALIDATION", `webhookUrl: ${message}`);
}

/**
 * Parses a webhook URL and, in production mode, refuses targets in private address ranges: IP
 * literals, `localhost`, and hostnames any of whose addresses are private. Development allows
 * everything (loopback receivers). Call it when the URL is saved and again before each delivery
 * (DNS can change in between).
 */
export async function assertPublicWebhookUrl(
  url: string,
  mode: "development" | "production",
  resolve: HostResolver = systemResolver,
): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    refuse("must be an absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") refuse("must use http or https");
  if (parsed.username || parsed.password) refuse("must not contain credentials");
  if (mode === "development") return parsed;

  const hostname = parsed.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (hostname === "localhost" || hostname.endsWith(".localhost")) refuse("must not point at localhost");
  if (isIP(hostname) !== 0) {
    if (isPrivateAddress(hostname)) refuse("must not point at a private or loopback address");
    return parsed;
  }
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    refuse(`host ${hostname} could not be resolved`);
  }
  if (addresses.length === 0) refuse(`host ${hostname} has no addresses`);
  if (addresses.some(isPrivateAddress)) refuse(`host ${hostname} resolves to a private or loopback address`);
  return parsed;
}
