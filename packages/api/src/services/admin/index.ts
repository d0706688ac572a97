// Public surface of the platform-admin read service.
export * from "./admin-service";
