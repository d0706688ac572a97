// Public surface of the organisations service.
export * from "./orgs-service";
export * from "./slug";
export * from "./webhook-secret";
