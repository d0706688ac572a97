// Which jobs a tester may see and claim: live, accepting claims, a free slot, and allowed by the project's pool.
import { type Prisma } from "@eyeball/db";

/**
 * Project pools: a tester blocked in the job's project never sees it; when the project has a pool
 * (testers added and not blocked), only those testers see its jobs. Jobs without a project are open
 * to every tester.
 */
export function poolAllows(testerId: string): Prisma.JobWhereInput {
  return {
    OR: [
      { projectId: null },
      {
        project: {
          testers: { none: { testerId, blocked: true } },
          OR: [
            { testers: { none: { blocked: false } } },
            { testers: { some: { testerId, blocked: false } } },
          ],
        },
      },
    ],
  };
}

/** Jobs in the tester's feed: everything `claim` would accept right now. */
export function claimableBy(testerId: string): Prisma.JobWhereInput {
  return {
    mode: "live",
    status: { in: ["waiting", "working"] },
    control: "active",
    settlementState: "unsettled",
    AND: [
      { assignments: { some: { status: "open" } } },
      { assignments: { none: { testerId } } },
      poolAllows(testerId),
    ],
  };
}
