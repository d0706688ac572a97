// Instahuman catalogs: GET /api/categories, /api/filters, /api/interests, /api/equipment → `{data, next}`.
import { type Router } from "express";

import { pageRequestSchema } from "../../pagination";
import { CATALOG_KINDS } from "../../services/catalogs";
import { parseQuery, route } from "../route";
import { type RestToolkit } from "../toolkit";

export function catalogRoutes(router: Router, toolkit: RestToolkit): void {
  for (const kind of CATALOG_KINDS) {
    router.get(
      `/${kind}`,
      ...toolkit.authenticated,
      route((req) => toolkit.services.catalogs.list(kind, parseQuery(pageRequestSchema, req))),
    );
  }
}
