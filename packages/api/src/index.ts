// Public surface of @eyeball/api: services, tRPC routers and the REST adapter.
export * from "./actor";
export * from "./clock";
export * from "./config";
export type * from "./services/types";
// Host, auth and operator surface: composition of access services, tRPC, REST.
export * from "./app-services";
export * from "./context";
export * from "./health-check";
export * from "./pagination";
export { appRouter, createCaller, type AppRouter } from "./root";
export {
  adminProcedure,
  apiKeyProcedure,
  createCallerFactory,
  middleware,
  ownerProcedure,
  publicProcedure,
  router,
  sessionOwnerProcedure,
  testerProcedure,
  toTRPCError,
  userProcedure,
} from "./trpc";
export * from "./rest";
export * from "./services/api-keys";
export * from "./services/accounts";
export * from "./session-cookie";
export * from "./services/catalogs";
export * from "./services/orgs";
export * from "./services/tester-auth";
export * from "./services/ledger";
export * from "./services/stripe";
// Job-side composition for the host (apps/server compose.ts).
export { createServices, type CreateServicesDeps, type Services } from "./services/index";
export {
  reconcile,
  registerAutoReloadWorker,
  registerPayoutsWorker,
  registerWorkers,
  STALE_PAYOUT_MS,
  TIMEOUT_SWEEP_INTERVAL_MS,
  type ReconcileReport,
} from "./services/workers";
export * from "./services/events";
export * from "./services/queue";
export * from "./services/webhooks";
// Job side: jobs, tester and sandbox services (views, queue names, magic words).
export * from "./services/jobs";
export * from "./services/tester";
export * from "./services/sandbox";
export * from "./services/artifacts";
export * from "./services/projects";
export * from "./services/billing";
export * from "./services/payouts";
export * from "./services/usage";
export * from "./services/admin";
export * from "./services/github";
export * from "./services/slack";
