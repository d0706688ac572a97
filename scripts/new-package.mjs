#!/usr/bin/env node
// Creates packages/<name> (or apps/<name> with --app) from tooling/template so every package starts uniform.
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error("usage: node scripts/new-package.mjs <kebab-name> [--app]");
  process.exit(2);
}
const target = join(args.includes("--app") ? "apps" : "packages", name);
if (existsSync(target)) {
  console.error(`${target} already exists`);
  process.exit(2);
}
cpSync("tooling/template", target, { recursive: true });
if (existsSync(join(target, "package.json.tmpl"))) {
  cpSync(join(target, "package.json.tmpl"), join(target, "package.json"));
  rmSync(join(target, "package.json.tmpl"));
}
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else writeFileSync(path, readFileSync(path, "utf8").replaceAll("__NAME__", name));
  }
};
walk(target);
console.log(`created ${target}; run pnpm install`);
