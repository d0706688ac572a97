// orgs.*: the caller's organisation; creating and listing organisations is for platform admins.
import { adminProcedure, ownerProcedure, router, sessionOwnerProcedure } from "../trpc";
import { createOrgInputSchema, updateOrgInputSchema } from "../services/orgs";

export const orgsRouter = router({
  current: ownerProcedure.query(({ ctx }) => ctx.services.orgs.getById(ctx.orgId)),
  /** Owners: `{name?, slackWebhookUrl?}` (null clears the Slack URL); 400 naming the field. */
  update: sessionOwnerProcedure
    .input(updateOrgInputSchema)
    .mutation(({ ctx, input }) =>
      ctx.services.orgs.update(
        { userId: ctx.actor.userId, orgId: ctx.orgId, isAdmin: ctx.actor.isAdmin },
        input,
        { mode: ctx.services.config.mode },
      ),
    ),
  list: adminProcedure.query(({ ctx }) => ctx.services.orgs.list()),
  create: adminProcedure
    .input(createOrgInputSchema)
    .mutation(({ ctx, input }) => ctx.services.orgs.create(input)),
});
