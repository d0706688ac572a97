// Atomic claim of an open assignment slot: one statement, safe under concurrency on both engines.
import { type Assignment, Prisma, type PrismaClient } from "./generated/prisma/client";
import { isUniqueViolation } from "./unique-violation";

export type ClaimOpenSlotInput = { jobId: string; testerId: string; now: Date };

/** Anything that can run raw queries: the client or an interactive transaction. */
type Queryable = Pick<PrismaClient, "$queryRaw" | "assignment">;

/**
 * Claims the lowest open slot of `jobId` for `testerId`, or returns null when the job has no open
 * slot, is not accepting claims (paused, stopped, terminal) or the tester already holds a slot of
 * it. `FOR UPDATE SKIP LOCKED` lets concurrent claimers take different slots without waiting;
 * the unique (jobId, testerId) index stops one tester taking two slots even when racing itself.
 * Eligibility (blocked testers, targeting) is the caller's business.
 */
export async function claimOpenSlot(
  db: Queryable,
  { jobId, testerId, now }: ClaimOpenSlotInput,
): Promise<Assignment | null> {
  let rows: { id: string }[];
  try {
    rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
      UPDATE "assignments"
         SET "status" = 'working', "testerId" = ${testerId}, "claimedAt" = ${now},
             "lastHeartbeatAt" = ${now}, "updatedAt" = ${now}
       WHERE "id" = (
               SELECT a."id"
                 FROM "assignments" a
                 JOIN "jobs" j ON j."id" = a."jobId"
                WHERE a."jobId" = ${jobId}
                  AND a."status" = 'open'
                  AND a."testerId" IS NULL
                  AND j."control" = 'active'
                  AND j."status" IN ('pending', 'waiting', 'working')
                  AND NOT EXISTS (
                        SELECT 1 FROM "assignments" mine
                         WHERE mine."jobId" = ${jobId} AND mine."testerId" = ${testerId})
                ORDER BY a."slotIndex"
                LIMIT 1
                  FOR UPDATE OF a SKIP LOCKED)
         AND "status" = 'open'
         AND "testerId" IS NULL
      RETURNING "id"`);
  } catch (error) {
    // The same tester racing for two slots: the loser hits assignments_jobId_testerId_key.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  const claimed = rows[0];
  return claimed ? db.assignment.findUnique({ where: { id: claimed.id } }) : null;
}
