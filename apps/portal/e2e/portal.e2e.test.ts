// The owner's first day in the real portal against a real server: sign up, a test key, a sandbox job completing live, its result and cost, revoking the key; projects, a team invitation, the organisation switcher.

import { type Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { formatUsd } from "../src/format";
import { expectAccessible, shoot } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

const e2e = usePortalE2e();

const owner = {
  name: "Ada Owner",
  email: "ada@acme.test",
  password: "correct horse battery",
  org: "Acme QA",
};

async function signUp(page: Page, who: { name: string; email: string; password: string; org: string }) {
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Work email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByLabel("Organisation name").fill(who.org);
  await page.getByRole("button", { name: "Create account" }).click();
}

describe("the owner e2e.portal, in Chromium, against a running server", () => {
  let testKey = "";
  let jobId = "";

  it("signs up a new owner (with the server's and the form's errors shown), and lands on an empty, live jobs list", async () => {
    const { page } = e2e.portal;
    await page.goto("/");
    await page.waitForURL("**/sign-in");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The server's own words for a wrong password.
    await page.getByLabel("Email").fill("nobody@acme.test");
    await page.getByLabel("Password").fill("not a password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("email or password is wrong");
    await e2e.portal.shoot("01-sign-in-error");
    await expectAccessible(e2e.portal.page, "01-sign-in-error");

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await signUp(page, { ...owner, password: "short" });
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("at least 10 characters");
    await e2e.portal.shoot("02-sign-up");
    await expectAccessible(e2e.portal.page, "02-sign-up");
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL("**/jobs");
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    await page.getByText("No jobs yet").waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await expect(page.getByRole("banner").textContent()).resolves.toContain(owner.org);
    await e2e.portal.shoot("03-jobs-empty");
    await expectAccessible(e2e.portal.page, "03-jobs-empty");

    // The session is an httpOnly cookie: the page's scripts cannot read it, a reload keeps it.
    expect(await page.evaluate("document.cookie")).toBe("");
    await page.reload();
    await page.getByText("No jobs yet").waitFor();
  });

  it("creates a test API key, shown once with a copy button, and lists it as a test key", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.waitForURL("**/api-keys");
    await page.getByText("No API keys yet").waitFor();
    await page.getByLabel("Key name").fill("E2E sandbox key");
    await page.getByRole("radio", { name: "Test" }).check();
    await page.getByRole("button", { name: "Create key" }).click();

    const secret = page.getByTestId("new-api-key");
    await secret.waitFor();
    testKey = (await secret.textContent()) ?? "";
    expect(testKey).toMatch(/^eb_test_/);
    await page.getByText("This is the only time Eyeball shows it").waitFor();
    await page.getByRole("button", { name: "Copy key" }).click();
    await page.getByRole("button", { name: "Copied ✓" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(testKey);
    await e2e.portal.shoot("04-api-key-created");
    await expectAccessible(e2e.portal.page, "04-api-key-created");

    await page.getByRole("button", { name: "I have saved it" }).click();
    await expect.poll(() => secret.count()).toBe(0);
    const row = page.getByRole("row").filter({ hasText: "E2E sandbox key" });
    await expect(row.textContent()).resolves.toContain(testKey.slice(0, 12));
    await expect(row.textContent()).resolves.toContain("Test");
    await expect(row.textContent()).resolves.toContain("Never");
    // The plaintext key is nowhere on the page any more.
    expect(await page.content()).not.toContain(testKey);
  });

  it("shows a job posted through the REST API appear and complete live, then its result, cost and settlement", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByText("No jobs yet").waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

    const created = await e2e.server.rest("POST", "/api/jobs", testKey, {
      url: "https://shop.example.com/checkout",
      title: "Check the checkout",
      description: "Add an item to the cart and check out.",
      screenSize: "mobile",
      outputSchema: {
        checkoutWorks: { type: "boolean", description: "Whether the checkout completes" },
        total: { type: "string", description: "The total shown", example: "$12.00" },
      },
    });
    expect(created.status).toBeLessThan(300);
    jobId = (created.json as { jobId: string }).jobId;

    // No reload: the row arrives over the subscription and turns completed.
    const row = page.getByRole("listitem").filter({ hasText: "Check the checkout" });
    await row.waitFor();
    await expect
      .poll(() => row.locator("[data-status]").first().getAttribute("data-status"), { timeout: 30_000 })
      .toBe("completed");
    await expect(row.textContent()).resolves.toContain("Mobile 375×667");
    await e2e.portal.shoot("05-jobs-live");
    await expectAccessible(e2e.portal.page, "05-jobs-live");

    // The status filter asks the server.
    await page.getByLabel("Status").selectOption("waiting");
    await page.getByText("No waiting jobs").waitFor();
    await page.getByLabel("Status").selectOption("completed");
    await row.waitFor();
    await page.getByLabel("Search").fill("nothing like it");
    await page.getByText("No jobs match").waitFor();
    await page.getByLabel("Search").fill("checkout");
    await row.waitFor();

    await row.getByRole("link", { name: "Check the checkout" }).click();
    await page.waitForURL(`**/jobs/${jobId}`);
    await page.getByRole("heading", { name: "Check the checkout", level: 1 }).waitFor();
    const data = JSON.parse((await page.getByTestId("result-data").textContent()) ?? "{}") as Record<
      string,
      unknown
    >;
    expect(data).toMatchObject({ checkoutWorks: true, total: "$12.00" });
    await page.getByRole("heading", { name: "Tester’s response" }).waitFor();

    const rest = await e2e.server.rest("GET", `/api/job/${jobId}`, testKey);
    const costUsd = (rest.json as { costUsd: number }).costUsd;
    expect(costUsd).toBeGreaterThan(0);
    const cost = formatUsd(Math.round(costUsd * 1_000_000));
    await expect(page.getByTestId("job-cost").textContent()).resolves.toBe(cost);

    // Owner actions follow core's rules: a finished job is settled at once, so it can be approved or
    // disputed, not paused or settled again; approving is final.
    const actions = page.getByRole("region", { name: "Owner actions" });
    await page.locator(".badges [data-status='settled']").waitFor();
    await expect(actions.getByRole("button", { name: "Pause" }).isDisabled()).resolves.toBe(true);
    await expect(actions.getByRole("button", { name: "Settle" }).isDisabled()).resolves.toBe(true);
    await expect(actions.getByRole("button", { name: "Dispute…" }).isDisabled()).resolves.toBe(false);
    await e2e.portal.shoot("06-job-completed");
    await expectAccessible(e2e.portal.page, "06-job-completed");
    await actions.getByRole("button", { name: "Approve" }).click();
    await page.locator(".badges [data-status='approved']").waitFor();
    await expect.poll(() => actions.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    await expect(actions.getByRole("button", { name: "Dispute…" }).isDisabled()).resolves.toBe(true);
  });

  it("revokes the key: it is marked revoked and the API refuses it at once", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    const row = page.getByRole("row").filter({ hasText: "E2E sandbox key" });
    await expect.poll(async () => (await row.textContent()) ?? "").not.toContain("Never");
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("group").getByRole("button", { name: "Revoke" }).click();
    await row.getByText(/^Revoked /).waitFor();
    expect((await e2e.server.rest("GET", `/api/job/${jobId}`, testKey)).status).toBe(401);
    await e2e.portal.shoot("07-api-keys-revoked");
    await expectAccessible(e2e.portal.page, "07-api-keys-revoked");
  });

  it("creates and archives a project", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
    await page.getByText("No projects yet").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Storefront");
    await page.getByLabel(/Description/).fill("Checkout and cart");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("listitem").filter({ hasText: "Storefront" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Marketing site");
    await page.getByRole("button", { name: "Create project" }).click();
    const marketing = page.getByRole("listitem").filter({ hasText: "Marketing site" });
    await marketing.waitFor();
    await e2e.portal.shoot("08-projects");
    await expectAccessible(e2e.portal.page, "08-projects");
    await marketing.getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => marketing.count()).toBe(0);
    await page.getByLabel("Show archived").check();
    await marketing.getByRole("button", { name: "Unarchive" }).waitFor();
  });

  it("invites someone who already has an organisation: they join, and switch between the two", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" }).click();
    await page.getByRole("row").filter({ hasText: owner.email }).waitFor();
    await page.getByLabel("Email").fill("bo@beta.test");
    await page.getByRole("button", { name: "Send invitation" }).click();
    const link = page.locator(".notice.ok code");
    await link.waitFor();
    const acceptUrl = (await link.textContent()) ?? "";
    expect(acceptUrl).toContain(`${e2e.server.url}/invite/`);
    await page.getByText("bo@beta.test").nth(1).waitFor();
    await e2e.portal.shoot("09-team");
    await expectAccessible(e2e.portal.page, "09-team");

    // Bo signs up with their own organisation, then opens the link.
    const bo = await e2e.portal.newVisitor();
    await bo.goto("/sign-up");
    await signUp(bo, {
      name: "Bo Builder",
      email: "bo@beta.test",
      password: "another long password",
      org: "Beta Labs",
    });
    await bo.waitForURL("**/jobs");
    await bo.goto(new URL(acceptUrl).pathname);
    await bo.getByRole("heading", { name: "Join Acme QA" }).waitFor();
    await shoot(bo, "10-invite");
    await expectAccessible(bo, "10-invite");
    await bo.getByRole("button", { name: "Join Acme QA" }).click();
    await bo.waitForURL("**/jobs");

    // Two organisations: the switcher shows, Acme is current (its job is listed), Beta has none.
    const switcher = bo.getByRole("combobox", { name: "Organisation" });
    await expect.poll(() => switcher.inputValue()).not.toBe("");
    await expect(switcher.locator("option").allTextContents()).resolves.toEqual(
      expect.arrayContaining(["Acme QA", "Beta Labs"]),
    );
    await bo.getByRole("listitem").filter({ hasText: "Check the checkout" }).waitFor();
    await shoot(bo, "11-org-switcher");
    await expectAccessible(bo, "11-org-switcher");
    await switcher.selectOption({ label: "Beta Labs" });
    await bo.getByText("No jobs yet").waitFor();

    // Signing out ends the session: the portal sends Bo back to sign in.
    await bo.getByRole("button", { name: "Sign out" }).click();
    await bo.waitForURL("**/sign-in");
    await bo.goto("/jobs");
    await bo.waitForURL("**/sign-in?next=%2Fjobs");
  });

  it("answers an unknown invitation link and an unknown page clearly", async () => {
    const visitor = await e2e.portal.newVisitor();
    await visitor.goto("/invite/eb_inv_not_a_real_token_at_all_000000");
    await visitor.getByRole("heading", { name: "This invitation cannot be used" }).waitFor();
    await visitor.goto("/no/such/page");
    await visitor.getByRole("heading", { name: "Page not found" }).waitFor();
  });
});
