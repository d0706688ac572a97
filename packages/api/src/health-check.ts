// Liveness of the platform as the transports report it: the database answers a trivial query.
import { DomainError } from "@eyeball/core";

import { type Db } from "./services/types";

export interface HealthStatus {
  status: "ok";
  database: "ok";
}

export async function checkHealth(db: Db): Promise<HealthStatus> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    throw new DomainError("INTERNAL", "The database is not answering", { cause: error });
  }
  return { status: "ok", database: "ok" };
}
