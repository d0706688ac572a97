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
