// usage.*: the organisation's jobs, spend and turnaround over time.
import { usageOf } from "../context";
import { type UsageSummaryInput } from "../services/usage";
import { ownerProcedure, router } from "../trpc";

export const usageRouter = router({
  /**
   * `{from, to, bucket: "day" | "week", timeZone, mode?}`: one row per bucket in the viewer's IANA zone
   * plus totals. An API key sees its own mode (naming the other is a 400 on `mode`); portal users see
   * live unless they pass `mode: "test"`. The service validates and names the field.
   */
  summary: ownerProcedure
    .input((raw: unknown) => raw as UsageSummaryInput)
    .query(({ ctx, input }) => usageOf(ctx.services).summary(ctx.actor, input)),
});
