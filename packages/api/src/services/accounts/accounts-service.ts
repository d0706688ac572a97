// Portal accounts: sign-up (user, organisation, owner membership), sign-in, sessions, switching organisation, team.
import { z } from "zod";

import { DomainError, isDomainError, parseOrThrow, randomString } from "@eyeball/core";
import { isUniqueViolation } from "@eyeball/db";

import { type Clock } from "../../clock";
import { inTransaction } from "../jobs/transaction";
import { type OrgsService, type OrgView, slugFromName, slugWithSuffix } from "../orgs";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../tester-auth/password";
import { type Db, type Tx } from "../types";
import {
  ACCOUNT_MESSAGES,
  type CreateInvitationInput,
  type AcceptInvitationInput,
  newPasswordSchema,
  signUpInputSchema,
  type SignUpInput,
  signInInputSchema,
} from "./account-inputs";
import { createAccountSessions, membershipOrder, type UserSessionActor } from "./account-sessions";
import { type AccountView, loadAccountView } from "./account-view";
import {
  type AcceptedInvitation,
  type CreatedInvitation,
  createInvitations,
  type InvitationAcceptor,
  type InvitationPreview,
  type PendingInvitationView,
} from "./invitations";
import { createMembers, type MemberView } from "./members";
import { type OrgCaller } from "./org-roles";

/** A new session and the account it is for; `token` goes into the cookie and nowhere else. */
export interface AccountSignIn {
  token: string;
  expiresAt: Date;
  account: AccountView;
}

/** Who a portal call comes from: a user, with the session when there is one. */
export interface AccountCaller {
  userId: string;
  orgId: string | null;
  isAdmin: boolean;
  sessionId?: string;
}

export interface AccountsService {
  /** A user, their organisation (as `orgs.create` makes it), the owner membership and a session. */
  signUp(input: SignUpInput): Promise<AccountSignIn>;
  /** A session for an owner, member or admin; UNAUTHORIZED with one message for every wrong pair. */
  signIn(email: string, password: string): Promise<AccountSignIn>;
  /** The user behind an `eb_ses_` token (cookie value or `Bearer …`); UNAUTHORIZED when unknown, expired or revoked. */
  authenticate(token: string): Promise<UserSessionActor>;
  revokeSession(sessionId: string): Promise<void>;
  /** The caller's account, or null when the user no longer exists. */
  me(caller: AccountCaller): Promise<AccountView | null>;
  /** Makes `orgId` the session's current organisation: members only (admins anywhere), else FORBIDDEN. */
  switchOrganization(caller: AccountCaller, orgId: string): Promise<AccountView>;
  /** Sets a user's password (seeding, CLI); VALIDATION below 10 characters. */
  setPassword(userId: string, password: string): Promise<void>;

  createInvitation(caller: OrgCaller, input: CreateInvitationInput): Promise<CreatedInvitation>;
  listInvitations(orgId: string): Promise<PendingInvitationView[]>;
  revokeInvitation(caller: OrgCaller, invitationId: string): Promise<{ id: string; revoked: true }>;
  inspectInvitation(token: string): Promise<InvitationPreview>;
  acceptInvitation(input: AcceptInvitationInput, acceptor: InvitationAcceptor): Promise<AcceptedInvitation>;

  listMembers(orgId: string): Promise<MemberView[]>;
  removeMember(caller: OrgCaller, userId: string): Promise<{ userId: string; removed: true }>;
}

const SLUG_ATTEMPTS = 5;

export function createAccountsService({
  db,
  clock,
  orgs,
}: {
  db: Db;
  clock: Clock;
  orgs: OrgsService;
}): AccountsService {
  const sessions = createAccountSessions({ db, clock });
  const invitations = createInvitations({ db, clock, sessions });
  const members = createMembers({ db });

  /** The organisation named `name`, with a slug made from it (suffixed while taken). */
  async function createOrganization(tx: Tx, name: string): Promise<OrgView> {
    const base = slugFromName(name);
    for (let attempt = 0; ; attempt += 1) {
      const slug = attempt === 0 ? base : slugWithSuffix(base, randomString(6));
      try {
        return await orgs.create({ slug, name }, tx);
      } catch (error) {
        // orgs.create checks the slug before writing, so a taken one leaves the transaction usable.
        const taken = isDomainError(error) && error.code === "CONFLICT";
        if (!taken || attempt + 1 >= SLUG_ATTEMPTS) throw error;
      }
    }
  }

  async function emailTaken(email: string): Promise<boolean> {
    const found = await db.user.findFirst({
      where: { email: { equals: email, mode: "insensitive" } },
      select: { id: true },
    });
    return found !== null;
  }

  return {
    async signUp(input) {
      const valid = parseOrThrow(signUpInputSchema, input);
      const conflict = new DomainError("CONFLICT", ACCOUNT_MESSAGES.emailTaken, {
        details: { field: "email" },
      });
      if (await emailTaken(valid.email)) throw conflict;
      const passwordHash = await hashPassword(valid.password);
      try {
        const { userId, orgId, session } = await inTransaction(db, async (tx) => {
          const now = clock.now();
          const user = await tx.user.create({
            data: { email: valid.email, name: valid.name, passwordHash, createdAt: now },
            select: { id: true },
          });
          const org = await createOrganization(tx, valid.organizationName);
          await tx.membership.create({
            data: { userId: user.id, orgId: org.id, role: "owner", createdAt: now },
          });
          return { userId: user.id, orgId: org.id, session: await sessions.create(tx, user.id, org.id) };
        });
        return {
          token: session.token,
          expiresAt: session.expiresAt,
          account: await loadAccountView(db, userId, orgId),
        };
      } catch (error) {
        // Two sign-ups with one email at the same moment: the second loses on the unique index.
        if (isUniqueViolation(error)) throw conflict;
        throw error;
      }
    },

    async signIn(email, password) {
      const failed = new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.signInFailed);
      const parsed = signInInputSchema.safeParse({ email, password });
      if (!parsed.success) throw failed;
      const user = await db.user.findFirst({
        where: { email: { equals: parsed.data.email, mode: "insensitive" } },
        select: {
          id: true,
          passwordHash: true,
          isAdmin: true,
          memberships: { select: { orgId: true }, orderBy: membershipOrder, take: 1 },
        },
      });
      // Verify against a dummy hash for unknown emails so both failures take about as long.
      const ok = await verifyPassword(
        user?.passwordHash ?? (await dummyPasswordHash()),
        parsed.data.password,
      );
      if (!ok || !user?.passwordHash) throw failed;
      const firstOrgId = user.memberships[0]?.orgId ?? null;
      // Checked only after the password, so the message reveals nothing to someone guessing.
      if (firstOrgId === null && !user.isAdmin)
        throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.testerOnly);
      const session = await sessions.create(db, user.id, firstOrgId);
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        account: await loadAccountView(db, user.id, firstOrgId),
      };
    },

    authenticate: (token) => sessions.authenticate(token),
    revokeSession: (sessionId) => sessions.revoke(sessionId),

    async me(caller) {
      const exists = await db.user.findUnique({ where: { id: caller.userId }, select: { id: true } });
      if (!exists) return null;
      return loadAccountView(db, caller.userId, caller.orgId);
    },

    async switchOrganization(caller, orgId) {
      if (caller.sessionId === undefined)
        throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.needsSession);
      const user = await db.user.findUnique({
        where: { id: caller.userId },
        select: { isAdmin: true, memberships: { where: { orgId }, select: { id: true } } },
      });
      if (!user) throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.sessionUnknown);
      if (user.memberships.length === 0) {
        if (!user.isAdmin) throw new DomainError("FORBIDDEN", ACCOUNT_MESSAGES.notMember);
        const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
        if (!org) throw new DomainError("NOT_FOUND", `Organisation ${orgId} was not found`);
      }
      await sessions.setOrg(db, caller.sessionId, orgId);
      return loadAccountView(db, caller.userId, orgId);
    },

    async setPassword(userId, password) {
      const valid = parseOrThrow(z.strictObject({ password: newPasswordSchema }), { password });
      const passwordHash = await hashPassword(valid.password);
      const updated = await db.user.updateMany({ where: { id: userId }, data: { passwordHash } });
      if (updated.count === 0) throw new DomainError("NOT_FOUND", "No such user");
    },

    createInvitation: (caller, input) => invitations.create(caller, input),
    listInvitations: (orgId) => invitations.listPending(orgId),
    revokeInvitation: (caller, invitationId) => invitations.revoke(caller, invitationId),
    inspectInvitation: (token) => invitations.inspect(token),
    acceptInvitation: (input, acceptor) => invitations.accept(input, acceptor),

    listMembers: (orgId) => members.list(orgId),
    removeMember: (caller, userId) => members.remove(caller, userId),
  };
}
