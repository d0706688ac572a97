// Public surface of @eyeball/extraction: structured data from a tester's words.
export * from "./finalize";
export type * from "./types";
