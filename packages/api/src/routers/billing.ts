// billing.*: the caller's credits, holds and auto-reload settings (Instahuman's /api/billing, for the portal).
import { billingOf } from "../context";
import { ownerProcedure, router } from "../trpc";

export const billingRouter = router({
  /** Balance, open holds and available credit in USD, the auto-reload settings and the payment method. */
  overview: ownerProcedure.query(({ ctx }) => billingOf(ctx.services).overview(ctx.actor)),

  /** `{enabled, thresholdUsd, amountUsd}`; both amounts are required when enabled. */
  configureAutoReload: ownerProcedure
    .input((raw: unknown) => raw)
    .mutation(({ ctx, input }) => billingOf(ctx.services).configureAutoReload(ctx.actor, input)),
});
