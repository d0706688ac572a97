// Creates the Prisma client on embedded PGlite (default) or PostgreSQL, applying migrations on start.
import path from "node:path";
import { type PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pgliteAdapterFactory, poolConfigFromUrl, postgresAdapterFactory } from "./adapters";
import { PrismaClient } from "./generated/prisma/client";
import { applyMigrations } from "./migrations";
import { createMemoryPglite, openPgliteFolder } from "./pglite-template";

export type DatabaseEngine = "pglite" | "postgres";

export type DatabaseOptions = {
  /**
   * PostgreSQL URL; defaults to DATABASE_URL. Without one the embedded PGlite is used; pass "" to
   * force PGlite even when DATABASE_URL is set.
   */
  url?: string;
  /** PGlite data folder (relative to cwd) or "memory"; defaults to `.eyeball/db`. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
};

export type Database = {
  prisma: PrismaClient;
  engine: DatabaseEngine;
  /** The embedded instance (for in-process LISTEN/NOTIFY and pg-boss); only with engine "pglite". */
  pglite?: PGlite;
  /** The PostgreSQL URL; only with engine "postgres". */
  url?: string;
  /** Migrations applied by this start. */
  appliedMigrations: string[];
  close(): Promise<void>;
};

export const DEFAULT_DATA_DIR = path.join(".eyeball", "db");

/** Arbitrary constant: serialises concurrent starts that migrate the same PostgreSQL database. */
const MIGRATION_LOCK_KEY = 7_263_109_511;

export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? (process.env.DATABASE_URL || undefined);
  const migrate = options.migrate ?? true;
  return url ? openPostgres(url, migrate) : openPglite(options.dataDir ?? DEFAULT_DATA_DIR, migrate);
}

async function openPglite(dataDir: string, migrate: boolean): Promise<Database> {
  let pglite: PGlite;
  if (dataDir === "memory") {
    pglite = await createMemoryPglite();
  } else {
    pglite = await openPgliteFolder(path.resolve(dataDir));
  }
  try {
    let appliedMigrations: string[] = [];
    if (migrate) {
      const factory = pgliteAdapterFactory(pglite);
      appliedMigrations = await applyMigrations(factory).finally(() => factory.close());
    }
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      prisma,
      engine: "pglite",
      pglite,
      appliedMigrations,
      close: async () => {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
    };
  } catch (error) {
    await pglite.close();
    throw error;
  }
}

async function openPostgres(url: string, migrate: boolean): Promise<Database> {
  const config = poolConfigFromUrl(url);
  let appliedMigrations: string[] = [];
  if (migrate) {
    // Several processes may start at once; the lock is per database, so parallel test databases don't contend.
    const lock = new pg.Client(config);
    await lock.connect();
    try {
      await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      appliedMigrations = await applyMigrations(postgresAdapterFactory(config));
    } finally {
      await lock.end();
    }
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(config) });
  return {
    prisma,
    engine: "postgres",
    url,
    appliedMigrations,
    close: () => prisma.$disconnect(),
  };
}
