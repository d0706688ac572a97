// Usage and server-side job search in Chromium against a real server: sandbox jobs finish, /usage charts and tables show their totals, ranges switch; /jobs finds a job beyond the first page and keeps the search through a reload.

import { describe, expect, it } from "vitest";

import { formatUsd } from "@eyeball/core";

import { expectAccessible, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

const e2e = usePortalE2e({ sandboxWorkMs: 300 });

const owner = {
  name: "Uma Usage",
  email: "uma@usage.test",
  password: "correct horse battery",
  org: "Usage Co",
};

const FILLERS = 21;

describe("usage and job search", () => {
  let orgId = "";

  it("signs up and has sandbox jobs finish", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("Usage key");
    await page.getByRole("radio", { name: "Test" }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const testKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    expect(testKey).toMatch(/^eb_test_/);
    await page.getByRole("button", { name: "I have saved it" }).click();

    // The needle is the oldest job, so a newest-first first page of 20 never shows it.
    const jobs = [
      { url: "https://shop.example.com/needle", title: "Needle in the haystack", description: "Find it." },
      {
        url: "https://shop.example.com/broken",
        title: "Broken on purpose",
        description: "Fail this one [sandbox:error]",
      },
      ...Array.from({ length: FILLERS }, (_, i) => ({
        url: `https://shop.example.com/page-${i}`,
        title: `Filler page ${i}`,
        description: "Open the page and look around.",
      })),
    ];
    for (const job of jobs) {
      const created = await e2e.server.rest("POST", "/api/jobs", testKey, job);
      expect(created.status).toBeLessThan(300);
    }
    const prisma = e2e.server.platform.database.prisma;
    orgId = (await prisma.organization.findFirstOrThrow({ where: { name: owner.org } })).id;
    await expect
      .poll(
        () =>
          prisma.job.count({
            where: { orgId, status: { in: ["completed", "error"] } },
          }),
        { timeout: 90_000, interval: 500 },
      )
      .toBe(jobs.length);
  }, 120_000);

  it("shows the totals, charts and tables on /usage, and switches range and bucket", async () => {
    const { page } = e2e.portal;
    const prisma = e2e.server.platform.database.prisma;
    const rows = await prisma.job.findMany({ where: { orgId } });
    const completed = rows.filter((job) => job.status === "completed");
    const spend = rows.reduce((sum, job) => sum + Number(job.costMicros), 0);
    expect(completed.length).toBe(FILLERS + 1);
    expect(spend).toBeGreaterThan(0);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
    await page.waitForURL("**/usage");
    await page.getByRole("heading", { name: "Usage", level: 1 }).waitFor();
    // Sandbox jobs are test-mode: Live shows the empty state and says where they are.
    await page.getByText("No live jobs in the last 30 days").waitFor();
    await expectAccessible(page, "usage (empty)");
    await e2e.portal.shoot("usage-01-empty-live");

    await page.getByRole("radio", { name: "Test" }).check();
    await page.waitForURL(/mode=test/);
    await expect.poll(() => page.getByTestId("total-created").textContent()).toBe(String(rows.length));
    await expect(page.getByTestId("total-completed").textContent()).resolves.toBe(String(completed.length));
    await expect(page.getByTestId("total-spend").textContent()).resolves.toBe(formatUsd(spend));
    await page.getByText("1 failed · 0 cancelled").waitFor();
    for (const name of ["Jobs", "Spend", "Turnaround"]) {
      await page.getByRole("heading", { name, level: 2 }).waitFor();
    }
    await page.getByRole("img", { name: /Jobs created and completed per day/ }).waitFor();
    await page.getByRole("img", { name: /Spend in USD per day/ }).waitFor();
    await page.getByRole("img", { name: /Turnaround .* median and 90th percentile/ }).waitFor();
    // uPlot drew into each chart at the card's width.
    await expect(page.locator(".chart-canvas canvas").count()).resolves.toBe(3);

    // The data tables: 30 days, today (the last row) holds every job.
    const jobsCard = page.getByTestId("usage-jobs");
    await jobsCard.getByText("Show the numbers").click();
    const jobsTable = jobsCard.getByRole("table");
    await expect(jobsTable.locator("tbody tr").count()).resolves.toBe(30);
    const today = jobsTable.locator("tbody tr").last();
    await expect(today.locator("td").allTextContents()).resolves.toEqual([
      String(rows.length),
      String(completed.length),
      "1",
      "0",
    ]);
    const spendCard = page.getByTestId("usage-spend");
    await spendCard.getByText("Show the numbers").click();
    await expect(spendCard.locator("tbody tr").last().locator("td").textContent()).resolves.toBe(
      formatUsd(spend),
    );
    await expect(spendCard.locator("tbody tr").first().locator("td").textContent()).resolves.toBe("$0.00");
    await expectAccessible(page, "usage");
    await e2e.portal.shoot("usage-02-test-30-days");

    await page.getByRole("radio", { name: "7 days" }).check();
    await page.waitForURL(/range=7/);
    await expect.poll(() => jobsTable.locator("tbody tr").count()).toBe(7);
    await page.getByRole("radio", { name: "Week" }).check();
    await page.waitForURL(/bucket=week/);
    await page
      .getByRole("img", { name: /per week/ })
      .first()
      .waitFor();
    const weeks = await jobsTable.locator("tbody tr").count();
    expect(weeks).toBeGreaterThanOrEqual(1);
    expect(weeks).toBeLessThanOrEqual(2);
    await expect(jobsTable.locator("tbody tr").last().locator("td").first().textContent()).resolves.toBe(
      String(rows.length),
    );
    await expect(page.getByTestId("total-created").textContent()).resolves.toBe(String(rows.length));
    await expect(jobsTable.locator("thead th").first().textContent()).resolves.toBe("Week");
    await e2e.portal.shoot("usage-03-test-7-days-weekly");

    // Reload keeps the choices (they live in the URL).
    await page.reload();
    await expect.poll(() => page.getByRole("radio", { name: "Week" }).isChecked()).toBe(true);
    await expect(page.getByRole("radio", { name: "7 days" }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("radio", { name: "Test" }).isChecked()).resolves.toBe(true);
  });

  it("searches jobs on the e2e.server, beyond the loaded page, and keeps the search through a reload", async () => {
    const { page } = e2e.portal;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.waitForURL("**/jobs");
    const list = page.getByRole("list", { name: "Jobs" });
    await expect.poll(() => list.getByRole("listitem").count()).toBe(20);
    await page.getByRole("button", { name: "Load more" }).waitFor();
    // The needle is not on the first page.
    await expect(list.getByText("Needle in the haystack").count()).resolves.toBe(0);

    await page.getByLabel("Search").fill("NEEDLE");
    await page.waitForURL(/q=NEEDLE/);
    await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
    await list.getByRole("link", { name: "Needle in the haystack" }).waitFor();
    await expect(page.getByRole("button", { name: "Load more" }).count()).resolves.toBe(0);
    await expectAccessible(page, "jobs (searched)");
    await e2e.portal.shoot("usage-04-jobs-search");

    await page.reload();
    await list.getByRole("link", { name: "Needle in the haystack" }).waitFor();
    await expect(page.getByLabel("Search").inputValue()).resolves.toBe("NEEDLE");
    await expect(list.getByRole("listitem").count()).resolves.toBe(1);

    // Combined with the status filter: the needle completed, the broken one did not.
    await page.getByLabel("Search").fill("shop.example.com/broken");
    await list.getByRole("link", { name: "Broken on purpose" }).waitFor();
    await page.getByLabel("Status").selectOption("completed");
    await page.getByText("No jobs match").waitFor();
    expect(page.url()).toContain("status=completed");
    expect(page.url()).toContain("q=shop.example.com");
    await e2e.portal.shoot("usage-05-jobs-no-match");
    await page.getByLabel("Status").selectOption("");

    // Clearing the box shows every job again (first page).
    await page.getByLabel("Search").fill("");
    await expect.poll(() => list.getByRole("listitem").count()).toBe(20);
    expect(page.url()).not.toContain("q=");
  });
});
