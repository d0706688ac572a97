// express-rate-limit Store over the `rate_limit_counters` table: one count per key, shared by every process.
import { type ClientRateLimitInfo, type Options, type Store } from "express-rate-limit";

import { Prisma } from "@eyeball/db";

import { type Db } from "../services/types";

export interface DatabaseRateLimitStoreOptions {
  /** Prepended to every key, so several limiters can share the table (default "rest:"). */
  prefix?: string;
  /** Rows whose window ended at least this long ago are deleted by the sweep (default: one window). */
  sweepGraceMs?: number;
  /** At most one sweep per this many ms per store instance (default: max(window, 1 min)). */
  sweepIntervalMs?: number;
  /** Rows deleted per sweep statement (default 1000): keeps each sweep cheap and bounded. */
  sweepBatch?: number;
  /** Sweep failures (the request is not affected); default console.warn. */
  onSweepError?: (error: unknown) => void;
}

type CounterRow = { hits: number | bigint; msLeft: number | string | null };

const MAX_HITS = 2_147_483_647;

/**
 * Fixed-window counters in PostgreSQL (or PGlite) for express-rate-limit.
 *
 * - `increment` is one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`: a row whose window has
 *   ended starts over at 1 with a new window, otherwise its count goes up by one. Windows are
 *   computed with the database's `now()`, so every process agrees on them whatever its own clock
 *   says; the reset time handed back is translated to this process's clock (`Date.now()` + time
 *   left), so the `Retry-After` / `RateLimit` headers are right even when the clocks differ.
 * - Expired rows are harmless (the next increment resets them) and are deleted now and then: at
 *   most one sweep per `sweepIntervalMs` per instance, fired from an increment without delaying
 *   it, deleting at most `sweepBatch` rows through the `resetAt` index with `SKIP LOCKED` (sweeps
 *   of several processes never wait on each other or on requests).
 * - `localKeys = false`: counts are shared across instances and processes.
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private nextSweepAt = 0;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: DatabaseRateLimitStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? "rest:";
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }

  private info(row: CounterRow): ClientRateLimitInfo {
    const msLeft = Math.max(0, Number(row.msLeft ?? 0));
    return { totalHits: Number(row.hits), resetTime: new Date(Date.now() + msLeft) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const rows = await this.db.$queryRaw<CounterRow[]>(Prisma.sql`
      INSERT INTO "rate_limit_counters" AS c ("key", "hits", "resetAt")
      VALUES (${this.key(key)}, 1, now() + ${this.windowMs}::double precision * interval '1 millisecond')
      ON CONFLICT ("key") DO UPDATE
         SET "hits" = CASE WHEN c."resetAt" <= now() THEN 1
                           ELSE LEAST(c."hits" + 1, ${MAX_HITS}::integer) END,
             "resetAt" = CASE WHEN c."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE c."resetAt" END
      RETURNING c."hits", (extract(epoch FROM c."resetAt" - now()) * 1000)::double precision AS "msLeft"`);
    this.maybeSweep();
    const row = rows[0];
    if (!row) throw new Error("rate limit: the counter upsert returned no row");
    return this.info(row);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.db.$queryRaw<CounterRow[]>(Prisma.sql`
      SELECT "hits", (extract(epoch FROM "resetAt" - now()) * 1000)::double precision AS "msLeft"
        FROM "rate_limit_counters"
       WHERE "key" = ${this.key(key)} AND "resetAt" > now()`);
    const row = rows[0];
    return row ? this.info(row) : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.db.$executeRaw(Prisma.sql`
      UPDATE "rate_limit_counters" SET "hits" = "hits" - 1
       WHERE "key" = ${this.key(key)} AND "hits" > 0 AND "resetAt" > now()`);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.$executeRaw(Prisma.sql`DELETE FROM "rate_limit_counters" WHERE "key" = ${this.key(key)}`);
  }

  async resetAll(): Promise<void> {
    await this.db.$executeRaw(
      Prisma.sql`DELETE FROM "rate_limit_counters" WHERE starts_with("key", ${this.prefix})`,
    );
  }

  /**
   * Deletes up to `sweepBatch` rows (of any prefix) whose window ended more than `sweepGraceMs`
   * ago; returns how many. Called by `increment` now and then; callable directly.
   */
  async sweepExpired(): Promise<number> {
    const graceMs = this.options.sweepGraceMs ?? this.windowMs;
    const batch = this.options.sweepBatch ?? 1000;
    return this.db.$executeRaw(Prisma.sql`
      DELETE FROM "rate_limit_counters"
       WHERE "key" IN (
               SELECT "key" FROM "rate_limit_counters"
                WHERE "resetAt" < now() - ${graceMs}::double precision * interval '1 millisecond'
                LIMIT ${batch}::integer
                  FOR UPDATE SKIP LOCKED)`);
  }

  private maybeSweep(): void {
    const now = Date.now();
    if (this.sweeping || now < this.nextSweepAt) return;
    const intervalMs = this.options.sweepIntervalMs ?? Math.max(this.windowMs, 60_000);
    const batch = this.options.sweepBatch ?? 1000;
    this.nextSweepAt = now + intervalMs;
    this.sweeping = this.sweepExpired();
    void this.sweeping
      .then(
        // A full batch means more are waiting: let the next increment sweep again.
        (deleted) => {
          if (deleted >= batch) this.nextSweepAt = 0;
        },
        this.options.onSweepError ??
          ((error: unknown) => {
            console.warn("rate limit sweep:", error instanceof Error ? error.message : error);
          }),
      )
      .finally(() => {
        this.sweeping = undefined;
      });
  }
}
