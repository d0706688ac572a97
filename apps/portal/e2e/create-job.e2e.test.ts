// Creating a job from the portal: the form's own checks, a live job's refusal (no live credit) then the job it made, and a free test job the sandbox completes.

import { describe, expect, it } from "vitest";

import { createLedger } from "@eyeball/api";

import { signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

const e2e = usePortalE2e();

const owner = {
  name: "Cy Creator",
  email: "cy@create.test",
  password: "correct horse battery",
  org: "Create Co",
};

describe("creating a job in the portal", () => {
  it("checks the form, shows the server's refusal, then creates the job and opens it", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");
    await page.getByRole("link", { name: "New job" }).click();
    await page.waitForURL("**/jobs/new");
    await page.getByRole("heading", { name: "New job", level: 1 }).waitFor();

    // Without a view of the organisation's credit, the form starts on Test; this job is Live.
    await expect(page.getByRole("radio", { name: /^Test/ }).isChecked()).resolves.toBe(true);
    await page.getByRole("radio", { name: /^Live/ }).check();

    await page.getByLabel("URL", { exact: true }).fill("not a url");
    await page.getByLabel(/^Title/).fill("Portal-made checkout test");
    await page.getByLabel("Instructions for the tester").fill("Add an item to the cart and check out.");
    await page.getByRole("radio", { name: /Custom/ }).check();
    await page.getByLabel("Width (px)").fill("1000");
    await page.getByLabel("Height (px)").fill("700");
    const preview = page.getByTestId("screen-preview");
    await expect.poll(() => preview.textContent()).toContain("Custom 1000×700");
    await page.getByLabel("Target duration (minutes)").fill("10");
    await page.getByLabel("Number of testers").fill("2");
    await page.getByLabel(/Max extension/).fill("5");
    // (10 + 5) min × 60 s × $0.0018 × 2 testers
    await expect.poll(() => page.getByTestId("cost-estimate").textContent()).toContain("$3.24");

    await page.getByRole("button", { name: "+ Add field" }).click();
    await page.getByLabel("Field 1 name").fill("checkoutWorks");
    await page.getByLabel("Field 1 type").selectOption("boolean");
    await page.getByLabel("Field 1 description").fill("Whether the checkout completes");
    await page.getByRole("button", { name: "+ Add field" }).click();
    await page.getByLabel("Field 2 description").fill("The total shown");
    await page.getByLabel(/Field 2 example/).fill("$12.00");

    await page.getByRole("button", { name: "Create job" }).click();
    await page.getByText("URL must be an absolute http:// or https:// URL").waitFor();
    await page.getByText("Field 2: name is required").waitFor();
    await expect(page.getByLabel("URL", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator("[role=alert]").first().textContent()).resolves.toContain(
      "2 fields need attention",
    );
    await e2e.portal.shoot("13-create-job-errors");

    await page.getByLabel("URL", { exact: true }).fill("https://shop.example.com/checkout");
    await page.getByLabel("Field 2 name").fill("total");
    // Reorder: total first, then back.
    await page.getByRole("button", { name: 'Move Field "total" up' }).click();
    await expect.poll(() => page.getByLabel("Field 1 name").inputValue()).toBe("total");
    await page.getByRole("button", { name: 'Move Field "total" down' }).click();
    const schema = JSON.parse((await page.getByTestId("schema-preview").textContent()) ?? "{}") as unknown;
    expect(schema).toEqual({
      checkoutWorks: { type: "boolean", description: "Whether the checkout completes" },
      total: { type: "string", description: "The total shown", example: "$12.00" },
    });
    await e2e.portal.shoot("13-create-job-filled");

    // A new organisation has no live credit: the server refuses (402) and says so next to the form.
    await page.getByRole("button", { name: "Create job" }).click();
    await page.getByText(/insufficient credit/i).waitFor();
    expect(page.url()).toContain("/jobs/new");

    const prisma = e2e.server.platform.database.prisma;
    const org = await prisma.organization.findFirstOrThrow({ where: { name: owner.org } });
    await createLedger(prisma).grantCredits({ orgId: org.id, mode: "live", micros: 10_000_000n });

    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL(/\/jobs\/job_/);
    await page.getByRole("heading", { name: "Portal-made checkout test", level: 1 }).waitFor();
    await page.getByText("Custom 1000×700").first().waitFor();
    const jobId = page.url().split("/").pop() ?? "";
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({
      mode: "live",
      source: "portal",
      screenWidth: 1000,
      screenHeight: 700,
      testerCount: 2,
      targetDurationMinutes: 10,
      maxExtensionMinutes: 5,
      holdMicros: 3_240_000n,
      outputSchema: {
        checkoutWorks: { type: "boolean", description: "Whether the checkout completes" },
        total: { type: "string", description: "The total shown", example: "$12.00" },
      },
    });
    await e2e.portal.shoot("13-create-job-created");

    // Back on the list, the new job is there.
    await page.goto("/jobs");
    await page.getByRole("listitem").filter({ hasText: "Portal-made checkout test" }).waitFor();
  });

  it("creates a free test job that the sandbox tester completes live on its page", async () => {
    const { page } = e2e.portal;
    await page.goto("/jobs/new");
    await page.getByRole("heading", { name: "New job", level: 1 }).waitFor();
    await expect(page.getByRole("radio", { name: /^Test/ }).isChecked()).resolves.toBe(true);
    // Nothing is held for a test job: no hold estimate, a free note instead.
    await expect.poll(() => page.getByTestId("cost-estimate").textContent()).toContain("free");
    await expect(page.getByText(/Up-front hold/).count()).resolves.toBe(0);

    await page.getByLabel("URL", { exact: true }).fill("https://shop.example.com/signup");
    await page.getByLabel(/^Title/).fill("Portal-made sandbox test");
    await page.getByLabel("Instructions for the tester").fill("Sign up with a new email.");
    await page.getByRole("button", { name: "+ Add field" }).click();
    await page.getByLabel("Field 1 name").fill("signupWorks");
    await page.getByLabel("Field 1 type").selectOption("boolean");
    await page.getByLabel("Field 1 description").fill("Whether signing up works");
    await page.getByRole("button", { name: "Create job" }).click();

    await page.waitForURL(/\/jobs\/job_/);
    await page.getByRole("heading", { name: "Portal-made sandbox test", level: 1 }).waitFor();
    const jobId = page.url().split("/").pop() ?? "";
    const job = await e2e.server.platform.database.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ mode: "test", source: "portal" });

    // No reload: the sandbox answers within seconds and the page follows over the subscription.
    await page.getByTestId("result-data").waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.locator(".badges [data-status]").first().getAttribute("data-status"), {
        timeout: 30_000,
      })
      .toBe("completed");
    const data = JSON.parse((await page.getByTestId("result-data").textContent()) ?? "{}") as unknown;
    expect(data).toMatchObject({ signupWorks: true });
    await e2e.portal.shoot("13-create-job-test-completed");
  });
});
