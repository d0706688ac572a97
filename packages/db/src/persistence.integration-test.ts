// The embedded database keeps its data across restarts of the same data folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDatabase } from "./client";

const dir = await mkdtemp(path.join(tmpdir(), "eyeball-db-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

it("reopens a PGlite data folder with its data and without re-applying migrations", async () => {
  const dataDir = path.join(dir, "db");
  const first = await createDatabase({ url: "", dataDir });
  try {
    expect(first.engine).toBe("pglite");
    expect(first.appliedMigrations.length).toBeGreaterThan(0);
    await first.prisma.organization.create({
      data: { slug: "kept", name: "Kept", rateOverrideMicrosPerSecond: 1_500n },
    });
  } finally {
    await first.close();
  }

  const second = await createDatabase({ url: "", dataDir });
  try {
    expect(second.appliedMigrations).toEqual([]);
    const org = await second.prisma.organization.findUniqueOrThrow({ where: { slug: "kept" } });
    expect(org.rateOverrideMicrosPerSecond).toBe(1_500n);
  } finally {
    await second.close();
  }
}, 120_000);
