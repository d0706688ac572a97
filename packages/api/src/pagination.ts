// Cursor pagination shared by services and transports: opaque cursors, a bounded limit, `{data, next}` pages.
import { z } from "zod";

import { DomainError } from "@eyeball/core";

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** One page of a list: `next` is the cursor of the following page, or null on the last one. */
export interface Page<T> {
  data: T[];
  next: string | null;
}

export interface PageRequest {
  cursor?: string | null | undefined;
  limit?: number | undefined;
}

/** The `{cursor, limit}` input of every list (tRPC input, REST query after coercion). */
export const pageRequestSchema = z.object({
  cursor: z.string({ error: "must be a string" }).max(500, { error: "is not a valid cursor" }).nullish(),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int({ error: `must be an integer between 1 and ${MAX_PAGE_LIMIT}` })
    .min(1, { error: `must be between 1 and ${MAX_PAGE_LIMIT}` })
    .max(MAX_PAGE_LIMIT, { error: `must be between 1 and ${MAX_PAGE_LIMIT}` })
    .optional(),
});

/** An opaque cursor for a position in a sorted list: base64url of the sort key's JSON. */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/** The position a cursor names; DomainError VALIDATION naming `cursor` when it was not made by encodeCursor. */
export function decodeCursor(cursor: string, shape: readonly ("string" | "number")[]): (string | number)[] {
  const invalid = new DomainError("VALIDATION", "cursor: is not a valid cursor", {
    details: { field: "cursor" },
  });
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw invalid;
  const items: unknown[] = value;
  items.forEach((item, index) => {
    if (typeof item !== shape[index]) throw invalid;
  });
  return items as (string | number)[];
}

/** Clamps a requested limit to the allowed range. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.trunc(limit)));
}

/**
 * One page from `limit + 1` rows read in (createdAt, id) order: the first `limit` rows as views, and
 * a cursor at the last of them when a further row exists.
 */
export function pageByCreatedAt<R extends { createdAt: Date; id: string }, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
): Page<V> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(view),
    next: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
  };
}
