// @eyeball/sdk: a typed client for the Eyeball REST API (run(human), TesterArmy and Instahuman dialects).
export * from "./client";
export * from "./errors";
export { DEFAULT_RETRY, isRetrySafe, type RetryPolicy } from "./transport";
export { type RunOptions, type WaitOptions } from "./wait";
export type { components, operations, paths } from "./generated/openapi";
