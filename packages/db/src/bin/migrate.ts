// `pnpm --filter @eyeball/db migrate`: applies pending migrations to DATABASE_URL or the embedded database.
import path from "node:path";
import { createDatabase, DEFAULT_DATA_DIR } from "../client";

// pnpm runs scripts inside packages/db; resolve the embedded data folder from where it was invoked.
// EYEBALL_DATA_DIR names the platform's data folder (default .eyeball); the database lives in its db/.
const dataDir = process.env.EYEBALL_DATA_DIR
  ? path.resolve(process.env.INIT_CWD ?? process.cwd(), process.env.EYEBALL_DATA_DIR, "db")
  : path.resolve(process.env.INIT_CWD ?? process.cwd(), DEFAULT_DATA_DIR);

const db = await createDatabase({ dataDir, migrate: true });
try {
  const target = db.engine === "postgres" ? "PostgreSQL" : `PGlite at ${dataDir}`;
  console.log(
    db.appliedMigrations.length > 0
      ? `Applied ${db.appliedMigrations.length} migration(s) to ${target}: ${db.appliedMigrations.join(", ")}`
      : `${target} is up to date.`,
  );
} finally {
  await db.close();
}
