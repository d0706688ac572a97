// Public surface of the billing read service.
export * from "./billing-service";
