// admin.*: platform-operator reads — organisations, testers, overview counts and open disputes (read-only).
import { pageRequestSchema } from "../pagination";
import { adminOverviewInputSchema, adminTestersInputSchema } from "../services/admin";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  /** Every organisation, newest first, `{data, next}`. */
  orgs: adminProcedure.input(pageRequestSchema).query(({ ctx, input }) => ctx.services.admin.listOrgs(input)),

  /** Every tester, newest first, `{data, next}`; the sandbox's simulated testers only with `includeSandbox`. */
  testers: adminProcedure
    .input(adminTestersInputSchema)
    .query(({ ctx, input }) => ctx.services.admin.listTesters(input)),

  /** Jobs by status (optionally of one key mode), open disputes, organisations and testers. */
  overview: adminProcedure
    .input(adminOverviewInputSchema.optional())
    .query(({ ctx, input }) => ctx.services.admin.overview(input ?? {})),

  /** Open disputes, oldest first, with their job and assignment ids and reasons. */
  disputes: adminProcedure
    .input(pageRequestSchema)
    .query(({ ctx, input }) => ctx.services.admin.listOpenDisputes(input)),
});
