// Opens the platform database by the shared rules: DATABASE_URL, else PGlite in `<dataDir>/db` (locked to this process).
import path from "node:path";

import { createDatabase, type Database } from "@eyeball/db";

import { lockDataDir } from "./data-dir-lock";

export interface DatabaseTarget {
  databaseUrl: string | undefined;
  dataDir: string;
}

export function embeddedDbDir(dataDir: string): string {
  return path.join(dataDir, "db");
}

/** Where the database is, for messages: "PostgreSQL" or "PGlite at …". */
export function describeDatabase(target: DatabaseTarget): string {
  return target.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${embeddedDbDir(target.dataDir)}`;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (target.databaseUrl) return createDatabase({ url: target.databaseUrl, migrate });
  const release = lockDataDir(target.dataDir);
  try {
    const db = await createDatabase({ url: "", dataDir: embeddedDbDir(target.dataDir), migrate });
    return {
      ...db,
      close: async () => {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
