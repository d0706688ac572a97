// Billing in Chromium against a real server: empty states, an operator grant and its exact balance, a live job's hold, the ledger and its CSV export, auto-reload's field errors and saved settings, and a receipt.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { createLedger, grantOrgCredits, parseGrantUsd, STATEMENT_CSV_HEADER } from "@eyeball/api";
import { formatUsd } from "@eyeball/core";

import { expectAccessible, shoot, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

const e2e = usePortalE2e();

const owner = {
  name: "Bea Billing",
  email: "bea@billing.test",
  password: "correct horse battery",
  org: "Billing Co",
};

const GRANT_MICROS = 25_123_456;

describe("billing", () => {
  let orgSlug = "";
  let jobId = "";
  let holdMicros = 0;

  it("shows a new organisation's zero balance and empty states", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
    await page.waitForURL("**/billing");
    await page.getByRole("heading", { name: "Billing", level: 1 }).waitFor();

    await expect.poll(() => page.getByTestId("billing-balance").textContent()).toBe("$0.00");
    await expect(page.getByTestId("billing-held").textContent()).resolves.toBe("$0.00");
    await expect(page.getByTestId("billing-available").textContent()).resolves.toBe("$0.00");
    await page.getByText("No open holds").waitFor();
    await page.getByText("No ledger entries yet").waitFor();
    await page.getByText("No receipts yet").waitFor();
    await expect(page.getByRole("button", { name: "Export CSV" }).isDisabled()).resolves.toBe(true);

    const org = await e2e.server.platform.database.prisma.organization.findFirstOrThrow({
      where: { name: owner.org },
    });
    orgSlug = org.slug;
    await expect(page.getByTestId("grant-command").textContent()).resolves.toContain(`--org ${orgSlug}`);

    await expectAccessible(page, "billing (empty)");
    await shoot(page, "billing-01-empty");
  });

  it("shows a grant's exact balance after a reload, then a live job's hold", async () => {
    const { page } = e2e.portal;
    const prisma = e2e.server.platform.database.prisma;
    await grantOrgCredits(
      { db: prisma, ledger: createLedger(prisma) },
      { slug: orgSlug, micros: parseGrantUsd("25.123456"), memo: "Welcome credit" },
    );
    await page.reload();
    await expect.poll(() => page.getByTestId("billing-balance").textContent()).toBe("$25.123456");
    await expect(page.getByTestId("billing-available").textContent()).resolves.toBe("$25.123456");
    const ledger = page.getByTestId("ledger-table");
    await ledger
      .getByRole("row")
      .filter({ hasText: "Credit grant" })
      .filter({ hasText: "Welcome credit" })
      .waitFor();

    // A live key, then a live job through REST: it holds its maximum cost.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("Billing live key");
    await page.getByRole("radio", { name: "Live" }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const liveKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    expect(liveKey).toMatch(/^eb_live_/);
    await page.getByRole("button", { name: "I have saved it" }).click();
    const created = await e2e.server.rest("POST", "/api/jobs", liveKey, {
      url: "https://shop.example.com/checkout",
      title: "Live checkout",
      description: "Buy the cheapest item.",
    });
    expect(created.status).toBeLessThan(300);
    jobId = (created.json as { jobId: string }).jobId;
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.mode).toBe("live");
    holdMicros = Number(job.holdMicros);
    expect(holdMicros).toBeGreaterThan(0);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
    await page.waitForURL("**/billing");
    await expect.poll(() => page.getByTestId("billing-held").textContent()).toBe(formatUsd(holdMicros));
    await expect(page.getByTestId("billing-balance").textContent()).resolves.toBe("$25.123456");
    await expect(page.getByTestId("billing-available").textContent()).resolves.toBe(
      formatUsd(GRANT_MICROS - holdMicros),
    );
    const holds = page.getByRole("table", { name: "Open holds" });
    await holds.getByRole("link", { name: jobId }).waitFor();
    await ledger.getByRole("row").filter({ hasText: "Hold placed" }).waitFor();
    await expect(ledger.getByRole("row").count()).resolves.toBe(3); // header, hold, grant
    await page.getByText("No receipts yet").waitFor({ state: "detached" });
    await expectAccessible(page, "billing (funded, one hold)");
    await shoot(page, "billing-02-funded");
  });

  it("exports the ledger as CSV", async () => {
    const { page } = e2e.portal;
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      new RegExp(`^eyeball-ledger-${orgSlug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const csv = readFileSync((await file.path()) ?? "", "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(STATEMENT_CSV_HEADER.join(","));
    expect(lines).toHaveLength(3);
    const grant = lines.find((line) => line.includes(",credit_grant,")) ?? "";
    expect(grant.split(",").slice(2)).toEqual([
      "credit_grant",
      "Credit grant",
      "Welcome credit",
      "",
      "25.123456",
      "0.000000",
      "25.123456",
      "0.000000",
      "25.123456",
    ]);
    const hold = lines[1]?.split(",") ?? [];
    expect(hold.slice(2, 6)).toEqual(["hold_place", "Hold placed", hold[4], jobId]);
  });

  it("shows auto-reload's field errors, then saves settings that persist", async () => {
    const { page } = e2e.portal;
    const form = page.getByRole("form", { name: "Auto-reload" });
    await form.getByLabel("Reload automatically").check();
    await form.getByLabel("Threshold (USD)").fill("-5");
    await form.getByLabel("Reload amount (USD)").fill("0.5");
    await form.getByRole("button", { name: "Save auto-reload" }).click();
    await form.getByText("Threshold (USD) must not be negative").waitFor();
    await form.getByText("Reload amount (USD) must be at least 1").waitFor();
    await expect(form.getByLabel("Threshold (USD)").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(form.getByLabel("Reload amount (USD)").getAttribute("aria-invalid")).resolves.toBe("true");

    // Not a number at all: said at the field, nothing sent.
    await form.getByLabel("Threshold (USD)").fill("ten");
    await form.getByRole("button", { name: "Save auto-reload" }).click();
    await form.getByText("Threshold (USD) must be a number of USD").waitFor();
    await expectAccessible(page, "billing (auto-reload errors)");
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await shoot(page, "billing-03-auto-reload-errors");

    await form.getByLabel("Threshold (USD)").fill("10");
    await form.getByLabel("Reload amount (USD)").fill("50.25");
    await form.getByRole("button", { name: "Save auto-reload" }).click();
    await form.getByText("Auto-reload saved.").waitFor();
    await expect(form.locator("[aria-invalid=true]").count()).resolves.toBe(0);

    await page.reload();
    await page.getByRole("heading", { name: "Billing", level: 1 }).waitFor();
    const reloaded = page.getByRole("form", { name: "Auto-reload" });
    await reloaded.waitFor();
    await expect(reloaded.getByLabel("Reload automatically").isChecked()).resolves.toBe(true);
    await expect(reloaded.getByLabel("Threshold (USD)").inputValue()).resolves.toBe("10");
    await expect(reloaded.getByLabel("Reload amount (USD)").inputValue()).resolves.toBe("50.25");
    const org = await e2e.server.platform.database.prisma.organization.findFirstOrThrow({
      where: { slug: orgSlug },
    });
    const settings = await e2e.server.platform.database.prisma.billingSettings.findUniqueOrThrow({
      where: { orgId: org.id },
    });
    expect(settings).toMatchObject({
      autoReloadEnabled: true,
      autoReloadThresholdMicros: 10_000_000n,
      autoReloadAmountMicros: 50_250_000n,
    });
  });

  it("opens a receipt with its number and amount", async () => {
    const { page } = e2e.portal;
    const receipts = page.getByRole("list", { name: "Receipts" });
    const item = receipts.getByRole("listitem");
    await expect(item.count()).resolves.toBe(1);
    const number = (await item.locator("strong").textContent()) ?? "";
    expect(number).toMatch(/^EB-\d{8}-[0-9A-Z]{8}$/);
    await expect(item.textContent()).resolves.toContain("$25.123456");
    await item.getByRole("button", { name: `View receipt ${number}` }).click();

    const dialog = page.getByRole("dialog", { name: `Receipt ${number}` });
    await dialog.waitFor();
    await expect(dialog.getByTestId("receipt-amount").textContent()).resolves.toBe("$25.123456");
    await dialog.getByText(owner.org).waitFor();
    await dialog.getByText("Welcome credit").waitFor();
    await dialog.getByText("Operator grant").waitFor();
    await expectAccessible(page, "billing (receipt)");
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await shoot(page, "billing-04-receipt");
    // Printed, the receipt is all there is: no navigation, no buttons, one page.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" }).isVisible()).resolves.toBe(false);
    await expect(dialog.getByRole("button", { name: "Print" }).isVisible()).resolves.toBe(false);
    await expect(dialog.getByTestId("receipt-amount").isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => document.documentElement.scrollHeight)).resolves.toBeLessThanOrEqual(
      800,
    );
    await page.emulateMedia({ media: "screen" });

    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
  });
});
