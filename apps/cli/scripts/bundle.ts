// Bundles the integrator CLI (src/integrator-main.ts) into action/eyeball.mjs: one file that needs only
// Node.js ≥ 20, so the GitHub Action runs without installing the workspace. `--check` fails when the
// committed file differs from a fresh build.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { buildIntegratorBundle, BUNDLE_FILE } from "../src/bundle";

const check = process.argv.includes("--check");
const fresh = await buildIntegratorBundle();
const file = path.resolve(import.meta.dirname, "..", BUNDLE_FILE);
if (check) {
  if (readFileSync(file, "utf8") !== fresh) {
    process.stderr.write(`${BUNDLE_FILE} is out of date: run pnpm --filter @eyeball/cli bundle\n`);
    process.exit(1);
  }
} else {
  writeFileSync(file, fresh);
  process.stdout.write(`wrote ${file} (${Math.round(Buffer.byteLength(fresh) / 1024)} kB)\n`);
}
