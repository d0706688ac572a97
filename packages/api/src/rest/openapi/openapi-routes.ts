// GET /api/openapi.json and GET /api/docs: the OpenAPI document and its HTML reference, both public.
import { type Router } from "express";

import { type RestRouteModule, type RestToolkit } from "../toolkit";
import { buildOpenApiDocument, type OpenApiOptions } from "./document";
import { renderDocsPage } from "./docs-page";

/** No scripts, no remote resources: the page only needs its inline style. */
const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The server URL the document names: the deployment's public URL plus `/api`. */
export function apiServerUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/api`;
}

/** The documentation routes; register `createOpenApiRoutes()` in createRestRouter's `routes`. */
export function createOpenApiRoutes(options: OpenApiOptions = {}): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    const document = buildOpenApiDocument({
      ...options,
      serverUrl: options.serverUrl ?? apiServerUrl(toolkit.services.config.publicUrl),
    });
    const body = JSON.stringify(document);
    const page = renderDocsPage(document, { specUrl: "openapi.json" });

    router.get("/openapi.json", (_req, res) => {
      res.type("application/json").set("Cache-Control", "public, max-age=300").send(body);
    });
    router.get("/docs", (_req, res) => {
      res
        .type("html")
        .set({ "Content-Security-Policy": DOCS_CSP, "Cache-Control": "public, max-age=300" })
        .send(page);
    });
  };
}
