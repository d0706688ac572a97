// The durable background queue: pg-boss on PostgreSQL, and in-process on embedded PGlite.
import { poolConfigFromUrl, type Database } from "@eyeball/db";
import { fromPglite, type JobResult, PgBoss, type ConstructorOptions, type SendOptions } from "pg-boss";

import { type JsonObject, type Queue, type QueueSendOptions } from "../types";

export interface QueueOptions {
  /** Idle poll of each worker, in seconds (pg-boss requires ≥ 0.5; default 2). NOTIFY wakes workers sooner. */
  pollingIntervalSeconds?: number;
  /** PostgreSQL schema pg-boss keeps its tables in (default "pgboss"). */
  schema?: string;
  /** PostgreSQL pool size for pg-boss (default 4). */
  poolSize?: number;
  /** How long `stop()` waits for running handlers before giving up on them (default 30 s). */
  stopTimeoutMs?: number;
  /** Where pg-boss errors are reported (default: stderr). */
  onError?: (error: unknown) => void;
}

export interface PgBossQueue extends Queue {
  /** The underlying instance, for operators and tests (job inspection). */
  readonly boss: PgBoss;
}

/** Jobs fetched per poll, and how many of them run at once (extraction and webhooks wait on I/O). */
const WORK_BATCH_SIZE = 16;
const WORK_PARALLELISM = 4;

/** pg-boss's minimum polling interval. */
const MIN_POLLING_SECONDS = 0.5;

function connectionOptions(db: Database, options: QueueOptions): ConstructorOptions {
  if (db.engine === "pglite") {
    if (!db.pglite) throw new Error("The PGlite database has no instance for the queue");
    return { db: fromPglite(db.pglite), backend: "pglite" };
  }
  if (!db.url) throw new Error("The PostgreSQL database has no URL for the queue");
  // Discrete fields, as everywhere else (see poolConfigFromUrl in @eyeball/db).
  const config = poolConfigFromUrl(db.url);
  const password = typeof config.password === "string" ? config.password : undefined;
  return {
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.user === undefined ? {} : { user: config.user }),
    ...(password === undefined ? {} : { password }),
    ...(config.database === undefined ? {} : { database: config.database }),
    ...(config.ssl === undefined ? {} : { ssl: config.ssl as unknown }),
    max: options.poolSize ?? 4,
    application_name: "eyeball-queue",
    backend: "postgres",
  };
}

function sendOptions(options: QueueSendOptions): SendOptions {
  const out: SendOptions = {};
  if (options.delayMs !== undefined && options.delayMs > 0) {
    out.startAfter = new Date(Date.now() + options.delayMs);
  }
  if (options.singletonKey !== undefined) out.singletonKey = options.singletonKey;
  if (options.retryLimit !== undefined) out.retryLimit = options.retryLimit;
  if (options.retryDelayMs !== undefined)
    out.retryDelay = Math.max(0, Math.ceil(options.retryDelayMs / 1000));
  if (options.retryBackoff !== undefined) out.retryBackoff = options.retryBackoff;
  return out;
}

/**
 * A Queue over pg-boss. Queues are created on first use (idempotent across processes). Jobs live
 * in the database, so a job sent before a crash runs after the restart; a handler that throws is
 * retried per the job's options. `singletonKey` keeps at most one queued (not yet started) job per
 * key: such sends go through pg-boss's upsert, which updates the queued job instead of adding one.
 */
export function createQueue(db: Database, options: QueueOptions = {}): PgBossQueue {
  const pollingIntervalSeconds = Math.max(MIN_POLLING_SECONDS, options.pollingIntervalSeconds ?? 2);
  const report =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(`eyeball queue: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  const boss = new PgBoss({
    ...connectionOptions(db, options),
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    useListenNotify: true,
    schedule: false,
  });
  // An EventEmitter without an "error" listener would throw out of pg-boss's background loops.
  boss.on("error", report);

  const queues = new Map<string, Promise<void>>();
  let started: Promise<void> | undefined;

  function start(): Promise<void> {
    started ??= boss.start().then(
      () => undefined,
      (error: unknown) => {
        started = undefined;
        throw error;
      },
    );
    return started;
  }

  function ensureQueue(name: string): Promise<void> {
    let ready = queues.get(name);
    if (!ready) {
      ready = (async () => {
        await start();
        if (!(await boss.getQueue(name))) {
          // create_queue ignores a queue that another process created meanwhile.
          await boss.createQueue(name, { notify: true });
        }
      })();
      ready.catch(() => queues.delete(name));
      queues.set(name, ready);
    }
    return ready;
  }

  return {
    boss,

    async send(name, data, sendOpts = {}) {
      await ensureQueue(name);
      const opts = sendOptions(sendOpts);
      if (opts.singletonKey !== undefined) {
        const result = await boss.upsert(name, data, opts);
        return result.jobs[0] ?? null;
      }
      return boss.send(name, data, opts);
    },

    async work(name, handler) {
      await ensureQueue(name);
      // The NOTIFY backstop interval too: retries and delayed jobs are found only by polling.
      const polling = { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
      // A batch per fetch, fetched again at once while batches come back full, so a backlog drains
      // continuously instead of one job per poll; each job of a batch succeeds or fails (and is
      // retried) on its own, and at most WORK_PARALLELISM of them run at a time.
      await boss.work<JsonObject>(
        name,
        { ...polling, batchSize: WORK_BATCH_SIZE, burstWhenBatchFull: true, perJobResults: true },
        async (jobs) => {
          const results: JobResult[] = [];
          for (let start = 0; start < jobs.length; start += WORK_PARALLELISM) {
            const slice = jobs.slice(start, start + WORK_PARALLELISM);
            const settled = await Promise.allSettled(slice.map((job) => handler(job.data ?? {})));
            settled.forEach((outcome, index) => {
              const id = slice[index]?.id ?? "";
              if (outcome.status === "fulfilled") results.push({ id, status: "completed" });
              else {
                const reason: unknown = outcome.reason;
                results.push({
                  id,
                  status: "failed",
                  output: { message: reason instanceof Error ? reason.message : String(reason) },
                });
              }
            });
          }
          return results;
        },
      );
    },

    start,

    async stop() {
      const wasStarted = started;
      started = undefined;
      queues.clear();
      if (!wasStarted) return;
      await wasStarted.catch(() => undefined);
      await boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 30_000, close: true });
    },
  };
}
