// createRestRouter: the `/api` router — toolkit, built-in routes, extra route modules, JSON 404 and errors.
import { Router } from "express";

import { type AppServices } from "../app-services";
import { consoleLogger, notFoundHandler, restErrorHandler, type RestLogger } from "./errors";
import { catalogRoutes } from "./routes/catalogs";
import { healthRoutes } from "./routes/health";
import { createRestToolkit, type RestRouteModule, type RestToolkitOptions } from "./toolkit";

export interface RestRouterOptions extends RestToolkitOptions {
  /** Route modules of the dialects (run(human), TesterArmy, Instahuman); registered after the built-in ones. */
  routes?: readonly RestRouteModule[];
  logger?: RestLogger;
}

export function createRestRouter(services: AppServices, options: RestRouterOptions = {}): Router {
  const router = Router();
  const toolkit = createRestToolkit(services, options);
  for (const register of [healthRoutes, catalogRoutes, ...(options.routes ?? [])]) {
    register(router, toolkit);
  }
  router.use(notFoundHandler);
  router.use(restErrorHandler(options.logger ?? consoleLogger));
  return router;
}
