// Driver-adapter factories for PGlite and PostgreSQL, patched for the schema engine's needs.
import { randomUUID } from "node:crypto";
import { type PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { type PoolConfig } from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createMemoryPglite } from "./pglite-template";

/** The adapters' private error mapper (turns driver errors into DriverAdapterError). */
type WithOnError = { onError(error: unknown): never };

/**
 * Discrete pool fields from a URL. PrismaPg's shadow database spreads its config and overrides
 * `database`; with a `connectionString` the override is ignored and the shadow lands on the main
 * database, so never hand it a connection string.
 */
export function poolConfigFromUrl(url: string): PoolConfig {
  const { connectionString: _ignored, ...config } = parseIntoClientConfig(url);
  return config;
}

/**
 * PGlite's adapter fires `exec` without awaiting it (errors escape, the engine moves on too
 * early); run the whole script and wait for it.
 */
function awaitPgliteScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (error) {
      (adapter as unknown as WithOnError).onError(error);
    }
  };
  return adapter;
}

export type PgliteAdapterFactory = SqlMigrationAwareDriverAdapterFactory & {
  /** Closes the shadow instance, if one was started. The main PGlite stays open. */
  close(): Promise<void>;
};

/**
 * Migration-aware factory over an existing PGlite. The stock factory starts a new in-memory
 * PGlite for every shadow connection (≈ 4 s each) and never closes it, which keeps Node alive;
 * this one starts one shadow instance, wipes it for every connection and closes it in `close()`.
 */
export function pgliteAdapterFactory(db: PGlite): PgliteAdapterFactory {
  const base = new PrismaPGlite(db);
  let shadow: Promise<PGlite> | undefined;
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => awaitPgliteScripts(await base.connect(), db),
    connectToShadowDb: async () => {
      shadow ??= createMemoryPglite();
      const instance = await shadow;
      await instance.exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
      return awaitPgliteScripts(await new PrismaPGlite(instance).connect(), instance);
    },
    close: async () => {
      const instance = await shadow;
      shadow = undefined;
      if (instance && !instance.closed) await instance.close();
    },
  };
}

/**
 * Migration-aware factory for PostgreSQL. Scripts run as one simple-protocol query (an implicit
 * transaction, as the native engine does) instead of PrismaPg's naive split on ";". The shadow
 * database is dropped after its pool is closed (the stock cleanup drops it first and fails).
 */
export function postgresAdapterFactory(config: PoolConfig): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPg(config);
  const wholeScripts = (adapter: SqlDriverAdapter) => {
    const pool = (
      adapter as unknown as { underlyingDriver(): { query(sql: string): Promise<unknown> } }
    ).underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        (adapter as unknown as WithOnError).onError(error);
      }
    };
    return adapter;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => wholeScripts(await base.connect()),
    connectToShadowDb: async () => {
      const admin = wholeScripts(await base.connect());
      const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = wholeScripts(await new PrismaPg({ ...config, database }).connect());
      const closeShadow = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await closeShadow();
          await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    },
  };
}
