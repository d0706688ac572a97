// Portal sessions: eb_ses_ tokens stored only as their SHA-256 hash, 30-day expiry, the current organisation per session.
import { DomainError, randomString } from "@eyeball/core";

import { type Prisma } from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock } from "../../clock";
import { hashSessionToken, LAST_SEEN_RESOLUTION_MS } from "../tester-auth";
import { type Db, type Tx } from "../types";
import { ACCOUNT_MESSAGES } from "./account-inputs";

export const ACCOUNT_TOKEN_PREFIX = "eb_ses_";
/** 32 base-62 characters ≈ 190 bits, as tester tokens. */
const TOKEN_RANDOM_LENGTH = 32;
export const ACCOUNT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A signed-in owner, member or admin, with the session the request came with. */
export type UserSessionActor = Extract<Actor, { kind: "user" }> & { sessionId: string };

export interface NewSession {
  /** The token, returned only here: the session cookie's value (or `Authorization: Bearer eb_ses_…`). */
  token: string;
  expiresAt: Date;
  sessionId: string;
}

/** The organisation a session acts for: the stored one while still allowed, else the first membership. */
export function currentOrgOf(
  storedOrgId: string | null,
  memberOrgIds: readonly string[],
  isAdmin: boolean,
): string | null {
  if (storedOrgId !== null && (isAdmin || memberOrgIds.includes(storedOrgId))) return storedOrgId;
  return memberOrgIds[0] ?? null;
}

/** Oldest membership first: the default organisation of a new session. */
export const membershipOrder: Prisma.MembershipOrderByWithRelationInput[] = [
  { createdAt: "asc" },
  { id: "asc" },
];

function stripBearer(value: string): string {
  const trimmed = value.trim();
  const match = /^Bearer\s+(.*)$/i.exec(trimmed);
  return (match?.[1] ?? trimmed).trim();
}

export function createAccountSessions({ db, clock }: { db: Db; clock: Clock }) {
  return {
    async create(client: Db | Tx, userId: string, orgId: string | null): Promise<NewSession> {
      const token = `${ACCOUNT_TOKEN_PREFIX}${randomString(TOKEN_RANDOM_LENGTH)}`;
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + ACCOUNT_SESSION_TTL_MS);
      const row = await client.session.create({
        data: { userId, orgId, tokenHash: hashSessionToken(token), createdAt: now, expiresAt },
        select: { id: true },
      });
      return { token, expiresAt, sessionId: row.id };
    },

    /** The user behind a token (or `Bearer …` value); UNAUTHORIZED when unknown, expired or revoked. */
    async authenticate(token: string): Promise<UserSessionActor> {
      const plain = stripBearer(token);
      const session = plain.startsWith(ACCOUNT_TOKEN_PREFIX)
        ? await db.session.findUnique({
            where: { tokenHash: hashSessionToken(plain) },
            select: {
              id: true,
              userId: true,
              orgId: true,
              expiresAt: true,
              revokedAt: true,
              lastSeenAt: true,
              user: {
                select: {
                  isAdmin: true,
                  memberships: { select: { orgId: true }, orderBy: membershipOrder },
                },
              },
            },
          })
        : null;
      if (!session) throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.sessionUnknown);
      if (session.revokedAt) throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.sessionRevoked);
      const now = clock.now();
      if (session.expiresAt.getTime() <= now.getTime()) {
        throw new DomainError("UNAUTHORIZED", ACCOUNT_MESSAGES.sessionExpired);
      }
      if (!session.lastSeenAt || now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
        const staleBefore = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS);
        // Conditional, so concurrent requests of one session write it once.
        await db.session.updateMany({
          where: { id: session.id, OR: [{ lastSeenAt: null }, { lastSeenAt: { lte: staleBefore } }] },
          data: { lastSeenAt: now },
        });
      }
      const { isAdmin, memberships } = session.user;
      const orgId = currentOrgOf(
        session.orgId,
        memberships.map((m) => m.orgId),
        isAdmin,
      );
      return { kind: "user", userId: session.userId, orgId, isAdmin, sessionId: session.id };
    },

    /** Revokes one session; revoking twice keeps the first time. */
    async revoke(sessionId: string): Promise<void> {
      await db.session.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: clock.now() },
      });
    },

    async setOrg(client: Db | Tx, sessionId: string, orgId: string): Promise<void> {
      await client.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { orgId } });
    },
  };
}

export type AccountSessions = ReturnType<typeof createAccountSessions>;
