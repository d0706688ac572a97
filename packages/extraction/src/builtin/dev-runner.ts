// Dev-only runner: JSON lines of cases on stdin, one {id, final, status, result} line per case on stdout.
import { createInterface } from "node:readline";

import type { ExtractionInput } from "../types";
import { extractBuiltin } from "./index";

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const parsed = JSON.parse(line) as ExtractionInput & { id?: unknown };
  const { id, ...input } = parsed;
  const out = extractBuiltin(input);
  process.stdout.write(`${JSON.stringify({ id, ...out })}\n`);
}
