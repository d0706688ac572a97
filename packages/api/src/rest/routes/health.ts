// GET /api/health: the database answers (no key needed).
import { type Router } from "express";

import { isDomainError } from "@eyeball/core";

import { checkHealth } from "../../health-check";
import { sendError } from "../errors";
import { type RestToolkit } from "../toolkit";

export function healthRoutes(router: Router, { services }: RestToolkit): void {
  router.get("/health", async (_req, res, next) => {
    try {
      const health = await checkHealth(services.db);
      res.json({ status: health.status });
    } catch (error) {
      if (!isDomainError(error)) {
        next(error);
        return;
      }
      sendError(res, 503, "unavailable", error.message);
    }
  });
}
