// Who may manage an organisation's team: its owners, and platform admins.
import { DomainError } from "@eyeball/core";

import { type Db, type Tx } from "../types";
import { ACCOUNT_MESSAGES, type MembershipRoleName } from "./account-inputs";

/** A signed-in user acting for an organisation (sessionOwnerProcedure's `ctx.actor` with `ctx.orgId`). */
export interface OrgCaller {
  userId: string;
  orgId: string;
  isAdmin: boolean;
}

/** FORBIDDEN unless the caller owns the organisation (admins may act as owners anywhere). */
export async function requireOwner(client: Db | Tx, caller: OrgCaller): Promise<void> {
  if (caller.isAdmin) return;
  const membership = await client.membership.findUnique({
    where: { userId_orgId: { userId: caller.userId, orgId: caller.orgId } },
    select: { role: true },
  });
  if (membership?.role !== "owner") throw new DomainError("FORBIDDEN", ACCOUNT_MESSAGES.ownersOnly);
}

const RANK: Record<MembershipRoleName, number> = { member: 0, admin: 1, owner: 2 };

/** The role a member keeps when invited again: never lowered by an invitation. */
export function higherRole(a: MembershipRoleName, b: MembershipRoleName): MembershipRoleName {
  return RANK[a] >= RANK[b] ? a : b;
}
