// Opens the database and the access services for one CLI command, and always closes them.
import { type AccessServices, createAccessServices, systemClock } from "@eyeball/api";
import { type Database } from "@eyeball/db";
import { type DatabaseTarget, openDatabase } from "@eyeball/server";

export async function withServices<T>(
  target: DatabaseTarget,
  run: (services: AccessServices, database: Database) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(target);
  try {
    return await run(createAccessServices({ db: database.prisma, clock: systemClock }), database);
  } finally {
    await database.close();
  }
}
