// Starts new PGlite databases from a cached empty cluster (≈ 1 s) instead of running initdb (≈ 4 s).
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(packageRoot, "node_modules", ".cache", "eyeball-db");

let template: Promise<Blob> | undefined;

/** The installed PGlite version (its package.json is not exported, so walk up from the entry). */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  for (;;) {
    const pkg = await readFile(path.join(dir, "package.json"), "utf8").then(
      (text) => JSON.parse(text) as { name?: string; version?: string },
      () => null,
    );
    if (pkg?.name === "@electric-sql/pglite" && pkg.version) return pkg.version;
    const parent = path.dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

/** The gzipped data folder of a freshly initialised, empty cluster; built once, then read from disk. */
function emptyClusterDump(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(cacheDir, `empty-cluster-pglite-${await pgliteVersion()}.tar.gz`);
    const cached = await readFile(file).catch(() => null);
    if (cached) return new Blob([cached]);
    const db = await PGlite.create({ dataDir: "memory://" });
    try {
      const dump = await db.dumpDataDir("gzip");
      // Parallel test workers may race here: write aside, then rename atomically. The cache is an
      // optimisation only, so a read-only install just skips it.
      const partial = `${file}.${process.pid}.${Date.now()}`;
      await mkdir(cacheDir, { recursive: true })
        .then(async () => writeFile(partial, new Uint8Array(await dump.arrayBuffer())))
        .then(() => rename(partial, file))
        .catch(() => undefined);
      return dump;
    } finally {
      await db.close();
    }
  })();
  template.catch(() => (template = undefined));
  return template;
}

/** A new, empty in-memory PGlite (the same cluster initdb would produce). */
export async function createMemoryPglite(): Promise<PGlite> {
  return PGlite.create({ dataDir: "memory://", loadDataDir: await emptyClusterDump() });
}

/** Opens the PGlite data folder `dir`, seeding it from the cached empty cluster when it is new. */
export async function openPgliteFolder(dir: string): Promise<PGlite> {
  await mkdir(dir, { recursive: true });
  const initialised = await stat(path.join(dir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
  if (initialised) return PGlite.create({ dataDir: dir });
  return PGlite.create({ dataDir: dir, loadDataDir: await emptyClusterDump() });
}
