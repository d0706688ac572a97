// createApp: the express host — tRPC (HTTP + SSE) at /trpc, the REST adapter at /api, and the owner portal.
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express, { type Express } from "express";

import {
  type ContextServices,
  appRouter,
  createArtifactDownloadRouter,
  createContextFromRequest,
  MAX_CHUNK_BYTES,
  createRestRouter,
  type RestRouterOptions,
} from "@eyeball/api";

import { connectPagesRouter } from "./connect-pages";
import { corsMiddleware } from "./cors";
import { type CorsOrigins } from "./env";
import { portalRouter, type PortalOptions } from "./portal";

export interface AppOptions {
  rest?: RestRouterOptions;
  /** express "trust proxy" (behind a load balancer: 1, or the proxy's address). */
  trustProxy?: boolean | number | string;
  /** Origins allowed to call /trpc from a browser (EYEBALL_CORS_ORIGINS); default "*". */
  corsOrigins?: CorsOrigins;
  /** The owner portal's build (default apps/portal/dist; EYEBALL_PORTAL_DIR). */
  portal?: PortalOptions;
}

export function createApp(services: ContextServices, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);

  // Only tRPC is for browsers on other origins (tester app, portal dev server); REST is for integrators' servers.
  app.use("/trpc", corsMiddleware(options.corsOrigins ?? "*"));
  app.use(
    "/trpc",
    createExpressMiddleware({
      router: appRouter,
      // Artifact chunks travel base64-encoded in JSON: room for one chunk (4/3 of its bytes) and the envelope.
      maxBodySize: Math.ceil((MAX_CHUNK_BYTES * 4) / 3) + 64 * 1024,
      // `res` lets auth.* procedures set and clear the portal's session cookie.
      createContext: ({ req, res, info }) =>
        createContextFromRequest(services, req, info.connectionParams, res),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR")
          console.error(`tRPC ${path ?? "?"} failed`, error.cause ?? error);
      },
    }),
  );
  app.use("/api", createRestRouter(services, options.rest));
  if (services.artifacts) app.use("/artifacts", createArtifactDownloadRouter(services.artifacts));
  app.use(connectPagesRouter());
  // Last: the portal's pages (SPA fallback) for every other GET, or at "/" a note on how to build it.
  app.use(portalRouter(options.portal));
  return app;
}
