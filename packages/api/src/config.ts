// Settings the services need; the server reads them from its validated env.ts and passes them in.
import type { StripeConfig } from "./services/stripe/client";

export interface ApiConfig {
  /** "development" allows loopback webhook targets; "production" refuses private address ranges. */
  mode: "development" | "production";
  /** Public base URL of the server, for links in responses (artifacts, docs). */
  publicUrl: string;
  /** How long `POST /api/run` waits for a terminal state before answering 408. */
  runWaitMs: number;
  /** A working tester past the limit plus this grace is timed out (abandoned). */
  timeoutGraceMs: number;
  /** Window after settlement in which an owner may dispute. */
  disputeWindowMs: number;
  /** How often the worker approves settlements whose dispute window has closed (ms). */
  autoApproveSweepMs: number;
  /** Testers' share of what a slot is charged, in basis points. */
  testerShareBps: number;
  /** Sandbox (test-mode keys): the simulated tester's delay before claiming and before submitting. */
  sandbox: { enabled: boolean; claimDelayMs: number; workDurationMs: number };
  /** How long a signed artifact link (screenshot, video) stays valid; links are re-signed on every read. */
  artifactLinkTtlMs: number;
  /** Webhook delivery: attempts and the base of the exponential backoff. */
  webhooks: { maxAttempts: number; backoffBaseMs: number; timeoutMs: number };
  /** Card payments, payment methods, Connect payouts and Stripe webhooks; null = Stripe not configured. */
  stripe: StripeConfig | null;
  /** Tester payouts: the smallest Stripe payout, and how often every eligible tester is paid (null = only on request). */
  payouts: { minimumUsd: number; scheduleMs: number | null };
  /**
   * GitHub (repo context, issues): a token (null = anonymous, public repositories only) and the API
   * base URL (GitHub Enterprise: https://host/api/v3). Operator configuration, so it is not put
   * through the private-address guard that integrator-supplied URLs get.
   */
  github: { token: string | null; apiBaseUrl: string };
}

export const DEFAULT_API_CONFIG: ApiConfig = {
  mode: "development",
  publicUrl: "http://127.0.0.1:4000",
  runWaitMs: 10 * 60 * 1000,
  timeoutGraceMs: 60 * 1000,
  disputeWindowMs: 7 * 24 * 60 * 60 * 1000,
  autoApproveSweepMs: 60_000,
  testerShareBps: 7000,
  sandbox: { enabled: true, claimDelayMs: 500, workDurationMs: 1500 },
  artifactLinkTtlMs: 7 * 24 * 60 * 60 * 1000,
  webhooks: { maxAttempts: 8, backoffBaseMs: 2000, timeoutMs: 10_000 },
  stripe: null,
  payouts: { minimumUsd: 1, scheduleMs: null },
  github: { token: null, apiBaseUrl: "https://api.github.com" },
};

export function apiConfig(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return { ...DEFAULT_API_CONFIG, ...overrides };
}
