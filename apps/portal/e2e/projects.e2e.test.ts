// A project's own page: edit (server field errors), the tester pool (404/409, preferred, blocked, remove), a targeted job in it, delete (409 while it runs);
// Slack notices of new jobs, to the organisation's URL (Team screen) or the project's own, at a loopback stand-in of Slack.

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type SlackStandIn, startSlackStandIn } from "@eyeball/api/testing";
import { isTerminalJobStatus } from "@eyeball/core";

import { expectAccessible, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

// The sandbox tester works long enough that the job is still running when we first try to delete.
const e2e = usePortalE2e({ sandboxWorkMs: 20_000 });
let slack: SlackStandIn;

const owner = {
  name: "Pia Pool",
  email: "pia@pool.test",
  password: "correct horse battery",
  org: "Pool Co",
};
const testerEmail = "tess@testers.test";

beforeAll(async () => {
  slack = await startSlackStandIn();
  // A tester account, made the way the platform stores one (testers sign up in the desktop app).
  await e2e.server.platform.services.db.user.create({
    data: {
      email: testerEmail,
      name: "Tess Tester",
      testerProfile: { create: { alias: "Tess T.", color: "#8250df" } },
    },
  });
}, 120_000);

afterAll(async () => {
  await slack?.close();
});

describe("a project's page", () => {
  it("edits the project, manages its pool, runs a targeted job in it and deletes it", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");

    // Team: the organisation's Slack URL for new-job notices; a bad one is refused on its field.
    await page.getByRole("link", { name: "Team" }).first().click();
    await page.getByRole("heading", { name: "Slack notices" }).waitFor();
    const orgSlack = page.getByLabel("Incoming webhook URL");
    await orgSlack.fill("ftp://hooks.slack.com/services/x");
    const slackForm = page.getByRole("form", { name: "Slack notices" });
    await slackForm.getByRole("button", { name: "Save" }).click();
    await page.getByText("Incoming webhook URL must be an http(s) URL").waitFor();
    await expect(orgSlack.getAttribute("aria-invalid")).resolves.toBe("true");
    await orgSlack.fill(`${slack.url}/services/ORG`);
    await slackForm.getByRole("button", { name: "Save" }).click();
    await slackForm.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await expect(orgSlack.getAttribute("aria-invalid")).resolves.toBeNull();
    await expectAccessible(page, "team (Slack notices)");
    await e2e.portal.shoot("team-01-slack");
    await page.reload();
    await expect.poll(() => orgSlack.inputValue()).toBe(`${slack.url}/services/ORG`);

    // Create a project and open it from the list.
    await page.getByRole("link", { name: "Projects" }).first().click();
    await page.waitForURL("**/projects");
    await page.getByLabel("Name").fill("Checkout revamp");
    await page.getByLabel(/^Description/).fill("The new checkout flow");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("link", { name: "Checkout revamp" }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    const projectUrl = page.url();
    await page.getByRole("heading", { name: "Checkout revamp", level: 1 }).waitFor();
    await page.getByText("No testers in the pool").waitFor();
    await page.getByText("No jobs in this project yet").waitFor();
    await expectAccessible(page, "project page (empty)");
    await e2e.portal.shoot("project-01-empty");

    // Edit: a Slack URL that is not http(s) is refused on its field; the project's own URL wins over the org's.
    const projectSlack = page.getByLabel(/^Slack webhook URL/);
    await projectSlack.fill("ftp://hooks.slack.test/services/x");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Slack webhook URL must be an http(s) URL").waitFor();
    await expect(projectSlack.getAttribute("aria-invalid")).resolves.toBe("true");
    await e2e.portal.shoot("project-02-edit-error");
    await projectSlack.fill(`${slack.url}/services/PROJECT`);
    await page.getByLabel("Name", { exact: true }).fill("Checkout 2.0");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { name: "Checkout 2.0", level: 1 }).waitFor();
    await page.getByText("Saved.").waitFor();
    await expect(projectSlack.getAttribute("aria-invalid")).resolves.toBeNull();

    // The pool: an unknown email is a plain 404, a known one joins, a second add is a 409.
    const email = page.getByLabel("Tester’s email");
    await email.fill("nobody@testers.test");
    await page.getByRole("button", { name: "Add tester" }).click();
    await page.getByText("Not found: no tester with email nobody@testers.test").waitFor();
    await email.fill(testerEmail);
    await page.getByRole("button", { name: "Add tester" }).click();
    await page.getByText("Tess T. was added to the pool.").waitFor();
    const row = page.getByRole("row", { name: /Tess T\./ });
    await row.waitFor();
    await expect(page.getByTestId("pool-state").textContent()).resolves.toContain(
      "only the 1 unblocked tester",
    );
    await email.fill(testerEmail);
    await page.getByRole("button", { name: "Add tester" }).click();
    await page
      .getByText(`Already in the pool: ${testerEmail} is already in this project’s pool.`, { exact: false })
      .waitFor();

    const preferred = row.getByRole("checkbox", { name: /Preferred/ });
    const blocked = row.getByRole("checkbox", { name: /Blocked/ });
    await preferred.check();
    await expect.poll(() => preferred.isChecked()).toBe(true);
    await expect.poll(() => blocked.isEnabled()).toBe(true);
    await blocked.check();
    await expect.poll(() => blocked.isChecked()).toBe(true);
    // Never both: blocking dropped the preference.
    await expect.poll(() => preferred.isChecked()).toBe(false);
    await expect
      .poll(() => page.getByTestId("pool-state").textContent())
      .toContain("every tester who is not blocked");
    await row.getByLabel("Notes on Tess T.").fill("Skipped steps last time");
    await row.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => row.getByRole("button", { name: "Save" }).count()).toBe(0);
    await expectAccessible(page, "project page (pool)");
    await e2e.portal.shoot("project-03-pool");

    await row.getByRole("button", { name: "Remove" }).click();
    await page
      .getByRole("group", { name: "Remove Tess T.?" })
      .getByRole("button", { name: "Remove" })
      .click();
    await page.getByText("No testers in the pool").waitFor();

    // A job in this project with a category and a participant filter.
    await page.getByRole("link", { name: "New job in this project" }).click();
    await page.waitForURL(/\/jobs\/new\?projectId=/);
    await page.getByRole("heading", { name: "New job", level: 1 }).waitFor();
    // The form may first show the cached list from before the rename, then the refetched one.
    await expect
      .poll(() =>
        page
          .getByLabel(/^Project/)
          .locator("option:checked")
          .textContent(),
      )
      .toBe("Checkout 2.0");
    const category = page.getByLabel(/^Category/);
    await expect.poll(() => category.isEnabled()).toBe(true);
    await category.selectOption({ label: "Usability" });
    await page.getByRole("checkbox", { name: /First-time visitor/ }).check();
    await page.getByLabel("URL", { exact: true }).fill("https://shop.example.com/checkout");
    await page.getByLabel(/^Title/).fill("Checkout usability");
    await page.getByLabel("Instructions for the tester").fill("Buy one item and tell us what confused you.");
    await expectAccessible(page, "new-job form (targeting)");
    await page.getByRole("group", { name: "Targeting" }).scrollIntoViewIfNeeded();
    await e2e.portal.shoot("project-04-new-job-targeting");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL(/\/jobs\/job_[^/]+$/);
    const targeting = page.getByTestId("job-targeting");
    await expect.poll(() => targeting.textContent()).toContain("Usability");
    await expect(targeting.textContent()).resolves.toContain("First-time visitor");
    const jobId = page.url().split("/").at(-1) ?? "";
    await e2e.portal.shoot("project-05-job-targeting");

    // Testers in the project's Slack channel hear of the job; the organisation's channel does not.
    await expect
      .poll(() => slack.received.filter((m) => m.path === "/services/PROJECT").length, { timeout: 30_000 })
      .toBe(1);
    const notice = slack.received.find((m) => m.path === "/services/PROJECT");
    // A new organisation's jobs are test-mode (no live credit yet): the sandbox's, so nothing to claim.
    expect(notice?.body.text).toMatch(
      /^Test-mode Eyeball job: Checkout usability \(https:\/\/shop\.example\.com\/checkout\) — desktop 1920×1080, 5 min, 1 tester\. The sandbox tester handles it/,
    );
    expect(slack.received.filter((m) => m.path === "/services/ORG")).toHaveLength(0);

    // Back on the project: the job is listed; deleting while it runs is a 409, shown plainly.
    await page.goto(projectUrl);
    await page.getByRole("link", { name: "Checkout usability" }).waitFor();
    await page.getByRole("button", { name: "Delete project" }).click();
    await page
      .getByRole("group", { name: "Delete Checkout 2.0?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page
      .getByText("Cannot delete yet: this project has 1 job still running", { exact: false })
      .waitFor();
    await e2e.portal.shoot("project-06-delete-conflict");

    await expect
      .poll(
        async () => {
          const job = await e2e.server.platform.services.db.job.findUniqueOrThrow({ where: { id: jobId } });
          return isTerminalJobStatus(job.status);
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    await page.getByRole("button", { name: "Delete project" }).click();
    await page
      .getByRole("group", { name: "Delete Checkout 2.0?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.waitForURL("**/projects");
    await expect(page.getByRole("link", { name: "Checkout 2.0" }).count()).resolves.toBe(0);
    // The finished job stays, detached from the deleted project.
    const job = await e2e.server.platform.services.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.projectId).toBeNull();
  }, 180_000);
});
