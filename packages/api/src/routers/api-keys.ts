// apiKeys.*: an owner manages the organisation's integrator keys (the secret is returned once, by create).
import { z } from "zod";

import { API_KEY_MODES } from "@eyeball/core";

import { sessionOwnerProcedure, router } from "../trpc";

const keyIdInput = z.strictObject({
  id: z.string({ error: "is required" }).min(1, { error: "is required" }),
});

export const apiKeysRouter = router({
  list: sessionOwnerProcedure.query(({ ctx }) => ctx.services.apiKeys.list(ctx.orgId)),

  create: sessionOwnerProcedure
    .input(
      z.strictObject({
        name: z.string({ error: "is required" }).trim().min(1, { error: "must not be empty" }).max(100, {
          error: "must be at most 100 characters",
        }),
        mode: z.enum(API_KEY_MODES, { error: "must be live or test" }).default("test"),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.apiKeys.create(ctx.orgId, { ...input, createdByUserId: ctx.actor.userId }),
    ),

  revoke: sessionOwnerProcedure
    .input(keyIdInput)
    .mutation(({ ctx, input }) => ctx.services.apiKeys.revoke(ctx.orgId, input.id)),

  delete: sessionOwnerProcedure.input(keyIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.apiKeys.delete(ctx.orgId, input.id);
    return { id: input.id, deleted: true as const };
  }),
});
