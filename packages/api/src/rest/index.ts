// REST adapter surface: the router factory and the toolkit for adding dialect routes.
export { createArtifactDownloadRouter } from "./artifact-download";
export { actorOf, requireApiKey, type RestLocals } from "./auth";
export {
  consoleLogger,
  notFoundHandler,
  restErrorHandler,
  sendError,
  type RestErrorBody,
  type RestLogger,
} from "./errors";
export {
  createIdempotency,
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_TTL_MS,
  purgeExpiredIdempotencyKeys,
  type IdempotencyOptions,
} from "./idempotency";
export { jsonSafe } from "./json-safe";
export { DEFAULT_RATE_LIMIT, perKeyRateLimit, type RateLimitOptions } from "./rate-limit";
export { DatabaseRateLimitStore, type DatabaseRateLimitStoreOptions } from "./rate-limit-store";
export { parseBody, parseQuery, reply, Reply, route, type RouteHandler } from "./route";
export { createRestRouter, type RestRouterOptions } from "./router";
export {
  createRestToolkit,
  DEFAULT_BODY_LIMIT,
  type RestRouteModule,
  type RestToolkit,
  type RestToolkitOptions,
} from "./toolkit";
export { createRunhumanRoutes, toRunhumanJob } from "./routes/runhuman-routes";
export { createJobEventsRoutes, JOB_EVENTS_HEARTBEAT_MS } from "./routes/job-events-routes";
export { createTesterArmyRoutes } from "./routes/testerarmy-routes";
export * from "./routes/instahuman-jobs-routes";
export * from "./routes/instahuman-projects-routes";
export * from "./routes/instahuman-billing-routes";
export * from "./routes/stripe-webhook-routes";
export * from "./openapi";
