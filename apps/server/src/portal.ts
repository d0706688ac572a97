// Serves the built owner portal (apps/portal/dist): hashed assets cached for a year, index.html for every other page (SPA fallback).
import { existsSync } from "node:fs";
import path from "node:path";

import compression from "compression";
import express, { type Router } from "express";

/** Where `pnpm --filter portal build` writes the portal, relative to this package. */
export const DEFAULT_PORTAL_DIR = path.resolve(import.meta.dirname, "../../portal/dist");

/** Paths that belong to the API side: never answered with the portal's page. */
const API_PREFIXES = ["/api", "/trpc", "/artifacts"];

function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** A path whose last segment has an extension names a file: a missing one is a 404, not the app. */
function looksLikeFile(pathname: string): boolean {
  return /\.[A-Za-z0-9]+$/.test(pathname.split("/").pop() ?? "");
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Eyeball · portal not built</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1f24; }
      code { background: #f0f2f5; padding: 0.1rem 0.35rem; border-radius: 4px; }
    </style>
  </head>
  <body>
    <main>
      <h1>The Eyeball portal is not built</h1>
      <p>The server is running: the REST API is at <a href="/api/health">/api</a> and tRPC at <code>/trpc</code>.</p>
      <p>To serve the owner portal here, build it and reload this page:</p>
      <p><code>pnpm --filter portal build</code></p>
      <p><code>npm start</code> builds it before starting the server.</p>
    </main>
  </body>
</html>
`;

export interface PortalOptions {
  /** The portal's build folder (EYEBALL_PORTAL_DIR); default apps/portal/dist. */
  dir?: string;
}

/**
 * The portal's routes, mounted after /api and /trpc. With a build: static files, `/assets/*` as
 * immutable (their names carry a content hash), and index.html (no-cache, so a new deploy is seen
 * at once) for any other GET that is not an API path or a file. Without one: `/` explains how to
 * build it. Whether the build exists is checked per request, so building while the server runs works.
 */
export function portalRouter(options: PortalOptions = {}): Router {
  const dir = path.resolve(options.dir ?? DEFAULT_PORTAL_DIR);
  const indexFile = path.join(dir, "index.html");
  const router = express.Router();

  const assets = express.static(path.join(dir, "assets"), {
    immutable: true,
    maxAge: "365d",
    index: false,
    fallthrough: false,
  });
  const files = express.static(dir, {
    index: false,
    setHeaders(res) {
      res.setHeader("Cache-Control", "no-cache");
    },
  });

  router.use((req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || isApiPath(req.path)) {
      next("router");
      return;
    }
    if (!existsSync(indexFile)) {
      if (req.path !== "/") {
        next("router");
        return;
      }
      res.status(200).type("html").setHeader("Cache-Control", "no-cache");
      res.send(NOT_BUILT_PAGE);
      return;
    }
    next();
  });
  // The page's scripts and styles compress to about a third (gzip or deflate, as the browser accepts); only the
  // portal's files: the API's SSE streams must not be buffered by a compressor.
  router.use(compression());
  // A missing hashed asset is a 404 (a page from an older build asking for a file that is gone).
  router.use("/assets", assets);
  router.use(files);
  router.use((req, res, next) => {
    if (looksLikeFile(req.path)) {
      next("router");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(indexFile);
  });
  return router;
}
