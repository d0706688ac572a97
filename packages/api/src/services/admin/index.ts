// Public surface of the platform-admin services: the operator's reads and the dispute workflow.
export * from "./org-pricing";
export * from "./admin-disputes";
export * from "./admin-service";
