// The platform admin's disputes workflow in Chromium against a real server: an owner disputes two finished jobs,
// an admin reviews the evidence (with the sandbox's recording), refunds one and upholds the other, and the owner sees each outcome.

import { type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLedger } from "@eyeball/api";
import { type FixtureSite, startFixtureSite } from "@eyeball/api/testing";
import { CHROMIUM } from "@eyeball/recorder/testing";

import { expectAccessible, shoot, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

const e2e = usePortalE2e({ sandboxBrowser: CHROMIUM });
let site: FixtureSite;

const owner = {
  name: "Dana Disputer",
  email: "dana@disputes.test",
  password: "correct horse battery",
  org: "Dispute Co",
};
const admin = {
  name: "Ari Admin",
  email: "ari@eyeball.test",
  password: "correct horse battery",
  org: "Eyeball Ops",
};

beforeAll(async () => {
  site = await startFixtureSite();
}, 120_000);

afterAll(async () => {
  await site?.close();
});

async function createTestKey(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Disputes key");
  await page.getByRole("radio", { name: "Test" }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent()) ?? "";
  expect(key).toMatch(/^eb_test_/);
  await page.getByRole("button", { name: "I have saved it" }).click();
  return key;
}

async function completedJob(key: string, title: string): Promise<string> {
  const created = await e2e.server.rest("POST", "/api/jobs", key, {
    url: site.url,
    title,
    description: "Open the shop and press Buy.",
  });
  expect(created.status).toBeLessThan(300);
  const jobId = (created.json as { jobId: string }).jobId;
  await expect
    .poll(
      async () =>
        ((await e2e.server.rest("GET", `/api/job/${jobId}`, key)).json as { status: string }).status,
      {
        timeout: 60_000,
        interval: 250,
      },
    )
    .toBe("completed");
  return jobId;
}

/** The owner disputes the job's one charged slot from its page. */
async function disputeFromJobPage(page: Page, jobId: string, title: string, reason: string): Promise<void> {
  await page.goto(`/jobs/${jobId}`);
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  await page.locator(".badges [data-status='settled']").waitFor();
  const actions = page.getByRole("region", { name: "Owner actions" });
  await actions.getByRole("button", { name: "Dispute…" }).click();
  const form = actions.getByRole("form", { name: "Dispute charges" });
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Open dispute" }).click();
  await page.getByTestId("job-disputes").locator("[data-dispute-status='open']").waitFor();
}

describe("the admin's disputes workflow", () => {
  it("refunds one disputed job and upholds another, with the evidence and the owner's view of each outcome", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");
    const key = await createTestKey(page);
    const refundJob = await completedJob(key, "Checkout on the fixture shop");
    const upholdJob = await completedJob(key, "Search on the fixture shop");

    const prisma = e2e.server.platform.database.prisma;
    const org = await prisma.organization.findFirstOrThrow({ where: { name: owner.org } });
    const refundSlot = await prisma.assignment.findFirstOrThrow({ where: { jobId: refundJob } });
    expect(refundSlot.costMicros).toBeGreaterThan(0n);

    await disputeFromJobPage(
      page,
      refundJob,
      "Checkout on the fixture shop",
      "The tester never reached the order confirmation.",
    );
    await disputeFromJobPage(page, upholdJob, "Search on the fixture shop", "It took too long.");

    // A second account, made a platform admin by the operator command's service.
    const adminPage = await e2e.portal.newVisitor();
    await adminPage.goto("/sign-up");
    await signUp(adminPage, admin);
    await adminPage.waitForURL("**/jobs");
    await e2e.server.platform.services.admin.setPlatformAdmin({ email: admin.email, isAdmin: true });
    await adminPage.goto("/admin");
    await adminPage.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await expect.poll(() => adminPage.getByTestId("open-disputes").textContent()).toBe("2");
    await expectAccessible(adminPage, "admin overview");
    await shoot(adminPage, "admin-01-overview");

    // The queue, oldest first.
    await adminPage
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Disputes" })
      .click();
    await adminPage.getByRole("heading", { name: "Disputes", level: 1 }).waitFor();
    const rows = adminPage.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toContain("Checkout on the fixture shop");
    await expect(rows.nth(0).textContent()).resolves.toContain(owner.org);
    await expect(rows.nth(0).textContent()).resolves.toContain(
      "The tester never reached the order confirmation.",
    );
    await expectAccessible(adminPage, "admin disputes queue");
    await shoot(adminPage, "admin-02-disputes-queue");

    // The evidence.
    await adminPage.getByRole("link", { name: "Checkout on the fixture shop" }).click();
    await adminPage
      .getByRole("heading", { name: "Dispute: Checkout on the fixture shop", level: 1 })
      .waitFor();
    await expect(adminPage.getByTestId("dispute-reason").textContent()).resolves.toBe(
      "The tester never reached the order confirmation.",
    );
    await expect(adminPage.getByTestId("tester-response").textContent()).resolves.toMatch(/done\W*$/i);
    await adminPage.getByTestId("result-data").waitFor();
    const amount = (await adminPage.getByTestId("dispute-amount").textContent()) ?? "";
    expect(amount).toBe(`$${Number(refundSlot.costMicros) / 1_000_000}`);
    const recording = adminPage.getByRole("region", { name: "Recording" });
    await recording.getByRole("list", { name: "Screenshots" }).waitFor();
    await expectAccessible(adminPage, "admin dispute evidence");
    await shoot(adminPage, "admin-03-dispute-evidence");

    // A note is required, then a confirm step; the refund lands on the organisation's test-mode credit.
    const decision = adminPage.getByRole("region", { name: "Decision" });
    const before = (await createLedger(prisma).balance(org.id, "test")).availableMicros;
    await decision.getByRole("button", { name: `Refund ${amount}` }).click();
    await decision.getByText("Write a note first").waitFor();
    await expect(decision.getByLabel(/Note to the owner/).getAttribute("aria-invalid")).resolves.toBe("true");
    await decision.getByLabel(/Note to the owner/).fill("The recording shows no order was placed. Refunded.");
    await decision.getByRole("button", { name: `Refund ${amount}` }).click();
    await decision.getByRole("group", { name: "Confirm the decision" }).waitFor();
    await expectAccessible(adminPage, "admin dispute confirm");
    await shoot(adminPage, "admin-04-dispute-confirm");
    await decision.getByRole("button", { name: `Yes, refund ${amount}` }).click();
    const outcome = adminPage.getByTestId("dispute-outcome");
    await outcome.getByRole("heading", { name: "Refunded" }).waitFor();
    await expect(outcome.textContent()).resolves.toContain(
      "The recording shows no order was placed. Refunded.",
    );
    const after = (await createLedger(prisma).balance(org.id, "test")).availableMicros;
    expect(after - before).toBe(refundSlot.costMicros);
    await expectAccessible(adminPage, "admin dispute refunded");
    await shoot(adminPage, "admin-05-dispute-refunded");

    // The owner's job page shows the refund (live, or on the next load).
    await page.goto(`/jobs/${refundJob}`);
    const ownerDisputes = page.getByTestId("job-disputes");
    await ownerDisputes.locator("[data-dispute-status='refunded']").waitFor();
    await expect(ownerDisputes.textContent()).resolves.toContain("refunded to your credit");
    await expect(ownerDisputes.textContent()).resolves.toContain("The recording shows no order was placed.");
    await shoot(page, "admin-06-owner-sees-refund");

    // The second dispute is upheld.
    await adminPage.getByRole("link", { name: "← Disputes queue" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await adminPage.getByRole("link", { name: "Search on the fixture shop" }).click();
    await adminPage.getByRole("heading", { name: "Dispute: Search on the fixture shop", level: 1 }).waitFor();
    await decision
      .getByLabel(/Note to the owner/)
      .fill("The search was done as asked; time is billed as worked.");
    await decision.getByRole("button", { name: "Uphold charge" }).click();
    await decision.getByRole("button", { name: "Yes, uphold" }).click();
    await outcome.getByRole("heading", { name: "Upheld" }).waitFor();
    await expect(
      prisma.dispute.count({ where: { status: "upheld", assignment: { jobId: upholdJob } } }),
    ).resolves.toBe(1);
    await page.goto(`/jobs/${upholdJob}`);
    await page.getByTestId("job-disputes").locator("[data-dispute-status='upheld']").waitFor();

    // The queue is empty now; the resolved filter lists both.
    await adminPage.goto("/admin/disputes");
    await adminPage.getByText("No open disputes").waitFor();
    await expectAccessible(adminPage, "admin disputes queue (empty)");
    await shoot(adminPage, "admin-07-disputes-empty");
    await adminPage.getByLabel("Status").selectOption("resolved");
    await expect.poll(() => rows.count()).toBe(2);
    await shoot(adminPage, "admin-08-disputes-resolved");

    await adminPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Testers" }).click();
    await adminPage.getByRole("heading", { name: "Testers", level: 1 }).waitFor();
    await adminPage.getByLabel("Include the sandbox’s simulated testers").check();
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expectAccessible(adminPage, "admin testers");
    await shoot(adminPage, "admin-09-testers");

    await adminPage
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Organisations" })
      .click();
    await adminPage.getByRole("heading", { name: "Organisations", level: 1 }).waitFor();
    await adminPage.locator("tbody tr").filter({ hasText: owner.org }).waitFor();
    await expectAccessible(adminPage, "admin organisations");
    await shoot(adminPage, "admin-10-orgs");
  }, 300_000);
});
