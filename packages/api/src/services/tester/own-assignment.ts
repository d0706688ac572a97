// Loads an assignment for the tester acting on it: NOT_FOUND when missing, FORBIDDEN when it is someone else's.
import { DomainError } from "@eyeball/core";
import { type Assignment, type Job } from "@eyeball/db";

import { type Db, type Tx } from "../types";

export async function loadOwnAssignment(
  db: Db | Tx,
  testerId: string,
  assignmentId: string,
): Promise<Assignment & { job: Job }> {
  const slot = await db.assignment.findUnique({ where: { id: assignmentId }, include: { job: true } });
  if (!slot) throw new DomainError("NOT_FOUND", `assignment ${assignmentId} not found`);
  if (slot.testerId !== testerId) {
    throw new DomainError("FORBIDDEN", `assignment ${assignmentId} belongs to another tester`);
  }
  return slot;
}
