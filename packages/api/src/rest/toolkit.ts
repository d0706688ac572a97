// The kit a route module receives: authentication, rate limit and JSON body in one chain, and idempotency.
import express, { type RequestHandler, type Router } from "express";

import { type AppServices } from "../app-services";
import { requireApiKey } from "./auth";
import { createIdempotency, type IdempotencyOptions } from "./idempotency";
import { perKeyRateLimit, type RateLimitOptions } from "./rate-limit";

export const DEFAULT_BODY_LIMIT = "1mb";

export interface RestToolkit {
  services: AppServices;
  /** `requireApiKey` → per-key rate limit → JSON body (with the size limit). Spread it before handlers. */
  authenticated: RequestHandler[];
  /** Only the API key check, for routes that must not count against the rate limit. */
  requireApiKey: RequestHandler;
  /** `Idempotency-Key` support for a create endpoint; name it uniquely, e.g. `"jobs.create"`. */
  idempotent(endpoint: string): RequestHandler;
}

/** A group of routes (one dialect, one resource) registered on the `/api` router. */
export type RestRouteModule = (router: Router, toolkit: RestToolkit) => void;

export interface RestToolkitOptions {
  /** express/body-parser size: bytes or a string like "1mb" (default 1 MB). */
  bodyLimit?: string | number;
  /** false disables the limit (tests, trusted networks). */
  rateLimit?: RateLimitOptions | false;
  idempotency?: IdempotencyOptions;
}

export function createRestToolkit(services: AppServices, options: RestToolkitOptions = {}): RestToolkit {
  const auth = requireApiKey(services.apiKeys);
  const json = express.json({ limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT });
  const authenticated = [
    auth,
    ...(options.rateLimit === false ? [] : [perKeyRateLimit(options.rateLimit, services.db)]),
    json,
  ];
  return {
    services,
    authenticated,
    requireApiKey: auth,
    idempotent: createIdempotency({ db: services.db, clock: services.clock }, options.idempotency),
  };
}
