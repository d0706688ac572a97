// Recognises a unique-constraint violation from Prisma on either engine (typed P2002 or raw 23505).
import { Prisma } from "./generated/prisma/client";

/**
 * Typed queries report unique violations as P2002; raw ones as P2010 ("Raw query failed") with
 * the driver adapter's error in `meta.driverAdapterError`.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const cause = (
    error.meta?.driverAdapterError as { cause?: { kind?: string; originalCode?: string } } | undefined
  )?.cause;
  return (
    error.code === "P2010" && (cause?.kind === "UniqueConstraintViolation" || cause?.originalCode === "23505")
  );
}
