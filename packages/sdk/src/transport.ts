// The SDK's fetch: a per-request timeout, and retries (p-retry, exponential backoff) only where a retry is safe.
import pRetry from "p-retry";

import { ConnectionError } from "./errors";

export interface RetryPolicy {
  /** Retries after the first attempt (default 2; 0 turns retries off). */
  maxRetries: number;
  /** First backoff (ms), doubled per retry up to maxDelayMs; a 429's Retry-After wins when longer. */
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, minDelayMs: 500, maxDelayMs: 8_000 };

const RETRIABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Safe to send twice: reads (GET/HEAD) always; a POST only when it carries an Idempotency-Key (the
 * server replays the first answer). Owner actions and deletes are never retried: a second pause or
 * a second delete after a lost answer is not the same request.
 */
export function isRetrySafe(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD") return true;
  return request.method === "POST" && request.headers.has("idempotency-key");
}

class RetriableResponse extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${String(response.status)}`);
  }
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface TransportOptions {
  fetch: typeof fetch;
  retry: RetryPolicy;
  /** Per attempt (ms); 0 = none. Streams (SSE) pass their own signal and no timeout. */
  timeoutMs: number;
  /** Waits between retries; tests inject one that resolves at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A fetch for openapi-fetch: typed errors are made by the client; this turns network failures into ConnectionError. */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  const sleep = options.sleep ?? defaultSleep;
  const attempt = async (request: Request): Promise<Response> => {
    const signals = [request.signal];
    if (options.timeoutMs > 0) signals.push(AbortSignal.timeout(options.timeoutMs));
    try {
      return await options.fetch(new Request(request, { signal: AbortSignal.any(signals) }));
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new ConnectionError(`${request.method} ${new URL(request.url).pathname}: ${reason}`, {
        cause: error,
      });
    }
  };

  return async (request) => {
    if (!isRetrySafe(request) || options.retry.maxRetries === 0) return attempt(request);
    let nextDelay = options.retry.minDelayMs;
    try {
      return await pRetry(
        async () => {
          const response = await attempt(request.clone());
          if (RETRIABLE_STATUSES.has(response.status)) throw new RetriableResponse(response);
          return response;
        },
        {
          retries: options.retry.maxRetries,
          // The waiting is ours (Retry-After aware, injectable); p-retry only counts and decides.
          minTimeout: 0,
          maxTimeout: 0,
          randomize: false,
          signal: request.signal,
          shouldRetry: ({ error }) => error instanceof RetriableResponse || error instanceof ConnectionError,
          onFailedAttempt: async ({ error, retriesLeft }) => {
            if (retriesLeft === 0) return;
            if (!(error instanceof RetriableResponse || error instanceof ConnectionError)) return;
            const asked = error instanceof RetriableResponse ? retryAfterMs(error.response) : undefined;
            const delay = Math.min(
              Math.max(nextDelay, asked ?? 0),
              Math.max(options.retry.maxDelayMs, asked ?? 0),
            );
            nextDelay = Math.min(nextDelay * 2, options.retry.maxDelayMs);
            if (error instanceof RetriableResponse) await error.response.body?.cancel();
            await sleep(delay, request.signal);
          },
        },
      );
    } catch (error) {
      // Out of retries on a 429/5xx: hand the last answer back so the client raises its typed error.
      if (error instanceof RetriableResponse) return error.response;
      throw error;
    }
  };
}
