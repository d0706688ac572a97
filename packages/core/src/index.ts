// Public surface of @eyeball/core: the pure domain of Eyeball.
export * from "./assignment-lifecycle";
export * from "./cost";
export * from "./dispute";
export * from "./done-rule";
export * from "./errors";
export * from "./ids";
export * from "./job-control";
export * from "./job-lifecycle";
export * from "./job-request";
export * from "./money";
export * from "./output-schema";
export * from "./owner-actions";
export * from "./screen";
export * from "./slot-reopen";
export * from "./state-machine";
export * from "./time-limits";
export * from "./zod-error";
