// Integrator API keys: created and shown once, stored as a hash, authenticated per request, revoked at once.
import { z } from "zod";

import {
  apiKeyMode,
  apiKeyPrefix,
  API_KEY_MODES,
  DomainError,
  generateApiKey,
  isApiKeyFormat,
  parseOrThrow,
} from "@eyeball/core";
import { type ApiKey } from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock } from "../../clock";
import { type Db, type Mode } from "../types";
import { bearerToken } from "./bearer";
import { hashApiKey } from "./hash";

/** lastUsedAt is written at most this often per key, so hot keys don't turn every request into a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** What clients may see of a key: never the hash, never the secret. */
export interface ApiKeyView {
  id: string;
  orgId: string;
  name: string;
  prefix: string;
  mode: Mode;
  createdByUserId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ApiKeyActor = Extract<Actor, { kind: "apiKey" }>;

export const createApiKeyInputSchema = z.strictObject({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(100, { error: "must be at most 100 characters" }),
  mode: z.enum(API_KEY_MODES, { error: "must be live or test" }),
  createdByUserId: z.string().nullish(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export interface ApiKeysService {
  /** A new key; `key` is the secret, returned only here. */
  create(orgId: string, input: CreateApiKeyInput): Promise<{ key: string; apiKey: ApiKeyView }>;
  /** The caller behind an `Authorization` value (or bare token); DomainError UNAUTHORIZED otherwise. */
  authenticate(authorization: string | null | undefined): Promise<ApiKeyActor>;
  list(orgId: string): Promise<ApiKeyView[]>;
  /** Revokes a key of `orgId`; effective for the next request. Revoking twice keeps the first time. */
  revoke(orgId: string, apiKeyId: string): Promise<ApiKeyView>;
  delete(orgId: string, apiKeyId: string): Promise<void>;
}

export function toApiKeyView(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    prefix: row.prefix,
    mode: row.mode,
    createdByUserId: row.createdByUserId,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

const UNAUTHORIZED_MESSAGES = {
  missing: "Missing API key: send an Authorization: Bearer <key> header",
  malformed: "Malformed API key: expected a key starting with eb_live_ or eb_test_",
  unknown: "Unknown API key",
  revoked: "This API key has been revoked",
} as const;

export function createApiKeysService({ db, clock }: { db: Db; clock: Clock }): ApiKeysService {
  async function ownKey(orgId: string, apiKeyId: string): Promise<ApiKey> {
    const row = await db.apiKey.findUnique({ where: { id: apiKeyId } });
    if (!row) throw new DomainError("NOT_FOUND", `API key ${apiKeyId} was not found`);
    if (row.orgId !== orgId)
      throw new DomainError("FORBIDDEN", `API key ${apiKeyId} belongs to another organisation`);
    return row;
  }

  return {
    async create(orgId, input) {
      const { name, mode, createdByUserId } = parseOrThrow(createApiKeyInputSchema, input);
      const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
      if (!org) throw new DomainError("NOT_FOUND", `Organisation ${orgId} was not found`);
      const key = generateApiKey(mode);
      const row = await db.apiKey.create({
        data: {
          orgId,
          name,
          mode,
          prefix: apiKeyPrefix(key),
          hash: hashApiKey(key),
          createdByUserId: createdByUserId ?? null,
          createdAt: clock.now(),
        },
      });
      return { key, apiKey: toApiKeyView(row) };
    },

    async authenticate(authorization) {
      const token = bearerToken(authorization);
      if (token === null) throw new DomainError("UNAUTHORIZED", UNAUTHORIZED_MESSAGES.missing);
      if (!isApiKeyFormat(token) || apiKeyMode(token) === null) {
        throw new DomainError("UNAUTHORIZED", UNAUTHORIZED_MESSAGES.malformed);
      }
      const row = await db.apiKey.findUnique({ where: { hash: hashApiKey(token) } });
      if (!row) throw new DomainError("UNAUTHORIZED", UNAUTHORIZED_MESSAGES.unknown);
      if (row.revokedAt !== null) throw new DomainError("UNAUTHORIZED", UNAUTHORIZED_MESSAGES.revoked);

      const now = clock.now();
      const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      if (row.lastUsedAt === null || row.lastUsedAt <= staleBefore) {
        // Conditional, so concurrent requests of one key write once per minute at most.
        await db.apiKey.updateMany({
          where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] },
          data: { lastUsedAt: now },
        });
      }
      return { kind: "apiKey", orgId: row.orgId, apiKeyId: row.id, mode: row.mode };
    },

    async list(orgId) {
      const rows = await db.apiKey.findMany({
        where: { orgId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      return rows.map(toApiKeyView);
    },

    async revoke(orgId, apiKeyId) {
      const row = await ownKey(orgId, apiKeyId);
      if (row.revokedAt !== null) return toApiKeyView(row);
      const updated = await db.apiKey.update({ where: { id: row.id }, data: { revokedAt: clock.now() } });
      return toApiKeyView(updated);
    },

    async delete(orgId, apiKeyId) {
      const row = await ownKey(orgId, apiKeyId);
      await db.apiKey.delete({ where: { id: row.id } });
    },
  };
}
