// Public surface of the catalogs service.
export * from "./catalogs-service";
export * from "./default-catalog";
