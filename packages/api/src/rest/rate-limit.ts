// Per-API-key rate limit (express-rate-limit): 429 with Retry-After and the standard error body.
import { type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";

import { type Db } from "../services/types";
import { actorOf } from "./auth";
import { sendError } from "./errors";
import { DatabaseRateLimitStore } from "./rate-limit-store";

export interface RateLimitOptions {
  /** Window length in ms (default one minute). */
  windowMs?: number;
  /** Requests per key per window (default 300). */
  limit?: number;
  /**
   * Where the counts live: `"memory"` (default) counts in this process only; `"database"` counts in
   * the `rate_limit_counters` table, shared by every process on the same database.
   */
  store?: "memory" | "database";
}

export const DEFAULT_RATE_LIMIT = { windowMs: 60_000, limit: 300 } as const;

/**
 * Counts requests per API key id, in this process's memory or (`store: "database"`, needs `db`)
 * in the database, so that processes behind a load balancer share one count per key.
 * Must run after `requireApiKey`.
 */
export function perKeyRateLimit(options: RateLimitOptions = {}, db?: Db): RequestHandler {
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs;
  const limit = options.limit ?? DEFAULT_RATE_LIMIT.limit;
  let store: DatabaseRateLimitStore | undefined;
  if (options.store === "database") {
    if (!db) throw new Error('perKeyRateLimit: store "database" needs the database client');
    store = new DatabaseRateLimitStore(db);
  }
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    ...(store && {
      store,
      // A failing counter write (database hiccup) lets the request through rather than failing it:
      // the limit protects the service, it is not a business rule. express-rate-limit logs the error.
      passOnStoreError: true,
    }),
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
