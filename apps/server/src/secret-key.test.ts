import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { DataDirInUseError, LOCK_FILE, lockDataDir } from "./data-dir-lock";
import { loadOrCreateSecretKey, SECRET_KEY_FILE } from "./secret-key";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "eyeball-server-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("secret key in the data folder", () => {
  it("is generated once with mode 0600 and read back on later starts", () => {
    const dir = path.join(tempDir(), "nested");
    const first = loadOrCreateSecretKey(dir);
    expect(first.length).toBe(32);
    expect(statSync(path.join(dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecretKey(dir).equals(first)).toBe(true);
  });

  it("refuses a damaged key file instead of replacing it", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, SECRET_KEY_FILE), "garbage\n");
    expect(() => loadOrCreateSecretKey(dir)).toThrow(/does not hold a 32-byte key/);
  });
});

describe("data folder lock", () => {
  it("admits one process, takes over a stale lock and releases", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), "999999999");
    const release = lockDataDir(dir);
    release();
    const again = lockDataDir(dir);
    again();
  });

  it("refuses a second lock in the same process, but takes over a stale file naming our pid", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    writeFileSync(path.join(dir, LOCK_FILE), String(process.pid));
    lockDataDir(dir)();
  });

  it("refuses a folder a live process holds", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
  });
});
