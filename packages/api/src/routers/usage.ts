// usage.*: the organisation's jobs, spend and turnaround over time.
import { type ContextServices } from "../context";
import { createUsageService, type UsageService, type UsageSummaryInput } from "../services/usage";
import { ownerProcedure, router } from "../trpc";

// The usage service only reads the database, so it is built from the context's own handle (one per host).
const built = new WeakMap<ContextServices, UsageService>();
function usageOf(services: ContextServices): UsageService {
  let service = built.get(services);
  if (!service) {
    service = createUsageService({ db: services.db });
    built.set(services, service);
  }
  return service;
}

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
