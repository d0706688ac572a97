// Migrations: apply on fresh databases of both engines, idempotent re-runs, no drift from schema.prisma.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { pgliteAdapterFactory, poolConfigFromUrl, postgresAdapterFactory } from "./adapters";
import {
  applyMigrations,
  authorMigration,
  diffDatabaseToSchema,
  migrationsDir,
  readMigrationsList,
  MIGRATION_LOCK_TOML,
} from "./migrations";
import { describeEachEngine, type TestDatabase } from "./testing";

async function reapply(db: TestDatabase): Promise<string[]> {
  if (db.pglite) {
    const factory = pgliteAdapterFactory(db.pglite);
    return applyMigrations(factory).finally(() => factory.close());
  }
  return applyMigrations(postgresAdapterFactory(poolConfigFromUrl(db.url ?? "")));
}

describeEachEngine("migrations", (getDb, engine) => {
  it("applies every migration to a fresh database with standard _prisma_migrations rows", async () => {
    const db = getDb();
    const { migrationDirectories } = await readMigrationsList();
    expect(migrationDirectories.length).toBeGreaterThan(0);
    expect(db.appliedMigrations).toEqual(migrationDirectories.map((migration) => migration.path));

    const rows = await db.prisma.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null }[]
    >`
      SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    const expected = await Promise.all(
      migrationDirectories.map(async ({ path: name }) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(path.join(migrationsDir, name, "migration.sql")))
          .digest("hex"),
      })),
    );
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("is idempotent: a second run applies nothing", async () => {
    expect(await reapply(getDb())).toEqual([]);
    expect(await getDb().prisma.organization.count()).toBe(0);
  });

  if (engine === "pglite") {
    it("leaves no drift: the migrated database matches schema.prisma", async () => {
      const db = getDb();
      expect(await diffDatabaseToSchema(db.pglite!)).toBe("");
    });
  }
});

it("authors no new migration from the committed migrations and schema.prisma (drift check)", async () => {
  const created = await authorMigration("drift_check", { write: false });
  // Non-null means schema.prisma changed without `pnpm --filter @eyeball/db migrate:new <name>`.
  expect(created?.script ?? null).toBeNull();
  expect(await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8")).toBe(MIGRATION_LOCK_TOML);
}, 120_000);
