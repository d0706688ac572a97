// Job targeting: the Instahuman category and participant filters a job is created with, checked against the catalogs.
import { parseOrThrow, validationError } from "@eyeball/core";
import { z } from "zod";

import { type Db, type Tx } from "../types";

/** A catalog entry as a job view carries it. */
export interface CatalogRef {
  id: string;
  slug: string;
  name: string;
}

/** The targeting fields of a create request, as given (each a catalog id or slug). */
export interface TargetingInput {
  categoryId?: string | undefined;
  participantFilterIds?: string[] | undefined;
}

/** Targeting resolved to catalog ids, ready to store. */
export interface ResolvedTargeting {
  categoryId: string | null;
  participantFilterIds: string[];
}

const catalogKey = z
  .string({ error: "must be a string (a catalog id or slug)" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(100, { error: "must be at most 100 characters" });

/** The targeting fields of a create request (shape only; the catalogs are checked by resolveTargeting). */
export const targetingSchema = z.strictObject({
  categoryId: catalogKey.optional(),
  participantFilterIds: z
    .array(catalogKey, { error: "must be an array of participant filter ids or slugs" })
    .max(20, { error: "must hold at most 20 filters" })
    .optional(),
});

/**
 * Takes the targeting fields off a create request (the core request schema is strict and knows
 * nothing of catalogs) and validates their shape; 400 naming the field.
 */
export function splitTargeting(input: unknown): { request: unknown; targeting: TargetingInput } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { request: input, targeting: {} };
  }
  const { categoryId, participantFilterIds, ...request } = input as Record<string, unknown>;
  const given = {
    ...(categoryId === undefined ? {} : { categoryId }),
    ...(participantFilterIds === undefined ? {} : { participantFilterIds }),
  };
  return { request, targeting: parseOrThrow(targetingSchema, given) };
}

/** Resolves each id-or-slug against its catalog; 400 naming the field and the unknown value. */
export async function resolveTargeting(db: Db | Tx, targeting: TargetingInput): Promise<ResolvedTargeting> {
  let categoryId: string | null = null;
  if (targeting.categoryId !== undefined) {
    const key = targeting.categoryId;
    const category = await db.category.findFirst({ where: { OR: [{ id: key }, { slug: key }] } });
    if (!category) throw validationError("categoryId", `unknown category "${key}"`, { value: key });
    categoryId = category.id;
  }
  const keys = [...new Set(targeting.participantFilterIds ?? [])];
  const participantFilterIds: string[] = [];
  if (keys.length > 0) {
    const rows = await db.participantFilter.findMany({
      where: { OR: [{ id: { in: keys } }, { slug: { in: keys } }] },
    });
    for (const key of keys) {
      const row = rows.find((filter) => filter.id === key || filter.slug === key);
      if (!row) {
        throw validationError("participantFilterIds", `unknown participant filter "${key}"`, { value: key });
      }
      if (!participantFilterIds.includes(row.id)) participantFilterIds.push(row.id);
    }
  }
  return { categoryId, participantFilterIds };
}
