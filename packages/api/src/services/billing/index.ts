// Public surface of the billing read service.
export * from "./billing-service";
export * from "./credit-grants";
export * from "./receipts";
export * from "./statement";
