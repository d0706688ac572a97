// Tester sign-in for the desktop app: email + password → a session token (stored hashed), and the tester's profile.
import { createHash } from "node:crypto";

import { z } from "zod";

import { DomainError, parseOrThrow, randomString, validationError } from "@eyeball/core";

import { type Prisma } from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock } from "../../clock";
import { type Db } from "../types";
import {
  dummyPasswordHash,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from "./password";

export const TESTER_TOKEN_PREFIX = "eb_tst_";
/** 32 base-62 characters ≈ 190 bits. */
const TOKEN_RANDOM_LENGTH = 32;
export const TESTER_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often per session. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export const SIGN_IN_FAILED = "email or password is wrong";
export const TESTER_AUTH_MESSAGES = {
  unknown: "Unknown tester session: sign in again",
  expired: "This tester session has expired: sign in again",
  revoked: "This tester session has been signed out: sign in again",
} as const;

export type TesterActor = Extract<Actor, { kind: "tester" }>;

export interface CatalogRef {
  slug: string;
  name: string;
}

export interface TesterProfileView {
  testerId: string;
  userId: string;
  email: string;
  name: string;
  alias: string;
  avatarUrl: string | null;
  color: string | null;
  country: string | null;
  languages: string[];
  equipment: CatalogRef[];
  interests: CatalogRef[];
}

export interface TesterSignIn {
  /** The session token, returned only here; send it as `Authorization: Bearer eb_tst_…`. */
  token: string;
  expiresAt: Date;
  tester: TesterProfileView;
}

const slugList = z
  .array(z.string({ error: "must be a list of slugs" }).trim().min(1, { error: "must not be empty" }), {
    error: "must be a list of slugs",
  })
  .max(50, { error: "must have at most 50 entries" });

export const updateTesterProfileInputSchema = z.strictObject({
  alias: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(50, { error: "must be at most 50 characters" })
    .optional(),
  country: z
    .string({ error: "must be a string" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { error: "must be an ISO 3166-1 alpha-2 code such as US" })
    .nullable()
    .optional(),
  languages: z
    .array(
      z
        .string({ error: "must be a list of language codes" })
        .trim()
        .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
          error: "must be language codes such as en or pt-BR",
        }),
      { error: "must be a list of language codes" },
    )
    .max(10, { error: "must have at most 10 entries" })
    .optional(),
  equipmentSlugs: slugList.optional(),
  interestSlugs: slugList.optional(),
});
export type UpdateTesterProfileInput = z.input<typeof updateTesterProfileInputSchema>;

const passwordSchema = z
  .string({ error: "must be a string" })
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

export interface TesterAuthService {
  /** A new session for a user with a tester profile; UNAUTHORIZED "email or password is wrong" otherwise. */
  signIn(email: string, password: string): Promise<TesterSignIn>;
  /** The tester behind a token (or `Bearer …` value); UNAUTHORIZED when unknown, expired or revoked. */
  authenticate(token: string): Promise<TesterActor & { sessionId: string }>;
  /** Revokes the token's session; signing out twice keeps the first time. */
  signOut(token: string): Promise<void>;
  /** Revokes one session by id (the tRPC `signOut`, which knows the session, not the token). */
  revokeSession(sessionId: string): Promise<void>;
  /** Sets a user's password (seeding, CLI); VALIDATION below 10 characters. */
  setPassword(userId: string, password: string): Promise<void>;
  getProfile(testerId: string): Promise<TesterProfileView>;
  updateProfile(testerId: string, input: UpdateTesterProfileInput): Promise<TesterProfileView>;
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function stripBearer(value: string): string {
  const trimmed = value.trim();
  const match = /^Bearer\s+(.*)$/i.exec(trimmed);
  return (match?.[1] ?? trimmed).trim();
}

const catalogOrder: [{ sort: "asc" }, { slug: "asc" }] = [{ sort: "asc" }, { slug: "asc" }];
const profileInclude = {
  user: { select: { email: true, name: true } },
  equipment: { select: { slug: true, name: true }, orderBy: catalogOrder },
  interests: { select: { slug: true, name: true }, orderBy: catalogOrder },
} satisfies Prisma.TesterProfileInclude;

export function createTesterAuthService({ db, clock }: { db: Db; clock: Clock }): TesterAuthService {
  async function getProfile(testerId: string): Promise<TesterProfileView> {
    const row = await db.testerProfile.findUnique({ where: { id: testerId }, include: profileInclude });
    if (!row) throw new DomainError("NOT_FOUND", "No such tester");
    return {
      testerId: row.id,
      userId: row.userId,
      email: row.user.email,
      name: row.user.name,
      alias: row.alias,
      avatarUrl: row.avatarUrl,
      color: row.color,
      country: row.country,
      languages: row.languages,
      equipment: row.equipment,
      interests: row.interests,
    };
  }

  async function findSession(token: string) {
    const plain = stripBearer(token);
    if (!plain.startsWith(TESTER_TOKEN_PREFIX)) return null;
    return db.session.findUnique({
      where: { tokenHash: hashSessionToken(plain) },
      include: { user: { select: { testerProfile: { select: { id: true } } } } },
    });
  }

  /** Ids of the catalog rows for `slugs`, or VALIDATION naming the first unknown slug. */
  async function catalogIds(
    field: "equipmentSlugs" | "interestSlugs",
    slugs: readonly string[],
  ): Promise<{ id: string }[]> {
    const unique = [...new Set(slugs)];
    const where = { slug: { in: unique } };
    const select = { id: true, slug: true } as const;
    const rows =
      field === "equipmentSlugs"
        ? await db.equipment.findMany({ where, select })
        : await db.interest.findMany({ where, select });
    const known = new Set(rows.map((row) => row.slug));
    const unknown = unique.find((slug) => !known.has(slug));
    if (unknown !== undefined) {
      const catalog = field === "equipmentSlugs" ? "equipment" : "interest";
      throw validationError(field, `unknown ${catalog} "${unknown}"`, { slug: unknown });
    }
    return rows.map((row) => ({ id: row.id }));
  }

  return {
    async signIn(email, password) {
      const failed = new DomainError("UNAUTHORIZED", SIGN_IN_FAILED);
      if (typeof email !== "string" || typeof password !== "string") throw failed;
      const user = await db.user.findFirst({
        where: { email: { equals: email.trim(), mode: "insensitive" } },
        select: { id: true, passwordHash: true, testerProfile: { select: { id: true } } },
      });
      const stored = user?.passwordHash ?? (await dummyPasswordHash());
      const ok = await verifyPassword(stored, password);
      if (!ok || !user?.passwordHash || !user.testerProfile) throw failed;

      const token = `${TESTER_TOKEN_PREFIX}${randomString(TOKEN_RANDOM_LENGTH)}`;
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + TESTER_SESSION_TTL_MS);
      await db.session.create({
        data: { userId: user.id, tokenHash: hashSessionToken(token), createdAt: now, expiresAt },
      });
      return { token, expiresAt, tester: await getProfile(user.testerProfile.id) };
    },

    async authenticate(token) {
      const session = await findSession(token);
      const testerId = session?.user.testerProfile?.id;
      if (!session || testerId === undefined) {
        throw new DomainError("UNAUTHORIZED", TESTER_AUTH_MESSAGES.unknown);
      }
      if (session.revokedAt) throw new DomainError("UNAUTHORIZED", TESTER_AUTH_MESSAGES.revoked);
      const now = clock.now();
      if (session.expiresAt.getTime() <= now.getTime()) {
        throw new DomainError("UNAUTHORIZED", TESTER_AUTH_MESSAGES.expired);
      }
      if (!session.lastSeenAt || now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
        const staleBefore = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS);
        await db.session.updateMany({
          where: { id: session.id, OR: [{ lastSeenAt: null }, { lastSeenAt: { lte: staleBefore } }] },
          data: { lastSeenAt: now },
        });
      }
      return { kind: "tester", userId: session.userId, testerId, sessionId: session.id };
    },

    async signOut(token) {
      const session = await findSession(token);
      if (!session) throw new DomainError("UNAUTHORIZED", TESTER_AUTH_MESSAGES.unknown);
      await db.session.updateMany({
        where: { id: session.id, revokedAt: null },
        data: { revokedAt: clock.now() },
      });
    },

    async revokeSession(sessionId) {
      await db.session.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: clock.now() },
      });
    },

    async setPassword(userId, password) {
      const valid = parseOrThrow(z.strictObject({ password: passwordSchema }), { password });
      const passwordHash = await hashPassword(valid.password);
      const updated = await db.user.updateMany({ where: { id: userId }, data: { passwordHash } });
      if (updated.count === 0) throw new DomainError("NOT_FOUND", "No such user");
    },

    getProfile,

    async updateProfile(testerId, input) {
      const parsed = parseOrThrow(updateTesterProfileInputSchema, input);
      const equipment =
        parsed.equipmentSlugs === undefined
          ? undefined
          : await catalogIds("equipmentSlugs", parsed.equipmentSlugs);
      const interests =
        parsed.interestSlugs === undefined
          ? undefined
          : await catalogIds("interestSlugs", parsed.interestSlugs);
      const exists = await db.testerProfile.findUnique({ where: { id: testerId }, select: { id: true } });
      if (!exists) throw new DomainError("NOT_FOUND", "No such tester");
      await db.testerProfile.update({
        where: { id: testerId },
        data: {
          ...(parsed.alias === undefined ? {} : { alias: parsed.alias }),
          ...(parsed.country === undefined ? {} : { country: parsed.country }),
          ...(parsed.languages === undefined ? {} : { languages: [...new Set(parsed.languages)] }),
          ...(equipment === undefined ? {} : { equipment: { set: equipment } }),
          ...(interests === undefined ? {} : { interests: { set: interests } }),
        },
      });
      return getProfile(testerId);
    },
  };
}
