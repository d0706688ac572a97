// Organisation slugs: lowercase letters, digits and inner hyphens, 3–40 characters.
import { z } from "zod";

export const ORG_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export const orgSlugSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .min(3, { error: "must be between 3 and 40 characters", abort: true })
  .max(40, { error: "must be between 3 and 40 characters", abort: true })
  .regex(ORG_SLUG_PATTERN, {
    error: "may contain only lowercase letters, digits and hyphens, and must not start or end with a hyphen",
  });

/** A valid slug made from a display name ("Acme, Inc." → "acme-inc"); short names get an "-org" suffix. */
export function slugFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  if (base.length >= 3) return base;
  return base === "" ? "org" : `${base}-org`;
}

/** `slug` with a random suffix, still a valid slug (for when the plain one is taken). */
export function slugWithSuffix(slug: string, suffix: string): string {
  const cleanSuffix = suffix.toLowerCase().replace(/[^a-z0-9]/g, "");
  const head = slug.slice(0, 40 - cleanSuffix.length - 1).replace(/-+$/, "");
  return `${head}-${cleanSuffix}`;
}
