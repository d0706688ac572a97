// Public surface of the usage read service.
export * from "./usage-service";
