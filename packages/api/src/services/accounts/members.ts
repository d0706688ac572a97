// An organisation's team: who is in it, and removing someone (never the last owner).
import { DomainError } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { inTransaction } from "../jobs/transaction";
import { type Db } from "../types";
import { ACCOUNT_MESSAGES, type MembershipRoleName } from "./account-inputs";
import { membershipOrder } from "./account-sessions";
import { type OrgCaller, requireOwner } from "./org-roles";

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: MembershipRoleName;
  joinedAt: Date;
}

export function createMembers({ db }: { db: Db }) {
  return {
    async list(orgId: string): Promise<MemberView[]> {
      const rows = await db.membership.findMany({
        where: { orgId },
        select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
        orderBy: membershipOrder,
      });
      return rows.map((row) => ({
        userId: row.user.id,
        email: row.user.email,
        name: row.user.name,
        role: row.role,
        joinedAt: row.createdAt,
      }));
    },

    /** Owners only; CONFLICT when it would leave the organisation without an owner. */
    async remove(caller: OrgCaller, userId: string): Promise<{ userId: string; removed: true }> {
      await requireOwner(db, caller);
      return inTransaction(db, async (tx) => {
        // Serialises removals in one organisation, so two owners removing each other leave one.
        await tx.$queryRaw(
          Prisma.sql`SELECT "id" FROM "organizations" WHERE "id" = ${caller.orgId} FOR UPDATE`,
        );
        const membership = await tx.membership.findUnique({
          where: { userId_orgId: { userId, orgId: caller.orgId } },
          select: { id: true, role: true },
        });
        if (!membership) throw new DomainError("NOT_FOUND", ACCOUNT_MESSAGES.notAMember);
        if (membership.role === "owner") {
          const owners = await tx.membership.count({ where: { orgId: caller.orgId, role: "owner" } });
          if (owners <= 1) throw new DomainError("CONFLICT", ACCOUNT_MESSAGES.lastOwner);
        }
        await tx.membership.delete({ where: { id: membership.id } });
        return { userId, removed: true as const };
      });
    },
  };
}

export type Members = ReturnType<typeof createMembers>;
