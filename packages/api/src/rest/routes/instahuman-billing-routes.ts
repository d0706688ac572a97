// Instahuman REST dialect, billing: balance and holds, auto-reload settings, card payments (501 without Stripe).
import { type Router } from "express";

import { type BillingService } from "../../services/billing";
import { actorOf } from "../auth";
import { sendError } from "../errors";
import { route, type RouteHandler } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";

export const PAYMENTS_NOT_CONFIGURED = {
  error: "payments_not_configured",
  message:
    "Card payments are not configured on this server; an operator grants credits with `eyeball credits grant`",
} as const;

export interface InstahumanBillingRoutesDeps {
  billing: BillingService;
}

/** Register `createInstahumanBillingRoutes({ billing })` in createRestRouter's `routes`. */
export function createInstahumanBillingRoutes({ billing }: InstahumanBillingRoutesDeps): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    router.get(
      "/owner/billing",
      ...toolkit.authenticated,
      route(async (_req, res) => billing.overview(actorOf(res))),
    );
    router.post(
      "/owner/billing/auto-reload",
      ...toolkit.authenticated,
      route(async (req, res) => billing.configureAutoReload(actorOf(res), req.body ?? {})),
    );
    // Without Stripe, 501 answered here, not by a DomainError: the domain table (400/401/402/403/404/408/409/429/500)
    // has no "not implemented on this server" code, and this is a property of the deployment, not of
    // the request. Authentication still runs first, so a bad key learns 401 as everywhere else.
    const payment = (handler: RouteHandler) =>
      route((req, res) => {
        actorOf(res);
        if (!billing.cardPaymentsEnabled) {
          sendError(res, 501, PAYMENTS_NOT_CONFIGURED.error, PAYMENTS_NOT_CONFIGURED.message);
          return undefined;
        }
        return handler(req, res);
      });
    router.post(
      "/owner/billing/add-credits",
      ...toolkit.authenticated,
      payment(async (req, res) => billing.checkout(actorOf(res), req.body ?? {})),
    );
    router.post(
      "/owner/billing/setup",
      ...toolkit.authenticated,
      payment(async (_req, res) => billing.setupPaymentMethod(actorOf(res))),
    );
    router.post(
      "/owner/billing/detach-method",
      ...toolkit.authenticated,
      payment(async (_req, res) => billing.detachPaymentMethod(actorOf(res))),
    );
  };
}
