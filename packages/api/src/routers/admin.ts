// admin.*: the platform operator — organisations (and their pricing), testers, overview counts, the disputes queue and resolving disputes.
import { DomainError } from "@eyeball/core";

import { type ContextServices, payoutsOf } from "../context";
import { pageRequestSchema } from "../pagination";
import {
  adminDisputeInputSchema,
  adminDisputesInputSchema,
  type AdminDisputesService,
  adminOverviewInputSchema,
  adminTestersInputSchema,
  resolveDisputeInputSchema,
  setOrgPricingInputSchema,
} from "../services/admin";
import { adminPayoutsInputSchema, recordPayoutInputSchema } from "../services/payouts";
import { adminProcedure, router } from "../trpc";

/** The dispute workflow lives with the job side (it needs the ledger, events and artifacts). */
function adminDisputesOf(services: ContextServices): AdminDisputesService {
  if (!services.adminDisputes)
    throw new DomainError("INTERNAL", "the admin dispute service is not composed in this host");
  return services.adminDisputes;
}

export const adminRouter = router({
  /** Every organisation, newest first, `{data, next}`. */
  orgs: adminProcedure.input(pageRequestSchema).query(({ ctx, input }) => ctx.services.admin.listOrgs(input)),

  /**
   * Set an organisation's price per second (USD, > 0, ≤ 1, whole micro-dollars) and tester share
   * (basis points 0–10000); null returns either to the platform default. New jobs use the new price.
   */
  setOrgPricing: adminProcedure
    .input(setOrgPricingInputSchema)
    .mutation(({ ctx, input }) => ctx.services.admin.setOrgPricing(input)),

  /** Every tester, newest first, `{data, next}`; the sandbox's simulated testers only with `includeSandbox`. */
  testers: adminProcedure
    .input(adminTestersInputSchema)
    .query(({ ctx, input }) => ctx.services.admin.listTesters(input)),

  /** Jobs by status (optionally of one key mode), open disputes, organisations and testers. */
  overview: adminProcedure
    .input(adminOverviewInputSchema.optional())
    .query(({ ctx, input }) => ctx.services.admin.overview(input ?? {})),

  /**
   * Disputes oldest first, `{data, next}`: open by default, or `status` resolved / upheld / refunded; each row
   * with its organisation, job, assignment, amount and opening time.
   */
  disputes: adminProcedure
    .input(adminDisputesInputSchema)
    .query(({ ctx, input }) => ctx.services.admin.listDisputes(input)),

  /** One dispute's evidence: the dispute, its job, the disputed assignment and its recording (404 naming the id). */
  dispute: adminProcedure
    .input(adminDisputeInputSchema)
    .query(({ ctx, input }) => adminDisputesOf(ctx.services).get(input)),

  /** Uphold or refund an open dispute with a note (1–2000 characters); a decided one is 409. Returns the evidence. */
  resolveDispute: adminProcedure
    .input(resolveDisputeInputSchema)
    .mutation(({ ctx, input }) => adminDisputesOf(ctx.services).resolve(ctx.actor.userId, input)),

  /** Every tester payout, newest first, `{data, next}`, optionally of one `status` (pending, paid, failed). */
  payouts: adminProcedure
    .input(adminPayoutsInputSchema)
    .query(({ ctx, input }) => payoutsOf(ctx.services).listAll(input)),

  /** An operator-recorded payout `{testerEmail, usd, note?, idempotencyKey?}`: whole cents, at most the tester's payable (409). */
  recordPayout: adminProcedure
    .input(recordPayoutInputSchema)
    .mutation(({ ctx, input }) => payoutsOf(ctx.services).record(ctx.actor, input)),
});
