// orgs.*: the caller's organisation; creating and listing organisations is for platform admins.
import { adminProcedure, ownerProcedure, router } from "../trpc";
import { createOrgInputSchema } from "../services/orgs";

export const orgsRouter = router({
  current: ownerProcedure.query(({ ctx }) => ctx.services.orgs.getById(ctx.orgId)),
  list: adminProcedure.query(({ ctx }) => ctx.services.orgs.list()),
  create: adminProcedure
    .input(createOrgInputSchema)
    .mutation(({ ctx, input }) => ctx.services.orgs.create(input)),
});
