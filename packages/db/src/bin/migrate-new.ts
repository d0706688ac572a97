// `pnpm --filter @eyeball/db migrate:new <name>`: authors a migration from the schema diff (silent when none).
import { authorMigration } from "../migrations";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error("usage: migrate:new <name>   (letters, digits and underscores)");
  process.exit(2);
}

const created = await authorMigration(name);
if (created) console.log(`Created ${created.directory}/migration.sql`);
