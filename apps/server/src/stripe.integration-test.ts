// Stripe card payments through the composed server over HTTP: env → config.stripe → Checkout → signed webhook → credit.
import { mkdtempSync, rmSync } from "node:fs";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { createLedger, DEMO_OWNER_EMAIL } from "@eyeball/api";
import { registerPaymentRoutes, startStripeStandIn, type StripeStandIn } from "@eyeball/api/testing";

import { createApp } from "./app";
import { composePlatform, type Platform } from "./compose";
import { loadEnv } from "./env";
import { seedOnStart } from "./seed";

const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-stripe-"));
let platform: Platform | undefined;
let server: Server | undefined;
let standIn: StripeStandIn | undefined;

afterAll(async () => {
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  await platform?.close();
  await standIn?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Stripe card payments (embedded database, over HTTP)", () => {
  it(
    "buys credits with Checkout and credits them from the signed webhook at /api/stripe/webhook",
    { timeout: 120_000 },
    async () => {
      standIn = await startStripeStandIn();
      const payments = registerPaymentRoutes(standIn);
      const env = loadEnv({
        EYEBALL_DATA_DIR: dataDir,
        EYEBALL_SANDBOX: "false",
        STRIPE_SECRET_KEY: standIn.secretKey,
        STRIPE_WEBHOOK_SECRET: standIn.webhookSecret,
        STRIPE_API_BASE: standIn.url,
      });
      expect(env.stripe).toEqual({
        secretKey: standIn.secretKey,
        webhookSecret: standIn.webhookSecret,
        apiBaseUrl: standIn.url,
      });
      platform = await composePlatform(env);
      expect(platform.config.stripe).toEqual(env.stripe);
      await seedOnStart(platform);
      server = createApp(platform.services, { rest: platform.rest }).listen(0, "127.0.0.1");
      await new Promise<void>((resolve) => server?.once("listening", resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      standIn.webhookUrl = `${base}/api/stripe/webhook`;

      const { services } = platform;
      const user = await services.db.user.findUniqueOrThrow({
        where: { email: DEMO_OWNER_EMAIL },
        include: { memberships: true },
      });
      const orgId = user.memberships[0]?.orgId ?? "";
      const owner = { kind: "user" as const, userId: user.id, orgId, isAdmin: false };
      const ledger = createLedger(services.db);
      const before = (await ledger.balance(orgId, "live")).availableMicros;

      const session = await services.billing.checkout(owner, { usd: 42.42 });
      expect(session.url).toContain(session.id);
      const delivered = await payments.completeCheckout(session.id);
      expect(delivered.map((d) => [d.event.type, d.status, d.body])).toEqual([
        ["checkout.session.completed", 200, '{"received":true}'],
        ["payment_intent.succeeded", 200, '{"received":true}'],
      ]);
      expect((await ledger.balance(orgId, "live")).availableMicros).toBe(before + 42_420_000n);
      expect((await services.billing.overview(owner)).cardPayments).toBe(true);

      // A forged signature is refused in the standard error shape and books nothing.
      const forged = await standIn.deliver(delivered[1]?.event ?? {}, { secret: "whsec_forged" });
      expect(forged.status).toBe(400);
      expect(JSON.parse(forged.body)).toMatchObject({ error: "validation_error" });
    },
  );
});
