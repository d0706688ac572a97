// Invitations to an organisation: created by an owner (token shown once, stored as a hash, 7 days), inspected and accepted by link.
import { z } from "zod";

import { DomainError, parseOrThrow, randomString, validationError } from "@eyeball/core";
import { isUniqueViolation } from "@eyeball/db";

import { type Clock } from "../../clock";
import { inTransaction } from "../jobs/transaction";
import { hashSessionToken } from "../tester-auth";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../tester-auth/password";
import { type Db, type Tx } from "../types";
import {
  ACCOUNT_MESSAGES,
  acceptInvitationInputSchema,
  type AcceptInvitationInput,
  createInvitationInputSchema,
  type CreateInvitationInput,
  invitationTokenSchema,
  type MembershipRoleName,
  newPasswordSchema,
} from "./account-inputs";
import { type AccountSessions, type NewSession } from "./account-sessions";
import { type AccountView, loadAccountView } from "./account-view";
import { higherRole, type OrgCaller, requireOwner } from "./org-roles";

export const INVITATION_TOKEN_PREFIX = "eb_inv_";
const TOKEN_RANDOM_LENGTH = 32;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface CreatedInvitation {
  id: string;
  email: string;
  role: MembershipRoleName;
  expiresAt: Date;
  /** The secret of the link, returned only here (see invitationAcceptUrl). */
  token: string;
}

export interface PendingInvitationView {
  id: string;
  email: string;
  role: MembershipRoleName;
  expiresAt: Date;
  createdAt: Date;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: MembershipRoleName;
  expired: boolean;
}

export interface AcceptedInvitation {
  /** The account with the invited organisation current. */
  account: AccountView;
  /** A new session when the caller was not signed in (set it as the cookie); null otherwise. */
  session: NewSession | null;
}

/** Who accepts: the signed-in user (and their session), or nobody (the link alone). */
export type InvitationAcceptor = { userId: string; sessionId?: string } | null;

/** The link an invitee opens in the portal. */
export function invitationAcceptUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/invite/${encodeURIComponent(token)}`;
}

type InvitationState = "pending" | "accepted" | "revoked" | "expired";

function stateOf(
  row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationState {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

const STATE_MESSAGES = {
  accepted: ACCOUNT_MESSAGES.invitationAccepted,
  revoked: ACCOUNT_MESSAGES.invitationRevoked,
  expired: ACCOUNT_MESSAGES.invitationExpired,
} as const;

export function createInvitations({
  db,
  clock,
  sessions,
}: {
  db: Db;
  clock: Clock;
  sessions: AccountSessions;
}) {
  async function findByToken(client: Db | Tx, token: string) {
    const plain = parseOrThrow(invitationTokenSchema, token);
    if (!plain.startsWith(INVITATION_TOKEN_PREFIX)) return null;
    return client.invitation.findUnique({
      where: { tokenHash: hashSessionToken(plain) },
      include: { org: { select: { name: true } } },
    });
  }

  /** Adds the membership (never lowering an existing role). */
  async function join(tx: Tx, userId: string, orgId: string, role: MembershipRoleName): Promise<void> {
    const existing = await tx.membership.findUnique({
      where: { userId_orgId: { userId, orgId } },
      select: { id: true, role: true },
    });
    if (!existing) {
      await tx.membership.create({ data: { userId, orgId, role, createdAt: clock.now() } });
      return;
    }
    const kept = higherRole(existing.role, role);
    if (kept !== existing.role)
      await tx.membership.update({ where: { id: existing.id }, data: { role: kept } });
  }

  return {
    async create(caller: OrgCaller, input: CreateInvitationInput): Promise<CreatedInvitation> {
      const { email, role } = parseOrThrow(createInvitationInputSchema, input);
      await requireOwner(db, caller);
      const member = await db.membership.findFirst({
        where: { orgId: caller.orgId, user: { email: { equals: email, mode: "insensitive" } } },
        select: { id: true },
      });
      if (member) throw new DomainError("CONFLICT", ACCOUNT_MESSAGES.alreadyMember, { details: { email } });
      const token = `${INVITATION_TOKEN_PREFIX}${randomString(TOKEN_RANDOM_LENGTH)}`;
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
      const row = await inTransaction(db, async (tx) => {
        // Inviting again replaces the earlier link: only the newest one works.
        await tx.invitation.updateMany({
          where: { orgId: caller.orgId, email, acceptedAt: null, revokedAt: null },
          data: { revokedAt: now },
        });
        return tx.invitation.create({
          data: {
            orgId: caller.orgId,
            email,
            role,
            tokenHash: hashSessionToken(token),
            invitedByUserId: caller.isAdmin ? null : caller.userId,
            expiresAt,
            createdAt: now,
          },
        });
      });
      return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, token };
    },

    /** Invitations still open: not accepted, not withdrawn, not expired; newest first. */
    async listPending(orgId: string): Promise<PendingInvitationView[]> {
      const rows = await db.invitation.findMany({
        where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: clock.now() } },
        select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      return rows;
    },

    /** Withdraws an open invitation; withdrawing twice keeps the first time. */
    async revoke(caller: OrgCaller, invitationId: string): Promise<{ id: string; revoked: true }> {
      await requireOwner(db, caller);
      const row = await db.invitation.findUnique({
        where: { id: invitationId },
        select: { orgId: true, acceptedAt: true },
      });
      if (!row) throw new DomainError("NOT_FOUND", "No such invitation");
      if (row.orgId !== caller.orgId)
        throw new DomainError("FORBIDDEN", "This invitation belongs to another organisation");
      if (row.acceptedAt) throw new DomainError("CONFLICT", ACCOUNT_MESSAGES.invitationAccepted);
      await db.invitation.updateMany({
        where: { id: invitationId, revokedAt: null, acceptedAt: null },
        data: { revokedAt: clock.now() },
      });
      return { id: invitationId, revoked: true };
    },

    /** What the invitation page shows before accepting; NOT_FOUND for unknown, accepted or withdrawn links. */
    async inspect(token: string): Promise<InvitationPreview> {
      const row = await findByToken(db, token);
      if (!row) throw new DomainError("NOT_FOUND", ACCOUNT_MESSAGES.invitationUnknown);
      const state = stateOf(row, clock.now());
      if (state === "accepted" || state === "revoked")
        throw new DomainError("NOT_FOUND", STATE_MESSAGES[state]);
      return {
        organizationName: row.org.name,
        email: row.email,
        role: row.role,
        expired: state === "expired",
      };
    },

    /**
     * Joins the invited organisation: as the signed-in user (whose email must match), as the
     * existing account with that email (password required), or as a new account (name and
     * password required). Accepted, withdrawn and expired links are a CONFLICT.
     */
    async accept(input: AcceptInvitationInput, acceptor: InvitationAcceptor): Promise<AcceptedInvitation> {
      const { token, name, password } = parseOrThrow(acceptInvitationInputSchema, input);
      const invitation = await findByToken(db, token);
      if (!invitation) throw new DomainError("NOT_FOUND", ACCOUNT_MESSAGES.invitationUnknown);
      const state = stateOf(invitation, clock.now());
      if (state !== "pending") throw new DomainError("CONFLICT", STATE_MESSAGES[state]);

      // Who joins is settled (and passwords checked) before the transaction, which only writes.
      let joinerId: string | null = null;
      let newUser: { name: string; passwordHash: string } | null = null;
      if (acceptor) {
        const user = await db.user.findUnique({ where: { id: acceptor.userId }, select: { email: true } });
        if (!user) throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.sessionUnknown);
        if (user.email.toLowerCase() !== invitation.email.toLowerCase())
          throw new DomainError("FORBIDDEN", ACCOUNT_MESSAGES.invitationOtherEmail);
        joinerId = acceptor.userId;
      } else {
        const existing = await db.user.findFirst({
          where: { email: { equals: invitation.email, mode: "insensitive" } },
          select: { id: true, passwordHash: true },
        });
        if (existing) {
          if (password === undefined || password === "")
            throw validationError(
              "password",
              "is required: an account with this email exists, so enter its password",
            );
          const ok = await verifyPassword(existing.passwordHash ?? (await dummyPasswordHash()), password);
          if (!ok || !existing.passwordHash)
            throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.signInFailed);
          joinerId = existing.id;
        } else {
          if (name === undefined) throw validationError("name", "is required to create your account");
          if (password === undefined) throw validationError("password", "is required to create your account");
          const valid = parseOrThrow(z.strictObject({ password: newPasswordSchema }), { password });
          newUser = { name, passwordHash: await hashPassword(valid.password) };
        }
      }

      const now = clock.now();
      try {
        return await inTransaction(db, async (tx) => {
          const claimed = await tx.invitation.updateMany({
            where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
            data: { acceptedAt: now },
          });
          if (claimed.count === 0) {
            // Accepted or withdrawn by someone else meanwhile.
            const again = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
            const lost = stateOf(again, now);
            throw new DomainError(
              "CONFLICT",
              lost === "pending" ? ACCOUNT_MESSAGES.invitationAccepted : STATE_MESSAGES[lost],
            );
          }
          const userId =
            joinerId ??
            (
              await tx.user.create({
                data: {
                  email: invitation.email.toLowerCase(),
                  name: newUser?.name ?? "",
                  passwordHash: newUser?.passwordHash ?? null,
                  // They proved the address by opening the link sent to it.
                  emailVerifiedAt: now,
                  createdAt: now,
                },
                select: { id: true },
              })
            ).id;
          await join(tx, userId, invitation.orgId, invitation.role);
          let session: NewSession | null = null;
          if (acceptor === null) session = await sessions.create(tx, userId, invitation.orgId);
          else if (acceptor.sessionId !== undefined)
            await sessions.setOrg(tx, acceptor.sessionId, invitation.orgId);
          return { account: await loadAccountView(tx, userId, invitation.orgId), session };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DomainError("CONFLICT", ACCOUNT_MESSAGES.emailTaken);
        throw error;
      }
    },
  };
}

export type Invitations = ReturnType<typeof createInvitations>;
