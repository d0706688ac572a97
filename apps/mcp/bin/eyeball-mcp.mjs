#!/usr/bin/env node
// `eyeball-mcp` binary inside the workspace: runs the TypeScript entry point through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
