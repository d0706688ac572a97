// The bench's own PostgreSQL database (created fresh, dropped at the end) and its activity counters.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

import pg from "pg";

import { poolConfigFromUrl } from "@eyeball/db";

export interface ScratchDatabase {
  name: string;
  /** URL of the scratch database (what the server gets as DATABASE_URL). */
  url: string;
  /** URL of the admin database it was created from (the counters are read there, not in the scratch one). */
  adminUrl: string;
  /** A connection to the admin database, used for pg_stat_database reads and the final DROP. */
  admin: pg.Client;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}`;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    ...poolConfigFromUrl(url),
    connectionTimeoutMillis: 5_000,
    application_name: "eyeball-bench-admin",
  });
  // A dropped admin connection must not crash the bench with an unhandled 'error' event.
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Connects to the first admin URL that answers, then creates `eyeball_bench_<random>` on that server. */
export async function createScratchDatabase(adminUrls: readonly string[]): Promise<ScratchDatabase> {
  const failures: string[] = [];
  for (const adminUrl of adminUrls) {
    let admin: pg.Client;
    try {
      admin = await connect(adminUrl);
    } catch (error) {
      failures.push(`${adminUrl}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const name = `eyeball_bench_${randomBytes(5).toString("hex")}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    let dropped = false;
    return {
      name,
      url: withDatabase(adminUrl, name),
      adminUrl,
      admin,
      async drop() {
        if (dropped) return;
        dropped = true;
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await admin.end().catch(() => undefined);
        }
      },
    };
  }
  throw new Error(
    `No PostgreSQL answered (run bash scripts/ensure-postgres.sh, or set EYEBALL_BENCH_PG_URL):\n- ${failures.join("\n- ")}`,
  );
}

/** Committed plus rolled-back transactions of `database` so far (pg_stat_database, read from the admin database). */
export async function transactionCount(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ n: string | null }>(
    `SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Backends of `database` doing something right now (not idle): pg_stat_activity is live, unlike the counters. */
export async function busyBackends(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state IS DISTINCT FROM 'idle'`,
    [database],
  );
  return rows[0]?.n ?? 0;
}

/**
 * pg_stat_statements calls in `database`, when the extension is loaded (it needs
 * shared_preload_libraries, so usually it is not); otherwise why not.
 */
export interface StatementCounter {
  available: boolean;
  reason: string;
  /** Total statement calls in the scratch database so far (each read counts itself once). */
  calls(): Promise<number>;
  close(): Promise<void>;
}

export async function openStatementCounter(url: string, database: string): Promise<StatementCounter> {
  const client = await connect(url);
  const unavailable = (reason: string): StatementCounter => ({
    available: false,
    reason,
    calls: () => Promise.resolve(0),
    close: () => client.end().catch(() => undefined),
  });
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await client.query("SELECT 1 FROM pg_stat_statements LIMIT 1");
  } catch (error) {
    await client.end().catch(() => undefined);
    return unavailable(error instanceof Error ? error.message : String(error));
  }
  return {
    available: true,
    reason: "pg_stat_statements loaded",
    async calls() {
      const { rows } = await client.query<{ n: string | null }>(
        `SELECT coalesce(sum(calls), 0)::text AS n FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
        [database],
      );
      return Number(rows[0]?.n ?? 0);
    },
    close: () => client.end().catch(() => undefined),
  };
}

/** Reads the server's resident memory from /proc/<pid>/status (VmRSS), in KiB; null when unreadable. */
export async function rssKib(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
