// Public surface of the projects service.
export * from "./projects-service";
