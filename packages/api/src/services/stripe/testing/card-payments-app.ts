// Test kit for card payments: the jobs harness with Stripe configured against the stand-in, and the real REST app on 127.0.0.1:0.
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";

import { type Database } from "@eyeball/db";

import { type Actor } from "../../../actor";
import { type ContextServices, createContextInner } from "../../../context";
import { createRestRouter } from "../../../rest/router";
import { createInstahumanBillingRoutes } from "../../../rest/routes/instahuman-billing-routes";
import { createStripeWebhookRoutes } from "../../../rest/routes/stripe-webhook-routes";
import { createCaller } from "../../../root";
import { type BillingService, createBillingService } from "../../billing";
import { createHarness, type Harness } from "../../jobs/testing/harness";
import { createStripeClient } from "../client";
import { createStripeCardPaymentsFeature, type StripeCardPaymentsFeature } from "../feature";
import { createStripeWebhookReceiver } from "../webhook-receiver";
import { type PaymentsStandIn, registerPaymentRoutes } from "./stand-in-payments";
import { startStripeStandIn, type StripeStandIn } from "./stripe-stand-in";

export interface CardPaymentsApp {
  h: Harness;
  standIn: StripeStandIn;
  payments: PaymentsStandIn;
  feature: StripeCardPaymentsFeature;
  billing: BillingService;
  /** Messages the receiver logged (unknown organisations, ignored currencies). */
  logs: string[];
  /** http://127.0.0.1:<port>/api */
  base: string;
  caller(actor: Actor): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export async function startCardPaymentsApp(database: Database): Promise<CardPaymentsApp> {
  let now = (): number => Date.UTC(2030, 0, 1, 12);
  const standIn = await startStripeStandIn({ now: () => now() });
  const payments = registerPaymentRoutes(standIn);
  const stripeConfig = {
    secretKey: standIn.secretKey,
    webhookSecret: standIn.webhookSecret,
    apiBaseUrl: standIn.url,
    maxNetworkRetries: 0,
  };
  const h = await createHarness(database, { config: { stripe: stripeConfig } });
  now = () => h.clock.now().getTime();
  const stripe = createStripeClient(stripeConfig);
  const logs: string[] = [];
  const feature = createStripeCardPaymentsFeature({
    db: h.db,
    clock: h.clock,
    ledger: h.deps.ledger,
    stripe,
    portalUrl: h.config.publicUrl,
    log: (message) => logs.push(message),
  });
  const billing = createBillingService({
    db: h.db,
    ledger: h.deps.ledger,
    clock: h.clock,
    cardPayments: feature.cardPayments,
  });
  const receiver = createStripeWebhookReceiver({
    db: h.db,
    clock: h.clock,
    stripe,
    webhookSecret: stripeConfig.webhookSecret,
    handlers: feature.handlers,
  });
  const app = express();
  app.use(
    "/api",
    createRestRouter(h.contextServices, {
      rateLimit: false,
      logger: {
        error: (message, error) => {
          console.error(message, error);
        },
      },
      routes: [createStripeWebhookRoutes({ receiver }), createInstahumanBillingRoutes({ billing })],
    }),
  );
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  standIn.webhookUrl = `${base}/stripe/webhook`;
  const services: ContextServices = { ...h.contextServices, billing };
  return {
    h,
    standIn,
    payments,
    feature,
    billing,
    logs,
    base,
    caller: (actor) => createCaller(createContextInner({ services, actor })),
    async close() {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await standIn.close();
      await h.close();
    },
  };
}
