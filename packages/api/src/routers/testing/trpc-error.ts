// The TRPCError a call rejects with (failing the test when it resolves instead).
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
