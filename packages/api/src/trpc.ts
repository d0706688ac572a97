// The one tRPC instance: context, error conversion and the named procedures every router builds on.
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";

import { DomainError, flattenZodIssues, formatZodError, isDomainError } from "@eyeball/core";

import { type Actor } from "./actor";
import { type Context } from "./context";

function isZodError(value: unknown): value is ZodError {
  return (
    value instanceof ZodError || (value instanceof Error && value.name === "ZodError" && "issues" in value)
  );
}

/** DomainError → the table's tRPC code; zod input failures → BAD_REQUEST naming the field. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    if (isDomainError(error.cause)) return toTRPCError(error.cause);
    if (error.code === "BAD_REQUEST" && isZodError(error.cause)) {
      return new TRPCError({ code: "BAD_REQUEST", message: formatZodError(error.cause), cause: error.cause });
    }
    return error;
  }
  if (isDomainError(error))
    return new TRPCError({ code: error.trpcCode, message: error.message, cause: error });
  if (isZodError(error))
    return new TRPCError({ code: "BAD_REQUEST", message: formatZodError(error), cause: error });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error });
}

const t = initTRPC.context<Context>().create({
  // Keep SSE connections alive through proxies; clients reconnect (with lastEventId) after silence.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const domainCode = isDomainError(cause) ? cause.code : null;
    const issues = isZodError(cause) ? flattenZodIssues(cause.issues) : null;
    return {
      ...shape,
      // Never leak internals: an unexpected error keeps tRPC's generic message.
      message:
        error.code === "INTERNAL_SERVER_ERROR" && !isDomainError(cause)
          ? "Internal server error"
          : shape.message,
      data: { ...shape.data, domainCode, issues, stack: undefined },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** The single place domain errors become tRPC errors (convention 4). */
const errorMiddleware = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** Refuses mutations authenticated by the session cookie from another site's page (see createContextFromRequest). */
const csrfMiddleware = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.csrfError) throw ctx.csrfError;
  return next();
});

export const publicProcedure = t.procedure.use(errorMiddleware).use(csrfMiddleware);

function unauthorized(ctx: Context, message: string): DomainError {
  return ctx.authError ?? new DomainError("UNAUTHORIZED", message);
}

type ApiKeyActor = Extract<Actor, { kind: "apiKey" }>;
type UserActor = Extract<Actor, { kind: "user" }>;
type TesterActor = Extract<Actor, { kind: "tester" }>;

/** Integrators only: an API key (its mode decides live or sandbox). */
export const apiKeyProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind !== "apiKey") throw unauthorized(ctx, "An API key is required");
  return next({ ctx: { actor: actor satisfies ApiKeyActor, orgId: actor.orgId } });
});

/** Owner-side calls: an API key, or a signed-in user acting for an organisation; `ctx.orgId` scopes every query. */
export const ownerProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind === "apiKey")
    return next({ ctx: { actor: actor as ApiKeyActor | UserActor, orgId: actor.orgId } });
  if (actor.kind === "user") {
    if (actor.orgId === null) throw new DomainError("FORBIDDEN", "Select an organisation first");
    return next({ ctx: { actor: actor as ApiKeyActor | UserActor, orgId: actor.orgId } });
  }
  throw unauthorized(ctx, "Sign in or send an API key");
});

/** Signed-in owners and team members only (not API keys): key management and other account settings. */
export const sessionOwnerProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind === "apiKey")
    throw new DomainError("FORBIDDEN", "API keys cannot manage the account; sign in to the portal");
  if (actor.kind !== "user") throw unauthorized(ctx, "Sign in first");
  if (actor.orgId === null) throw new DomainError("FORBIDDEN", "Select an organisation first");
  return next({ ctx: { actor: actor satisfies UserActor, orgId: actor.orgId } });
});

/** Any signed-in portal user, with or without a current organisation (sign-out, switching organisation). */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind !== "user") throw unauthorized(ctx, "Sign in first");
  return next({ ctx: { actor: actor satisfies UserActor } });
});

export const testerProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind !== "tester") throw unauthorized(ctx, "Sign in to the tester app first");
  return next({ ctx: { actor: actor satisfies TesterActor, testerId: actor.testerId } });
});

export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind !== "user") throw unauthorized(ctx, "Sign in first");
  if (!actor.isAdmin) throw new DomainError("FORBIDDEN", "Platform administrators only");
  return next({ ctx: { actor: actor satisfies UserActor } });
});
