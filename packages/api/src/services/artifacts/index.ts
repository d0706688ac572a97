export * from "./artifact-links";
export * from "./artifact-store";
export * from "./artifacts-service";
export * from "./image-size";
export * from "./timeline";
