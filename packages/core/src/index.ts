// Public surface of @eyeball/core: the pure domain of Eyeball.
export * from "./done-rule";
export * from "./output-schema";
