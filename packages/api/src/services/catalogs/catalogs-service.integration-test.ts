import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Db } from "../types";
import { CATALOG_KINDS, type CatalogItem, createCatalogsService } from "./catalogs-service";
import { DEFAULT_CATEGORIES, DEFAULT_EQUIPMENT } from "./default-catalog";

describeEachEngine("catalogs service", (getDb) => {
  let db: Db;
  let catalogs: ReturnType<typeof createCatalogsService>;

  beforeAll(async () => {
    db = getDb().prisma;
    catalogs = createCatalogsService({ db });
    await catalogs.seedDefaults();
  });

  it("seeds idempotently by slug", async () => {
    const before = await db.category.count();
    await catalogs.seedDefaults();
    expect(await db.category.count()).toBe(before);
    expect(before).toBe(DEFAULT_CATEGORIES.length);
    for (const kind of CATALOG_KINDS) {
      expect((await catalogs.list(kind)).data.length).toBeGreaterThan(0);
    }
  });

  it("pages through a catalog in its sort order without gaps or repeats", async () => {
    const seen: CatalogItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await catalogs.list("equipment", { cursor, limit: 4 });
      seen.push(...page.data);
      cursor = page.next;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(DEFAULT_EQUIPMENT.length / 4));
    expect(seen.map((item) => item.slug)).toEqual(DEFAULT_EQUIPMENT.map((item) => item.slug));
  });

  it("refuses a forged cursor with a 400 naming the field", async () => {
    await expect(catalogs.list("categories", { cursor: "garbage" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^cursor:/) as unknown,
    });
  });
});
