// `Idempotency-Key` on create endpoints: the first response is stored and replayed for the same key and body.
import { createHash } from "node:crypto";

import { type Request, type RequestHandler, type Response } from "express";

import { DomainError } from "@eyeball/core";
import { isUniqueViolation, Prisma } from "@eyeball/db";

import { type Clock } from "../clock";
import { type Db } from "../services/types";
import { actorOf } from "./auth";
import { sendError } from "./errors";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim older than this is treated as abandoned (its process died) and may be taken over. */
export const IDEMPOTENCY_LOCK_TIMEOUT_MS = 15 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export interface IdempotencyOptions {
  ttlMs?: number;
  lockTimeoutMs?: number;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function requestHash(req: Request): string {
  const path = req.originalUrl;
  return createHash("sha256")
    .update(`${req.method} ${path}\n${canonicalJson(req.body)}`)
    .digest("hex");
}

type Claim = { kind: "claimed"; id: string } | { kind: "done" };

/**
 * Builds `idempotent(endpoint)`: middleware for a create endpoint, after `requireApiKey` and the
 * JSON body parser. Without the header it does nothing. With it:
 * - first request: claims the key (row with no response), runs the handler, stores a 2xx/3xx
 *   response; a failed request (4xx/5xx) frees the key so the client may retry with it;
 * - same key, same method, path and body: replays the stored status and body
 *   (`Idempotent-Replayed: true`);
 * - same key, different request: 409 `idempotency_conflict`;
 * - same key while the first is still running: 409 `idempotency_conflict` (retry later).
 * Keys are scoped to the organisation and endpoint and expire after 24 h.
 */
export function createIdempotency(
  { db, clock }: { db: Db; clock: Clock },
  options: IdempotencyOptions = {},
): (endpoint: string) => RequestHandler {
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const lockTimeoutMs = options.lockTimeoutMs ?? IDEMPOTENCY_LOCK_TIMEOUT_MS;

  async function claim(
    res: Response,
    scope: { orgId: string; apiKeyId: string; endpoint: string; key: string },
    hash: string,
  ): Promise<Claim> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const now = clock.now();
      try {
        const row = await db.idempotencyKey.create({
          data: { ...scope, requestHash: hash, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) },
          select: { id: true },
        });
        return { kind: "claimed", id: row.id };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const existing = await db.idempotencyKey.findUnique({
        where: { orgId_endpoint_key: { orgId: scope.orgId, endpoint: scope.endpoint, key: scope.key } },
      });
      if (!existing) continue;
      if (existing.expiresAt <= now) {
        await db.idempotencyKey.deleteMany({ where: { id: existing.id, expiresAt: { lte: now } } });
        continue;
      }
      if (existing.requestHash !== hash) {
        sendError(
          res,
          409,
          "idempotency_conflict",
          `${IDEMPOTENCY_HEADER} "${scope.key}" was already used with a different request; use a new key for a new request`,
        );
        return { kind: "done" };
      }
      if (existing.responseStatus === null) {
        if (existing.createdAt.getTime() + lockTimeoutMs <= now.getTime()) {
          const taken = await db.idempotencyKey.updateMany({
            where: { id: existing.id, responseStatus: null, createdAt: existing.createdAt },
            data: { createdAt: now },
          });
          if (taken.count === 1) return { kind: "claimed", id: existing.id };
          continue;
        }
        sendError(
          res,
          409,
          "idempotency_conflict",
          `A request with ${IDEMPOTENCY_HEADER} "${scope.key}" is still in progress; retry once it has finished`,
        );
        return { kind: "done" };
      }
      res.set("Idempotent-Replayed", "true").status(existing.responseStatus).json(existing.responseBody);
      return { kind: "done" };
    }
    throw new DomainError("CONFLICT", `${IDEMPOTENCY_HEADER}: could not claim the key; retry`);
  }

  return (endpoint) => async (req, res, next) => {
    try {
      const header = req.get(IDEMPOTENCY_HEADER);
      if (header === undefined) {
        next();
        return;
      }
      const key = header.trim();
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        throw new DomainError(
          "VALIDATION",
          `${IDEMPOTENCY_HEADER}: must be 1 to ${MAX_KEY_LENGTH} characters`,
          {
            details: { field: IDEMPOTENCY_HEADER },
          },
        );
      }
      const actor = actorOf(res);
      const result = await claim(
        res,
        { orgId: actor.orgId, apiKeyId: actor.apiKeyId, endpoint, key },
        requestHash(req),
      );
      if (result.kind === "done") return;

      const rowId = result.id;
      let settled = false;
      const send = res.json.bind(res);
      // Store before sending, so a retry that arrives right after the response finds the result.
      res.json = (body: unknown) => {
        settled = true;
        const status = res.statusCode;
        const write =
          status < 400
            ? db.idempotencyKey.update({
                where: { id: rowId },
                data: {
                  responseStatus: status,
                  responseBody:
                    body === undefined
                      ? Prisma.JsonNull
                      : (JSON.parse(JSON.stringify(body)) as Prisma.InputJsonValue),
                },
              })
            : db.idempotencyKey.deleteMany({ where: { id: rowId } });
        write.then(
          () => send(body),
          (error: unknown) => {
            console.error("idempotency: could not store the response", error);
            send(body);
          },
        );
        return res;
      };
      res.on("close", () => {
        // Answered without JSON (e.g. 204) or the handler never answered: free the key.
        if (!settled)
          void db.idempotencyKey
            .deleteMany({ where: { id: rowId, responseStatus: null } })
            .catch(() => undefined);
      });
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Deletes expired keys; the host may run it now and then (expired keys are also replaced lazily). */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const { count } = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
