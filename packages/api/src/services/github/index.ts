export * from "./client";
export * from "./issues";
export * from "./repo-context";
