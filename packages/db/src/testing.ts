// Test helpers (@eyeball/db/testing): run a suite against embedded PGlite and a fresh PostgreSQL database.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createDatabase, type Database, type DatabaseEngine } from "./client";
import { poolConfigFromUrl } from "./adapters";

export const ENGINES: readonly DatabaseEngine[] = ["pglite", "postgres"];

/** Admin URL of the test PostgreSQL server; each test file gets its own database on it. */
export function testPostgresAdminUrl(): string {
  return process.env.EYEBALL_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/test";
}

export type TestDatabase = Database & {
  /** PostgreSQL database name (postgres engine only). */ databaseName?: string;
};

type Availability = { ok: true } | { ok: false; reason: string };
let availability: Promise<Availability> | undefined;

/** Probes the test server once per process. */
export function postgresAvailability(): Promise<Availability> {
  availability ??= (async () => {
    const client = new pg.Client({
      ...poolConfigFromUrl(testPostgresAdminUrl()),
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return { ok: true } as const;
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) } as const;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client(poolConfigFromUrl(testPostgresAdminUrl()));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A migrated database for tests: in-memory PGlite, or a new PostgreSQL database
 * `eyeball_t_<random>` that `close()` drops again.
 */
export async function createTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  if (engine === "pglite") return createDatabase({ dataDir: "memory", url: "", migrate: true });
  const databaseName = `eyeball_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${databaseName}"`);
  try {
    const db = await createDatabase({
      url: withDatabase(testPostgresAdminUrl(), databaseName),
      migrate: true,
    });
    return {
      ...db,
      databaseName,
      close: async () => {
        try {
          await db.close();
        } finally {
          await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
        }
      },
    };
  } catch (error) {
    await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    throw error;
  }
}

/**
 * Whether an unreachable PostgreSQL may be skipped: never in CI or with EYEBALL_REQUIRE_PG=1,
 * otherwise only when EYEBALL_SKIP_PG=1.
 */
function maySkipPostgres(): boolean {
  const required = Boolean(process.env.CI) || process.env.EYEBALL_REQUIRE_PG === "1";
  return !required && process.env.EYEBALL_SKIP_PG === "1";
}

export type EngineSuiteOptions = { engines?: readonly DatabaseEngine[]; hookTimeout?: number };

/**
 * Declares `name` once per engine. One database per engine per suite (PGlite starts in ≈ 4 s, so
 * never per test); `getDb()` returns it inside hooks and tests.
 */
export function describeEachEngine(
  name: string,
  body: (getDb: () => TestDatabase, engine: DatabaseEngine) => void,
  options: EngineSuiteOptions = {},
): void {
  for (const engine of options.engines ?? ENGINES) {
    describe(`${name} [${engine}]`, async () => {
      if (engine === "postgres") {
        const status = await postgresAvailability();
        if (!status.ok) {
          const where = `PostgreSQL at ${testPostgresAdminUrl()} is unreachable (${status.reason})`;
          if (!maySkipPostgres()) {
            throw new Error(
              `${where}. Start it (see /work/shared/PLATFORM.md) or set EYEBALL_SKIP_PG=1 to skip locally.`,
            );
          }
          console.warn(`\n⚠ ${where}: skipping "${name}" on PostgreSQL because EYEBALL_SKIP_PG=1.\n`);
          it.skip(`${name}: PostgreSQL unreachable (EYEBALL_SKIP_PG=1)`, () => undefined);
          return;
        }
      }
      let db: TestDatabase | undefined;
      beforeAll(async () => {
        db = await createTestDatabase(engine);
      }, options.hookTimeout ?? 120_000);
      afterAll(async () => {
        await db?.close();
      }, options.hookTimeout ?? 120_000);
      body(() => {
        if (!db) throw new Error("The test database is not ready (did beforeAll fail?)");
        return db;
      }, engine);
    });
  }
}
