#!/usr/bin/env node
// `pnpm --filter tester start`: builds the app and runs it in Electron, or explains what is missing instead of crashing.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const appDir = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");

/** Where the Electron runtime is, without triggering its download (requiring "electron" would try). */
export function findElectron(env = process.env) {
  const require = createRequire(path.join(appDir, "package.json"));
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve("electron/package.json"));
  } catch {
    return {
      ok: false,
      reason: "the electron package is not installed (run the install first: npx pnpm@10.34.9 install)",
    };
  }
  const pathFile = path.join(packageDir, "path.txt");
  const relative = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? "electron");
    return existsSync(binary)
      ? { ok: true, binary }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist` };
  }
  if (relative) {
    const binary = path.join(packageDir, "dist", relative);
    if (existsSync(binary)) return { ok: true, binary };
  }
  return {
    ok: false,
    reason:
      "the Electron runtime has not been downloaded. Electron fetches its binary from github.com on first use, " +
      "and this machine could not (or has not yet).",
  };
}

/**
 * Runs Electron's own installer once (pnpm does not run dependency build scripts, so a fresh install
 * never downloads the runtime). Quiet on failure: the caller explains what to do instead.
 */
function tryDownload() {
  const require = createRequire(path.join(appDir, "package.json"));
  let installer;
  try {
    installer = path.join(path.dirname(require.resolve("electron/package.json")), "install.js");
  } catch {
    return { ok: false, detail: "" };
  }
  console.error("Eyeball Tester: downloading the Electron runtime (once)…");
  const result = spawnSync(process.execPath, [installer], { encoding: "utf8", timeout: 10 * 60_000 });
  const firstLine = `${result.stderr ?? ""}`.split("\n").find((line) => line.trim() !== "") ?? "";
  return { ok: result.status === 0, detail: result.error ? result.error.message : firstLine.trim() };
}

function main() {
  let electron = findElectron();
  if (!electron.ok && !process.argv.includes("--no-download") && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const download = tryDownload();
    electron = findElectron();
    if (!electron.ok && download.detail) electron.reason += ` The download failed: ${download.detail}`;
  }
  if (!electron.ok) {
    console.error(
      [
        "Eyeball Tester cannot start: " + electron.reason,
        "",
        "To get the runtime:",
        "  • with internet access: pnpm --filter tester exec install-electron",
        "  • or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45 build (the folder holding the electron binary)",
        "",
        "Everything else works without it:",
        "  • pnpm --filter tester build   bundles main, preload and renderer (out/)",
        "  • pnpm --filter tester test    runs the app's screens in Chromium against a real server",
      ].join("\n"),
    );
    process.exit(1);
  }
  const bin = path.join(appDir, "node_modules", ".bin", "electron-vite");
  const result = spawnSync(bin, [dev ? "dev" : "preview"], { cwd: appDir, stdio: "inherit" });
  process.exit(result.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
