// CORS for browser clients on other origins (the Electron renderer sends `Origin: null`, a dev Vite server its own origin).
import { type RequestHandler } from "express";

import { type CorsOrigins } from "./env";

export const CORS_ALLOW_METHODS = "GET, POST, OPTIONS";
/** What tRPC clients send: the bearer token, JSON bodies, streaming negotiation, and SSE resume. */
export const CORS_ALLOW_HEADERS = "authorization, content-type, trpc-accept, last-event-id";
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Answers preflights (204, or 403 for an origin not on the list) and marks responses to allowed
 * origins. Never sends Access-Control-Allow-Credentials: cross-origin callers (the tester app, a dev
 * server) authenticate with bearer tokens, so a page on another origin can only use a token it
 * already holds; the portal's session cookie is same-origin only (SameSite=Lax, and the context
 * refuses cookie-authenticated mutations from a foreign Origin). A request from an origin not on
 * the list still runs (as it would from curl); the browser just hides the answer.
 */
export function corsMiddleware(origins: CorsOrigins): RequestHandler {
  const allowed = new Set(origins === "*" ? [] : origins);
  return (req, res, next) => {
    // With a list, the answer depends on the request's Origin: caches must key on it.
    if (origins !== "*") res.vary("Origin");
    const origin = req.get("origin");
    const preflight = req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined;
    if (origin === undefined) {
      next();
      return;
    }
    const allow = origins === "*" ? "*" : allowed.has(origin) ? origin : null;
    if (allow === null) {
      if (preflight) res.status(403).end();
      else next();
      return;
    }
    res.setHeader("Access-Control-Allow-Origin", allow);
    if (!preflight) {
      next();
      return;
    }
    res.setHeader("Access-Control-Allow-Methods", CORS_ALLOW_METHODS);
    res.setHeader("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
    res.setHeader("Access-Control-Max-Age", String(CORS_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}
