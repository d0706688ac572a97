// The Stripe client: the official SDK, pointed at api.stripe.com or (tests, self-hosted mocks) at a configured base URL.
import Stripe from "stripe";

import { DomainError } from "@eyeball/core";

/** Stripe is switched on by configuration (STRIPE_SECRET_KEY) and off by default. */
export interface StripeConfig {
  /** `sk_live_…` / `sk_test_…`; never logged. */
  secretKey: string;
  /** `whsec_…`: verifies the Stripe-Signature header of incoming webhooks. */
  webhookSecret: string;
  /** Base URL of the Stripe API (default https://api.stripe.com); a loopback stand-in in tests. */
  apiBaseUrl?: string;
  /** Requests retried by the SDK on network errors and 409/5xx, with its own idempotency keys. */
  maxNetworkRetries?: number;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

export type { Stripe };

export function createStripeClient(config: StripeConfig): Stripe {
  const options: Stripe.StripeConfig = {
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    timeout: config.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: "Eyeball" },
  };
  if (config.apiBaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(config.apiBaseUrl);
    } catch {
      throw new DomainError("VALIDATION", `STRIPE_API_BASE: not a URL: ${config.apiBaseUrl}`);
    }
    options.protocol = url.protocol === "http:" ? "http" : "https";
    options.host = url.hostname;
    options.port = url.port === "" ? (url.protocol === "http:" ? 80 : 443) : Number(url.port);
  }
  return new Stripe(config.secretKey, options);
}
