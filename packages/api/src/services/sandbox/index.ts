// Public surface of the sandbox: the simulated tester for test-mode jobs and its magic words.
export * from "./magic-words";
export * from "./sandbox-browser";
export * from "./sandbox-service";
export { sandboxAwareExtractorFor } from "./sandbox-extractor";
export { incompleteSandboxResponse, sandboxResponse } from "./sandbox-response";
