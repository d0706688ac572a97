// Load generators: autocannon against the server (bounded in count and time) and the raw pg INSERT baseline.
import { performance } from "node:perf_hooks";

import autocannon from "autocannon";
import pg from "pg";

import { newId } from "@eyeball/core";
import { poolConfigFromUrl } from "@eyeball/db";

export interface HttpLoadResult {
  /** 2xx answers per second of wall time. */
  okPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Status → count for every answer. */
  statuses: Record<string, number>;
  /** Up to three bodies of non-2xx answers, to say why. */
  failures: string[];
  /** True when the time bound stopped the run before its request count. */
  cutShort: boolean;
}

export interface HttpLoadOptions {
  url: string;
  method: "GET" | "POST";
  key: string;
  connections: number;
  /** Stop after this many requests (the time bound still applies)… */
  amount?: number;
  /** …or run for this long. */
  durationSeconds?: number;
  /** Hard bound: autocannon is stopped after this many seconds whatever it was asked. */
  maxSeconds: number;
  body?: unknown;
  /** Path for each request (e.g. cycling through job ids); default the URL's path. */
  nextPath?: () => string;
}

/** Runs autocannon once; every run is bounded by `maxSeconds` even when it was given a request count. */
export function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  const { nextPath } = options;
  const request: autocannon.Request = {
    onResponse: (status, body) => {
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if ((status < 200 || status > 299) && failures.length < 3)
        failures.push(`${status} ${body.slice(0, 300)}`);
    },
    ...(nextPath ? { setupRequest: (req: autocannon.Request) => ({ ...req, path: nextPath() }) } : {}),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let cutShort = false;
    const instance = autocannon(
      {
        url: options.url,
        method: options.method,
        connections: options.connections,
        ...(options.amount === undefined ? {} : { amount: options.amount }),
        duration: options.durationSeconds ?? options.maxSeconds,
        timeout: 20,
        headers: {
          authorization: `Bearer ${options.key}`,
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        requests: [request],
      },
      (error: Error | null, result: autocannon.Result) => {
        clearTimeout(bound);
        if (error) {
          reject(error);
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        resolve({
          okPerSecond: result["2xx"] / seconds,
          ok: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
          statuses,
          failures,
          cutShort,
        });
      },
    );
    const bound = setTimeout(() => {
      cutShort = true;
      instance.stop();
    }, options.maxSeconds * 1000);
  });
}

export interface RawInsertResult {
  perSecond: number;
  inserted: number;
  seconds: number;
  failures: string[];
  cutShort: boolean;
}

/**
 * `count` single-row INSERTs (autocommit, one round trip each) of `template` with a fresh id into
 * `table`, from `concurrency` pooled connections, bounded by `maxSeconds`. The pool is connected
 * and warmed before the clock starts, as the server's pool is.
 */
export async function rawInserts(options: {
  url: string;
  table: string;
  template: Record<string, unknown>;
  count: number;
  concurrency: number;
  maxSeconds: number;
}): Promise<RawInsertResult> {
  const columns = Object.keys(options.template);
  const sql = `INSERT INTO ${options.table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns
    .map((_, i) => `$${i + 1}`)
    .join(", ")})`;
  const valuesFor = (): unknown[] =>
    columns.map((column) => {
      if (column === "id") return newId("job");
      const value = options.template[column];
      return value instanceof Date ? new Date() : value;
    });
  const pool = new pg.Pool({
    ...poolConfigFromUrl(options.url),
    max: options.concurrency,
    application_name: "eyeball-bench-raw",
  });
  pool.on("error", () => undefined);
  try {
    // Warm every connection (and the statement plan) before the timed part.
    const clients = await Promise.all(Array.from({ length: options.concurrency }, () => pool.connect()));
    await Promise.all(clients.map((client) => client.query(sql, valuesFor())));
    for (const client of clients) client.release();

    const failures: string[] = [];
    let started = 0;
    let inserted = 0;
    const deadline = performance.now() + options.maxSeconds * 1000;
    let cutShort = false;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (started < options.count) {
          if (performance.now() > deadline) {
            cutShort = true;
            return;
          }
          started++;
          try {
            await pool.query(sql, valuesFor());
            inserted++;
          } catch (error) {
            if (failures.length < 3) failures.push(error instanceof Error ? error.message : String(error));
            if (failures.length >= 3) return;
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: inserted / seconds, inserted, seconds, failures, cutShort };
  } finally {
    await pool.end().catch(() => undefined);
  }
}
