// tester.payout.*: the tester's payouts — summary, history, a payout on request and Stripe Connect onboarding.
import { payoutsOf } from "../context";
import { pageRequestSchema } from "../pagination";
import { testerProcedure, router } from "../trpc";

export const testerPayoutsRouter = router({
  /** `{payableUsd, paidUsd, pendingUsd, payoutsEnabled, stripeConfigured, connectAccountId?, minimumUsd}`. */
  summary: testerProcedure.query(({ ctx }) => payoutsOf(ctx.services).summary(ctx.actor)),

  /** The tester's payouts, newest first, `{data, next}`. */
  list: testerProcedure
    .input(pageRequestSchema.optional())
    .query(({ ctx, input }) => payoutsOf(ctx.services).list(ctx.actor, input ?? {})),

  /** Pays everything payable (whole cents) through Stripe; 409 when not configured, not onboarded or below the minimum. */
  request: testerProcedure.mutation(({ ctx }) => payoutsOf(ctx.services).request(ctx.actor)),

  /** `{url, expiresAt}`: Stripe's onboarding page for the tester's Express account (created on first use). */
  onboard: testerProcedure.mutation(({ ctx }) => payoutsOf(ctx.services).onboardingLink(ctx.actor)),
});
