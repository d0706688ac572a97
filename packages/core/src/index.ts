// Public surface of @eyeball/core: the pure domain of Eyeball.
export * from "./output-schema";
