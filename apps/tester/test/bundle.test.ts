// What the installers ship: `electron-vite build` output whose main process needs only Electron, Node and the
// app's own dependencies, a preload that needs only Electron, and a renderer with everything bundled in.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

const appDir = path.resolve(import.meta.dirname, "..");
const out = path.join(appDir, "out");
const dependencies = Object.keys(
  (
    JSON.parse(readFileSync(path.join(appDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies,
);

/** Every module specifier a bundle loads at run time (static and dynamic imports, requires). */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(
    /\b(?:from|import)\s*\(?\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    const name = match[1] ?? match[2];
    if (name) found.add(name);
  }
  return [...found].sort();
}

function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

beforeAll(() => {
  const result = spawnSync(path.join(appDir, "node_modules", ".bin", "electron-vite"), ["build"], {
    cwd: appDir,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}, 120_000);

describe("the built app", () => {
  it("main loads only node:, electron and the app's dependencies (workspace packages are bundled)", () => {
    const loaded = specifiers(readFileSync(path.join(out, "main", "index.js"), "utf8"));
    expect(loaded).toContain("electron");
    const outside = loaded.filter(
      (name) => !name.startsWith("node:") && name !== "electron" && !dependencies.includes(packageOf(name)),
    );
    expect(outside).toEqual([]);
    expect(loaded.some((name) => name.startsWith("@eyeball/"))).toBe(false);
  });

  it("the preload is one CommonJS file that loads only electron", () => {
    const code = readFileSync(path.join(out, "preload", "index.cjs"), "utf8");
    expect(specifiers(code)).toEqual(["electron"]);
    expect(code).toContain("exposeInMainWorld");
  });

  it("the renderer is self-contained and does not carry the server", () => {
    const assets = readdirSync(path.join(out, "renderer", "assets"));
    const scripts = assets.filter((name) => name.endsWith(".js"));
    expect(scripts).toHaveLength(1);
    const code = readFileSync(path.join(out, "renderer", "assets", scripts[0]!), "utf8");
    expect(specifiers(code).filter((name) => !name.startsWith("."))).toEqual([]);
    // Server-only code that a value import of @eyeball/api would drag in.
    expect(code).not.toMatch(/pg-boss|argon2|PrismaClient|express-rate-limit/);
    expect(readFileSync(path.join(out, "renderer", "index.html"), "utf8")).toContain(
      "Content-Security-Policy",
    );
  });
});
