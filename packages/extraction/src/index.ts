// Public surface of @eyeball/extraction: structured data from a tester's words.
export * from "./builtin";
export * from "./config";
export * from "./finalize";
export * from "./llm";
export * from "./select";
export type * from "./types";
