// health.check: the database answers (public).
import { checkHealth } from "../health-check";
import { publicProcedure, router } from "../trpc";

export const healthRouter = router({
  check: publicProcedure.query(({ ctx }) => checkHealth(ctx.services.db)),
});
