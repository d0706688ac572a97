// Public surface of @eyeball/cli: the command tree (for embedding and tests).
export { createProgram, type Output } from "./program";
export { loadCliEnv } from "./env";
