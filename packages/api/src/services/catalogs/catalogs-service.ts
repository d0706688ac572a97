// Instahuman catalogs (categories, participant filters, interests, equipment): paged lists and the default seed.
import { DomainError } from "@eyeball/core";

import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from "../../pagination";
import { type Db } from "../types";
import {
  type CatalogSeedItem,
  DEFAULT_CATEGORIES,
  DEFAULT_EQUIPMENT,
  DEFAULT_FILTERS,
  DEFAULT_INTERESTS,
} from "./default-catalog";

export const CATALOG_KINDS = ["categories", "filters", "interests", "equipment"] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export interface CatalogItem {
  id: string;
  slug: string;
  name: string;
  description: string | null;
}

export interface CatalogsService {
  /** One page ordered by the catalog's sort order, then slug. */
  list(kind: CatalogKind, page?: PageRequest): Promise<Page<CatalogItem>>;
  /** Upserts the default catalog by slug (names and order refreshed; nothing deleted). */
  seedDefaults(): Promise<{ upserted: number }>;
}

const DEFAULTS: Record<CatalogKind, readonly CatalogSeedItem[]> = {
  categories: DEFAULT_CATEGORIES,
  filters: DEFAULT_FILTERS,
  interests: DEFAULT_INTERESTS,
  equipment: DEFAULT_EQUIPMENT,
};

interface CatalogRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  sort: number;
}

/** The four tables share one shape; this narrows Prisma's four delegates to what the service uses. */
interface CatalogTable {
  findMany(args: { where?: object; orderBy: object[]; take: number }): Promise<CatalogRow[]>;
  upsert(args: {
    where: { slug: string };
    create: Omit<CatalogRow, "id">;
    update: Omit<CatalogRow, "id" | "slug">;
  }): Promise<CatalogRow>;
}

function table(db: Db, kind: CatalogKind): CatalogTable {
  switch (kind) {
    case "categories":
      return db.category;
    case "filters":
      return db.participantFilter;
    case "interests":
      return db.interest;
    case "equipment":
      return db.equipment;
  }
}

export function isCatalogKind(value: string): value is CatalogKind {
  return (CATALOG_KINDS as readonly string[]).includes(value);
}

export function createCatalogsService({ db }: { db: Db }): CatalogsService {
  return {
    async list(kind, page = {}) {
      if (!isCatalogKind(kind)) throw new DomainError("NOT_FOUND", `No catalog named ${String(kind)}`);
      const limit = pageLimit(page.limit);
      let where: object | undefined;
      if (page.cursor) {
        const [sort, slug] = decodeCursor(page.cursor, ["number", "string"]) as [number, string];
        where = { OR: [{ sort: { gt: sort } }, { sort, slug: { gt: slug } }] };
      }
      const rows = await table(db, kind).findMany({
        ...(where ? { where } : {}),
        orderBy: [{ sort: "asc" }, { slug: "asc" }],
        take: limit + 1,
      });
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      return {
        data: data.map(({ id, slug, name, description }) => ({ id, slug, name, description })),
        next: rows.length > limit && last ? encodeCursor([last.sort, last.slug]) : null,
      };
    },

    async seedDefaults() {
      let upserted = 0;
      for (const kind of CATALOG_KINDS) {
        const items = DEFAULTS[kind];
        for (const [index, item] of items.entries()) {
          const fields = { name: item.name, description: item.description ?? null, sort: (index + 1) * 10 };
          await table(db, kind).upsert({
            where: { slug: item.slug },
            create: { slug: item.slug, ...fields },
            update: fields,
          });
          upserted += 1;
        }
      }
      return { upserted };
    },
  };
}
