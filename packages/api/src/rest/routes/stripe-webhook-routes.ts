// POST /api/stripe/webhook: Stripe's signed events, verified over the exact raw bytes, no API key.
import express, { type Router } from "express";

import { type StripeWebhookReceiver } from "../../services/stripe";
import { sendError } from "../errors";
import { route } from "../route";
import { type RestRouteModule } from "../toolkit";

export const STRIPE_WEBHOOK_PATH = "/stripe/webhook";

export interface StripeWebhookRoutesDeps {
  /** Null when Stripe is not configured: the path answers 404 like any unknown endpoint. */
  receiver: StripeWebhookReceiver | null;
  /** Largest event accepted (Stripe events are well below 1 MB). */
  bodyLimit?: string | number;
}

export function createStripeWebhookRoutes({
  receiver,
  bodyLimit = "1mb",
}: StripeWebhookRoutesDeps): RestRouteModule {
  return (router: Router) => {
    router.post(
      STRIPE_WEBHOOK_PATH,
      // Any content type, kept as bytes: the signature covers exactly what Stripe sent.
      express.raw({ type: () => true, limit: bodyLimit }),
      route(async (req, res) => {
        if (receiver === null) {
          sendError(res, 404, "not_found", "Stripe is not configured on this server");
          return undefined;
        }
        const body: unknown = req.body;
        const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        await receiver.receive(raw, req.get("stripe-signature"));
        return { received: true };
      }),
    );
  };
}
