// What the portal sees of the signed-in account: the user, their organisations and the current one.
import { DomainError } from "@eyeball/core";

import { type Db, type Tx } from "../types";
import { type MembershipRoleName } from "./account-inputs";
import { currentOrgOf, membershipOrder } from "./account-sessions";

export interface AccountOrganization {
  id: string;
  name: string;
  slug: string;
  role: MembershipRoleName;
}

export interface AccountView {
  user: { id: string; email: string; name: string; isAdmin: boolean };
  /** The user's memberships, oldest first (an admin acting for another organisation does not see it here). */
  organizations: AccountOrganization[];
  currentOrganizationId: string | null;
}

/**
 * The account of `userId` with `preferredOrgId` current when the user may act for it (a member,
 * or an admin), else the first membership. NOT_FOUND for a user that does not exist.
 */
export async function loadAccountView(
  client: Db | Tx,
  userId: string,
  preferredOrgId: string | null,
): Promise<AccountView> {
  const user = await client.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      memberships: {
        select: { role: true, org: { select: { id: true, name: true, slug: true } } },
        orderBy: membershipOrder,
      },
    },
  });
  if (!user) throw new DomainError("NOT_FOUND", "No such user");
  const organizations = user.memberships.map((m) => ({ ...m.org, role: m.role }));
  return {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin },
    organizations,
    currentOrganizationId: currentOrgOf(
      preferredOrgId,
      organizations.map((o) => o.id),
      user.isAdmin,
    ),
  };
}
