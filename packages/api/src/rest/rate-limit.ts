// Per-API-key rate limit (express-rate-limit): 429 with Retry-After and the standard error body.
import { type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";

import { actorOf } from "./auth";
import { sendError } from "./errors";

export interface RateLimitOptions {
  /** Window length in ms (default one minute). */
  windowMs?: number;
  /** Requests per key per window (default 300). */
  limit?: number;
}

export const DEFAULT_RATE_LIMIT = { windowMs: 60_000, limit: 300 } as const;

/**
 * Counts requests per API key id in this process's memory. Behind a load balancer each process
 * counts on its own; a shared store (PostgreSQL) can replace the default one here.
 * Must run after `requireApiKey`.
 */
export function perKeyRateLimit(options: RateLimitOptions = {}): RequestHandler {
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs;
  const limit = options.limit ?? DEFAULT_RATE_LIMIT.limit;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (_req, res) => actorOf(res).apiKeyId,
    handler: (_req, res) => {
      const retryAfter = res.getHeader("Retry-After");
      sendError(
        res,
        429,
        "rate_limited",
        `Too many requests: at most ${limit} per ${Math.ceil(windowMs / 1000)} s per API key; retry after ${String(retryAfter ?? Math.ceil(windowMs / 1000))} s`,
      );
    },
  });
}
