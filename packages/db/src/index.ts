// Public surface of @eyeball/db: client factory, migrations, repositories and the generated Prisma types.
export {
  createDatabase,
  DEFAULT_DATA_DIR,
  type Database,
  type DatabaseEngine,
  type DatabaseOptions,
} from "./client";
export {
  applyMigrations,
  authorMigration,
  diffDatabaseToSchema,
  migrationsDir,
  readMigrationsList,
  schemaPath,
  MIGRATION_LOCK_TOML,
  type AuthoredMigration,
  type MigrationPaths,
} from "./migrations";
export {
  pgliteAdapterFactory,
  postgresAdapterFactory,
  poolConfigFromUrl,
  type PgliteAdapterFactory,
} from "./adapters";
export { claimOpenSlot, type ClaimOpenSlotInput } from "./claim";
export { isUniqueViolation } from "./unique-violation";
export * from "./generated/prisma/client";
