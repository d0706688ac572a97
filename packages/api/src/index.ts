// Public surface of @eyeball/api: services, tRPC routers and the REST adapter.
export * from "./actor";
export * from "./clock";
export * from "./config";
export type * from "./services/types";
