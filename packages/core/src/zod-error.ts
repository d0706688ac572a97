// Turn zod issues into messages that name the field, and into DomainError VALIDATION.
import { type z } from "zod";

import { DomainError } from "./errors";

export interface FieldIssue {
  /** Dotted path such as `screenSize.width` or `credentials.0.username`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

function joinPath(base: readonly PropertyKey[], more: readonly PropertyKey[] = []): string {
  return [...base, ...more].map((key) => (typeof key === "symbol" ? key.toString() : String(key))).join(".");
}

/**
 * Flatten issues to `{path, message}`. Unknown keys become one issue per key, named by its own
 * path. A failed union reports the branch that got furthest (its deepest issue), since "invalid
 * input" helps nobody when the value was clearly meant as the object form.
 */
export function flattenZodIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[] = [],
): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const path = [...base, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: joinPath(path, [key]), message: "is not a known field" }));
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const deepest = issue.errors
        .map((branch) => flattenZodIssues(branch, path))
        .filter((branch) => branch.some((i) => i.path.length > joinPath(path).length))
        .sort((a, b) => depth(b) - depth(a))[0];
      if (deepest) return deepest;
    }
    return [{ path: joinPath(path), message: issue.message }];
  });
}

function depth(issues: readonly FieldIssue[]): number {
  return Math.max(...issues.map((issue) => (issue.path === "" ? 0 : issue.path.split(".").length)));
}

/** One line naming every failing field: `targetDurationMinutes: must be between 1 and 60; url: …`. */
export function formatZodError(error: z.ZodError, base: readonly PropertyKey[] = []): string {
  return flattenZodIssues(error.issues, base)
    .map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`))
    .join("; ");
}

/** A DomainError VALIDATION (400) for a zod failure; `details.issues` lists every field. */
export function zodValidationError(error: z.ZodError, base: readonly PropertyKey[] = []): DomainError {
  const issues = flattenZodIssues(error.issues, base);
  return new DomainError("VALIDATION", formatZodError(error, base), {
    details: { field: issues[0]?.path ?? "", issues },
    cause: error,
  });
}

/** Parse with a schema, or throw DomainError VALIDATION naming the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodValidationError(parsed.error);
  return parsed.data;
}
