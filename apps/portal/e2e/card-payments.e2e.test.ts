// Card payments in Chromium: a server with Stripe pointed at a loopback stand-in of its API and hosted Checkout page.
// Add credits → Stripe's page → pay → the signed webhook credits exactly that → a card receipt; save a card for
// auto-reload, see it, remove it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { registerPaymentRoutes, startStripeStandIn, type StripeStandIn } from "@eyeball/api/testing";

import { expectAccessible, shoot, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

let stripe: StripeStandIn;

// The stand-in first: the server is started with its URL and keys.
beforeAll(async () => {
  stripe = await startStripeStandIn();
  registerPaymentRoutes(stripe);
});
const e2e = usePortalE2e(() => ({
  env: {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
  },
}));
beforeAll(() => {
  stripe.webhookUrl = `${e2e.server.url}/api/stripe/webhook`;
});

const owner = {
  name: "Cora Card",
  email: "cora@cards.test",
  password: "correct horse battery",
  org: "Card Co",
};

afterAll(async () => {
  await stripe?.close();
});

describe("card payments", () => {
  it("adds credits through Stripe Checkout: the webhook credits exactly the amount paid", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");
    await page.goto("/billing");
    await page.getByRole("heading", { name: "Add credits" }).waitFor();
    await expect.poll(() => page.getByTestId("billing-balance").textContent()).toBe("$0.00");
    await expectAccessible(page, "billing (card payments)");
    await shoot(page, "card-01-billing");

    const amount = page.getByLabel("Amount (USD)", { exact: true });
    await amount.fill("4");
    await page.getByRole("button", { name: "Continue to payment" }).click();
    // The server's 400 names `usd`; the form shows it on the amount field, and nothing leaves for Stripe.
    await expect.poll(() => page.locator("#add-credits-usd-error").textContent()).toMatch(/^Amount .*5/);
    await expect(amount.getAttribute("aria-invalid")).resolves.toBe("true");

    await amount.fill("42.42");
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await page.waitForURL(`${stripe.url}/checkout/**`);
    await page.getByRole("heading", { name: "Pay $42.42" }).waitFor();
    await page.getByRole("button", { name: "Pay" }).click();

    await page.waitForURL("**/billing?checkout=success");
    await page.getByText("Payment received by Stripe").waitFor();
    await expect.poll(() => page.getByTestId("billing-balance").textContent()).toBe("$42.42");
    await expect(page.getByTestId("billing-available").textContent()).resolves.toBe("$42.42");

    const receipts = page.getByRole("list", { name: "Receipts" });
    const item = receipts.getByRole("listitem");
    await expect.poll(() => item.count()).toBe(1);
    const number = (await item.locator("strong").textContent()) ?? "";
    await item.getByRole("button", { name: `View receipt ${number}` }).click();
    const dialog = page.getByRole("dialog", { name: `Receipt ${number}` });
    await expect(dialog.getByTestId("receipt-amount").textContent()).resolves.toBe("$42.42");
    await dialog.getByText("Card", { exact: true }).waitFor();
    await shoot(page, "card-02-receipt");
    await page.keyboard.press("Escape");

    // Exactly one credit_purchase on the books, for the PaymentIntent the session created.
    const prisma = e2e.server.platform.database.prisma;
    const purchases = await prisma.ledgerTransaction.findMany({ where: { kind: "credit_purchase" } });
    expect(purchases).toHaveLength(1);
    expect(purchases[0]!.idempotencyKey).toMatch(/^stripe_pi:pi_/);
  });

  it("saves a card in setup mode, shows it, and removes it", async () => {
    const { page } = e2e.portal;
    await page.goto("/billing");
    await page.getByRole("button", { name: "Add a card" }).click();
    await page.waitForURL(`${stripe.url}/checkout/**`);
    await page.getByRole("heading", { name: "Save a card" }).waitFor();
    await page.getByLabel("Card").selectOption("pm_card_mastercard");
    await page.getByRole("button", { name: "Save card" }).click();

    await page.waitForURL("**/billing?setup=success");
    await expect
      .poll(() => page.getByTestId("payment-method").textContent())
      .toBe("Mastercard •••• 4444, expires 12/2030");
    await expectAccessible(page, "billing (card saved)");
    await shoot(page, "card-03-saved");

    await page.getByRole("button", { name: "Remove", exact: true }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove card" }).click();
    await page.getByRole("button", { name: "Add a card" }).waitFor();
    const settings = await e2e.server.platform.database.prisma.billingSettings.findFirstOrThrow({
      where: { org: { name: owner.org } },
    });
    expect(settings.stripePaymentMethodId).toBeNull();
    expect(stripe.requests.some((r) => /^\/v1\/payment_methods\/pm_[^/]+\/detach$/.test(r.path))).toBe(true);
  });
});
