// Card payments through the real Stripe SDK against the stand-in, on both engines: checkout, webhooks, cards, auto-reload.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { createRestRouter } from "../../rest/router";
import { createStripeWebhookRoutes } from "../../rest/routes/stripe-webhook-routes";
import { trpcError } from "../../routers/testing/trpc-error";
import { QUEUES } from "../jobs/queue-names";
import { createJob, inTx } from "../ledger/ledger-fixtures";
import { type CardPaymentsApp, startCardPaymentsApp } from "./testing/card-payments-app";
import { type StandInParams } from "./testing/stripe-stand-in";

const USD = 1_000_000n;

describeEachEngine("Stripe card payments", (getDb) => {
  let app: CardPaymentsApp;

  beforeAll(async () => {
    app = await startCardPaymentsApp(getDb());
  });
  afterAll(async () => {
    await app.close();
  });

  const available = async (orgId: string) => (await app.h.deps.ledger.balance(orgId, "live")).availableMicros;
  const settingsOf = (orgId: string) => app.h.db.billingSettings.findUniqueOrThrow({ where: { orgId } });
  const post = (path: string, key: string | null, body: unknown) =>
    fetch(`${app.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });

  /** An org whose owner saved a card (default pm_card_visa) through a setup-mode Checkout. */
  async function orgWithCard(
    card?: "pm_card_visa" | "pm_card_chargeDeclined" | "pm_card_authenticationRequired",
    creditMicros = 0n,
  ) {
    const org = await app.h.newOrg({ creditMicros });
    const setup = await app.caller(org.owner).billing.setupPaymentMethod();
    const delivered = await app.payments.completeSetup(setup.id, card ? { card } : {});
    expect(delivered.map((d) => d.status)).toEqual([200, 200]);
    return org;
  }

  /** A payment_intent.succeeded event of a paid credits Checkout, not yet delivered. */
  async function paidCheckout(orgId: string, owner: Parameters<CardPaymentsApp["caller"]>[0], usd: number) {
    const session = await app.caller(owner).billing.checkout({ usd });
    await app.payments.completeCheckout(session.id, { deliver: false });
    const events = app.payments.outbox.splice(0);
    const succeeded = events.find((event) => event.type === "payment_intent.succeeded") as StandInParams;
    expect(orgId).toBeTruthy();
    return { session, events, succeeded };
  }

  it("adds credits end to end: Checkout, then the webhook credits exactly what Stripe received, listed as a card receipt", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const owner = app.caller(org.owner);
    const session = await owner.billing.checkout({ usd: 25.5 });
    expect(session.url).toBe(`${app.standIn.url}/checkout/${session.id}`);
    const stored = app.payments.get(session.id) as StandInParams;
    expect(stored).toMatchObject({
      mode: "payment",
      amount_total: 2550,
      currency: "usd",
      metadata: { orgId: org.orgId, purpose: "credits" },
      success_url: `${app.h.config.publicUrl}/billing?checkout=success`,
      cancel_url: `${app.h.config.publicUrl}/billing?checkout=cancelled`,
    });
    const settings = await settingsOf(org.orgId);
    expect(stored.customer).toBe(settings.stripeCustomerId);
    // No credit before Stripe confirms the payment.
    expect(await available(org.orgId)).toBe(0n);

    const delivered = await app.payments.completeCheckout(session.id);
    expect(delivered.map((d) => [d.event.type, d.status, d.body])).toEqual([
      ["checkout.session.completed", 200, '{"received":true}'],
      ["payment_intent.succeeded", 200, '{"received":true}'],
    ]);
    expect(await available(org.orgId)).toBe(25_500_000n);
    const receipts = await owner.billing.receipts({});
    expect(receipts.data).toEqual([expect.objectContaining({ method: "card", amountUsd: 25.5 })]);
    // A second checkout reuses the organisation's Customer.
    await owner.billing.checkout({ usd: 5 });
    expect(app.payments.sessions().at(-1)?.customer).toBe(settings.stripeCustomerId);
  });

  it("validates the amount, naming the field, and keeps test keys and API keys out", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const owner = app.caller(org.owner);
    for (const usd of [4.99, 10_000.01, 5.555, "20", Number.NaN]) {
      const error = await trpcError(owner.billing.checkout({ usd }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/^usd: /);
    }
    expect((await trpcError(owner.billing.checkout({}))).message).toMatch(/^usd: /);
    expect((await trpcError(owner.billing.checkout({ usd: 10, extra: 1 }))).code).toBe("BAD_REQUEST");
    // tRPC: owner sessions only.
    expect((await trpcError(app.caller(org.live).billing.checkout({ usd: 10 }))).code).toBe("FORBIDDEN");
    expect((await trpcError(app.caller(org.live).billing.setupPaymentMethod())).code).toBe("FORBIDDEN");
    await expect(owner.billing.checkout({ usd: 10_000 })).resolves.toMatchObject({
      id: expect.any(String) as unknown,
    });
  });

  it("answers a forged, missing or stale signature with 400 and credits nothing", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const { succeeded } = await paidCheckout(org.orgId, org.owner, 10);
    const forged = await app.standIn.deliver(succeeded, { secret: "whsec_forged" });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body)).toMatchObject({
      error: "validation_error",
      message: expect.stringMatching(/^Stripe-Signature: /) as unknown,
    });
    const stale = await app.standIn.deliver(succeeded, { timestamp: app.standIn.nowSeconds() - 600 });
    expect(stale.status).toBe(400);
    const missing = await fetch(app.standIn.webhookUrl ?? "", {
      method: "POST",
      body: JSON.stringify(succeeded),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: "validation_error",
      message: "Stripe-Signature: header missing",
    });
    expect(await app.h.db.stripeEvent.count({ where: { id: succeeded.id as string } })).toBe(0);
    expect(await available(org.orgId)).toBe(0n);
  });

  it("credits once for a replayed event id, a second event of the same PaymentIntent, and two concurrent deliveries", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const first = await paidCheckout(org.orgId, org.owner, 12.34);
    expect((await app.standIn.deliver(first.succeeded)).status).toBe(200);
    expect((await app.standIn.deliver(first.succeeded)).status).toBe(200);
    // The same PaymentIntent in a new event (Stripe resends under a new id at times).
    const again = app.standIn.event(
      "payment_intent.succeeded",
      (first.succeeded.data as StandInParams).object as StandInParams,
    );
    expect((await app.standIn.deliver(again)).status).toBe(200);
    expect(await available(org.orgId)).toBe(12_340_000n);
    expect(await app.h.db.stripeEvent.count({ where: { id: first.succeeded.id as string } })).toBe(1);

    const second = await paidCheckout(org.orgId, org.owner, 7);
    const results = await Promise.all([
      app.standIn.deliver(second.succeeded),
      app.standIn.deliver(second.succeeded),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(await available(org.orgId)).toBe(19_340_000n);
    expect(await app.h.db.stripeEvent.count({ where: { id: second.succeeded.id as string } })).toBe(1);
  });

  it("acknowledges a PaymentIntent for an unknown organisation without crediting, and logs it", async () => {
    const pi = {
      id: app.standIn.id("pi"),
      object: "payment_intent",
      amount: 1000,
      amount_received: 1000,
      currency: "usd",
      status: "succeeded",
      metadata: { orgId: "org_gone", purpose: "credits" },
    };
    const res = await app.standIn.deliver(app.standIn.event("payment_intent.succeeded", pi));
    expect(res.status).toBe(200);
    expect(app.logs.some((line) => line.includes("org_gone"))).toBe(true);
    expect(await app.h.db.ledgerTransaction.count({ where: { idempotencyKey: `stripe_pi:${pi.id}` } })).toBe(
      0,
    );
  });

  it("saves a card from a setup Checkout, shows it, and detaches it (auto-reload switched off with a note)", async () => {
    const org = await orgWithCard();
    const owner = app.caller(org.owner);
    const view = await owner.billing.overview();
    expect(view.cardPayments).toBe(true);
    expect(view.paymentMethod).toEqual({
      provider: "stripe",
      id: expect.stringMatching(/^pm_/) as unknown,
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: 2030,
    });
    const settings = await settingsOf(org.orgId);
    const customer = app.payments.get(settings.stripeCustomerId ?? "") as StandInParams;
    expect(customer.invoice_settings).toEqual({ default_payment_method: view.paymentMethod?.id });

    await owner.billing.configureAutoReload({ enabled: true, thresholdUsd: 5, amountUsd: 20 });
    const detached = await owner.billing.detachPaymentMethod();
    expect(detached.paymentMethod).toBeNull();
    expect(detached.autoReload).toMatchObject({
      enabled: false,
      lastError: expect.stringMatching(/switched off/) as unknown,
    });
    expect(app.payments.get(view.paymentMethod?.id ?? "")?.customer).toBeNull();
    // Stripe's payment_method.detached arrives after: nothing left to clear.
    expect((await app.payments.flush()).map((d) => d.status)).toEqual([200]);
    expect((await trpcError(owner.billing.detachPaymentMethod())).code).toBe("NOT_FOUND");
  });

  it("keeps the saved card right when events arrive out of order (detached before setup, a failure after success)", async () => {
    const org = await orgWithCard();
    const saved = (await settingsOf(org.orgId)).stripePaymentMethodId;
    // Replacing the card: the new setup's events are held back, the new card is detached at Stripe first.
    const setup = await app.caller(org.owner).billing.setupPaymentMethod();
    await app.payments.completeSetup(setup.id, { deliver: false });
    const setupEvents = app.payments.outbox.splice(0);
    const seti = app.payments.get(app.payments.get(setup.id)?.setup_intent as string) as StandInParams;
    const detachRes = await fetch(
      `${app.standIn.url}/v1/payment_methods/${seti.payment_method as string}/detach`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${app.standIn.secretKey}` },
      },
    );
    expect(detachRes.status).toBe(200);
    // detached (not the saved card) → nothing cleared; then the late setup events must not save a detached card.
    expect((await app.payments.flush()).map((d) => d.status)).toEqual([200]);
    for (const event of setupEvents) expect((await app.standIn.deliver(event)).status).toBe(200);
    expect((await settingsOf(org.orgId)).stripePaymentMethodId).toBe(saved);

    // A real replacement: the old card is detached at Stripe and its late event leaves the new one alone.
    const replace = await app.caller(org.owner).billing.setupPaymentMethod();
    const replacing = await app.payments.completeSetup(replace.id);
    // The handler detached the old card while handling the first event; Stripe's detached event follows.
    expect(replacing.map((d) => [d.event.type, d.status])).toEqual([
      ["checkout.session.completed", 200],
      ["setup_intent.succeeded", 200],
      ["payment_method.detached", 200],
    ]);
    const replaced = await settingsOf(org.orgId);
    expect(replaced.stripePaymentMethodId).not.toBe(saved);
    expect(app.payments.get(saved ?? "")?.customer).toBeNull();
    expect((await settingsOf(org.orgId)).stripePaymentMethodId).toBe(replaced.stripePaymentMethodId);
  });

  it("requires a saved card to turn auto-reload on, naming autoReload", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const error = await trpcError(
      app.caller(org.owner).billing.configureAutoReload({ enabled: true, thresholdUsd: 5, amountUsd: 20 }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^autoReload: /);
    await expect(app.caller(org.owner).billing.configureAutoReload({ enabled: false })).resolves.toBeTruthy();
  });

  it("auto-reloads once per threshold crossing, off-session, and re-arms after the credit arrives", async () => {
    const org = await orgWithCard("pm_card_visa", 10n * USD);
    const owner = app.caller(org.owner);
    await owner.billing.configureAutoReload({ enabled: true, thresholdUsd: 5, amountUsd: 20 });
    expect(await app.feature.autoReload.check(org.orgId)).toEqual({ action: "none" });

    // A live job's hold takes available credit below $5; the jobs service asks for a check after commit.
    app.h.queue.take(QUEUES.autoReloadCheck);
    await app.h.services.jobs.create(
      org.live,
      { url: "https://example.com", description: "Check it", targetDurationMinutes: 50, testerCount: 1 },
      { source: "instahuman" },
    );
    expect(await available(org.orgId)).toBeLessThan(5n * USD);
    const sent = app.h.queue.take(QUEUES.autoReloadCheck);
    expect(sent).toEqual([
      expect.objectContaining({
        data: { orgId: org.orgId },
        options: { singletonKey: `auto-reload:${org.orgId}` },
      }),
    ]);
    const before = await available(org.orgId);

    const [a, b] = await Promise.all([
      app.feature.autoReload.check(org.orgId),
      app.feature.autoReload.check(org.orgId),
    ]);
    expect([a.action, b.action].sort()).toEqual(["charged", "none"]);
    expect(await app.feature.autoReload.check(org.orgId)).toEqual({ action: "none" });
    const charges = app.standIn.requests.filter(
      (r) => r.method === "POST" && r.path === "/v1/payment_intents",
    );
    const charge = charges.at(-1);
    expect(
      charges.filter((r) => (r.body.metadata as StandInParams | undefined)?.orgId === org.orgId),
    ).toHaveLength(1);
    expect(charge?.body).toMatchObject({
      amount: "2000",
      currency: "usd",
      off_session: "true",
      confirm: "true",
      customer: (await settingsOf(org.orgId)).stripeCustomerId,
      payment_method: (await settingsOf(org.orgId)).stripePaymentMethodId,
      metadata: { orgId: org.orgId, purpose: "credits", autoReload: "true" },
    });
    expect(charge?.idempotencyKey).toMatch(new RegExp(`^eyeball-auto-reload:${org.orgId}:\\d+$`));
    expect(await available(org.orgId)).toBe(before);

    // The webhook credits it and re-arms; a failure event seen after the success changes nothing.
    const delivered = await app.payments.flush();
    expect(delivered.map((d) => [d.event.type, d.status])).toEqual([["payment_intent.succeeded", 200]]);
    expect(await available(org.orgId)).toBe(before + 20n * USD);
    expect((await settingsOf(org.orgId)).autoReloadArmed).toBe(true);
    const pi = (delivered[0]?.event.data as StandInParams).object as StandInParams;
    const lateFailure = app.standIn.event("payment_intent.payment_failed", {
      ...pi,
      status: "requires_payment_method",
      last_payment_error: { message: "Your card was declined." },
    });
    expect((await app.standIn.deliver(lateFailure)).status).toBe(200);
    expect((await app.standIn.deliver(app.standIn.event("payment_intent.processing", pi))).status).toBe(200);
    expect(await available(org.orgId)).toBe(before + 20n * USD);
    expect((await owner.billing.overview()).autoReload).toMatchObject({
      lastError: null,
      lastAttemptAt: app.h.clock.now(),
    });

    // The next crossing charges again, under a new idempotency key.
    const job = await createJob(app.h.db, org.orgId, "live");
    await inTx(app.h.db, (tx) =>
      app.h.deps.ledger.placeHold(tx, {
        orgId: org.orgId,
        jobId: job.jobId,
        mode: "live",
        micros: before + 16n * USD,
      }),
    );
    app.h.clock.advance(1000);
    expect((await app.feature.autoReload.check(org.orgId)).action).toBe("charged");
    const keys = app.standIn.requests
      .filter((r) => r.path === "/v1/payment_intents" && r.method === "POST")
      .map((r) => r.idempotencyKey);
    expect(new Set(keys.slice(-2)).size).toBe(2);
    await app.payments.flush();
  });

  it("records a declined or authentication-required off-session charge for the owner and credits nothing", async () => {
    for (const card of ["pm_card_chargeDeclined", "pm_card_authenticationRequired"] as const) {
      const org = await orgWithCard(card, 1n * USD);
      const owner = app.caller(org.owner);
      await owner.billing.configureAutoReload({ enabled: true, thresholdUsd: 5, amountUsd: 20 });
      const result = await app.feature.autoReload.check(org.orgId);
      expect(result.action).toBe("failed");
      const view = await owner.billing.overview();
      expect(view.autoReload.lastError).toMatch(
        card === "pm_card_chargeDeclined" ? /declined/ : /authentication/,
      );
      expect(view.autoReload.lastAttemptAt).toEqual(app.h.clock.now());
      // Stripe's payment_failed webhook follows; still no credit, and no second attempt for this crossing.
      expect((await app.payments.flush()).map((d) => [d.event.type, d.status])).toEqual([
        ["payment_intent.payment_failed", 200],
      ]);
      expect(await app.feature.autoReload.check(org.orgId)).toEqual({ action: "none" });
      expect(await available(org.orgId)).toBe(1n * USD);
    }
  });

  it("runs the sweep as a safety net and answers the webhook path with 404 when Stripe is off", async () => {
    const org = await orgWithCard("pm_card_visa", 1n * USD);
    await app
      .caller(org.owner)
      .billing.configureAutoReload({ enabled: true, thresholdUsd: 5, amountUsd: 10 });
    const swept = await app.feature.autoReload.sweep();
    expect(swept.charged).toBeGreaterThanOrEqual(1);
    await app.payments.flush();
    expect(await available(org.orgId)).toBe(11n * USD);

    const express = (await import("express")).default;
    const off = express();
    off.use(
      "/api",
      createRestRouter(app.h.contextServices as never, {
        rateLimit: false,
        routes: [createStripeWebhookRoutes({ receiver: null })],
      }),
    );
    const server = off.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/stripe/webhook`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: "not_found",
      message: "Stripe is not configured on this server",
    });
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  it("serves the Instahuman add-credits, setup and detach endpoints with a live key (test keys refused)", async () => {
    const org = await app.h.newOrg({ creditMicros: 0n });
    const live = await app.h.contextServices.apiKeys.create(org.orgId, { name: "live", mode: "live" });
    const test = await app.h.contextServices.apiKeys.create(org.orgId, { name: "test", mode: "test" });
    expect((await post("/owner/billing/add-credits", null, { usd: 10 })).status).toBe(401);
    const bad = await post("/owner/billing/add-credits", live.key, { usd: 2 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: "validation_error",
      message: expect.stringMatching(/^usd: /) as unknown,
    });
    expect((await post("/owner/billing/add-credits", test.key, { usd: 10 })).status).toBe(403);
    const added = await post("/owner/billing/add-credits", live.key, { usd: 10 });
    expect(added.status).toBe(200);
    const session = (await added.json()) as { id: string; url: string };
    expect(session.url).toContain(session.id);
    await app.payments.completeCheckout(session.id);
    expect(await available(org.orgId)).toBe(10n * USD);

    const setup = await post("/owner/billing/setup", live.key, {});
    expect(setup.status).toBe(200);
    await app.payments.completeSetup(((await setup.json()) as { id: string }).id);
    const detach = await post("/owner/billing/detach-method", live.key, {});
    expect(detach.status).toBe(200);
    expect(await detach.json()).toMatchObject({ cardPayments: true, paymentMethod: null });
    await app.payments.flush();
  });
});
