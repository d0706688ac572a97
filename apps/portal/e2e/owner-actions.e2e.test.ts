// The owner's controls on a running job, in Chromium against a real server: pause, resume, resize up and down (and the server's refusal below the claimed count), stop.

import { describe, expect, it } from "vitest";

import { signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

// The sandbox testers claim at once but keep working for ten minutes: the job stays running.
const e2e = usePortalE2e({ sandboxWorkMs: 10 * 60 * 1000 });

describe("owner actions on a running job", () => {
  it("pauses, resizes up and down (showing the server's refusal), resumes and stops a job", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, {
      name: "Oli Owner",
      email: "oli@acme.test",
      password: "correct horse battery",
      org: "Acme Ops",
    });
    await page.waitForURL("**/jobs");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("Owner actions key");
    await page.getByRole("radio", { name: "Test" }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const testKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    expect(testKey).toMatch(/^eb_test_/);
    await page.getByRole("button", { name: "I have saved it" }).click();

    const created = await e2e.server.rest("POST", "/api/jobs", testKey, {
      url: "https://shop.example.com/search",
      title: "Search the catalogue",
      description: "Search for a red umbrella and open the first result.",
      testerCount: 3,
      targetDurationMinutes: 60,
    });
    expect(created.status).toBeLessThan(300);
    const jobId = (created.json as { jobId: string }).jobId;

    await page.goto(`/jobs/${jobId}`);
    await page.getByRole("heading", { name: "Search the catalogue", level: 1 }).waitFor();
    const actions = page.getByRole("region", { name: "Owner actions" });
    const status = page.locator(".badges [data-status]").first();
    const testers = page.locator(".stat").filter({ hasText: "Testers" }).locator("dd:not(.stat-sub)");
    // All three sandbox testers claim at once and keep working.
    await expect.poll(() => status.getAttribute("data-status"), { timeout: 30_000 }).toBe("working");
    await expect.poll(() => testers.textContent()).toBe("3");
    await expect(actions.getByRole("button", { name: "Resume" }).isDisabled()).resolves.toBe(true);
    await expect(actions.getByRole("button", { name: "Settle" }).getAttribute("title")).resolves.toBe(
      "Not now: cannot settle a job that is being worked on",
    );

    // Pause: claims stop (working testers continue); Resume is offered instead of Pause.
    await actions.getByRole("button", { name: "Pause" }).click();
    await page.locator(".badges [data-status='paused']").waitFor();
    await expect(page.locator(".badges [data-status='paused']").textContent()).resolves.toBe("Claims paused");
    await expect.poll(() => actions.getByRole("button", { name: "Pause" }).isDisabled()).toBe(true);

    // Resize up while paused: two new open slots nobody claims yet.
    await actions.getByRole("button", { name: "Resize…" }).click();
    const form = actions.getByRole("form", { name: "Resize the job" });
    const count = form.getByLabel("Number of testers");
    await expect(count.inputValue()).resolves.toBe("3");
    await expect(form.textContent()).resolves.toContain("Now 3 testers, 3 already claimed");
    await count.fill("5");
    await form.getByRole("button", { name: "Resize", exact: true }).click();
    await expect.poll(() => testers.textContent()).toBe("5");
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.locator("tbody tr [data-status='open']").count()).toBe(2);

    // Resize down: one open slot closes.
    await actions.getByRole("button", { name: "Resize…" }).click();
    await expect(count.inputValue()).resolves.toBe("5");
    await count.fill("4");
    await form.getByRole("button", { name: "Resize", exact: true }).click();
    await expect.poll(() => testers.textContent()).toBe("4");
    await expect.poll(() => page.locator("tbody tr [data-status='closed']").count()).toBe(1);

    // Below the claimed count: the server refuses (409) and its words show by the form.
    await actions.getByRole("button", { name: "Resize…" }).click();
    await count.fill("2");
    await form.getByRole("button", { name: "Resize", exact: true }).click();
    await expect
      .poll(() => form.getByRole("alert").textContent())
      .toContain("cannot resize a job to 2 testers: 3 slots are already claimed");
    await expect(testers.textContent()).resolves.toBe("4");
    await e2e.portal.shoot("14-owner-actions-resize-refused");
    await form.getByRole("button", { name: "Cancel" }).click();

    // Resume: running again, and the sandbox claims the open slot.
    await actions.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => page.locator(".badges [data-status='paused']").count()).toBe(0);
    await expect.poll(() => actions.getByRole("button", { name: "Pause" }).isDisabled()).toBe(false);
    await expect(status.getAttribute("data-status")).resolves.toBe("working");
    await expect
      .poll(() => page.locator("tbody tr [data-status='open']").count(), { timeout: 30_000 })
      .toBe(0);
    await e2e.portal.shoot("14-owner-actions-running");

    // Stop: final; the working testers finish, nothing can be paused, resumed or resized any more.
    await actions.getByRole("button", { name: "Stop" }).click();
    await page.locator(".badges [data-status='stopped']").waitFor();
    for (const name of ["Pause", "Resume", "Stop", "Resize…"]) {
      await expect.poll(() => actions.getByRole("button", { name }).isDisabled()).toBe(true);
    }
    await expect(actions.getByRole("button", { name: "Resize…" }).getAttribute("title")).resolves.toBe(
      "Not now: cannot resize a job that is stopped",
    );
    await e2e.portal.shoot("14-owner-actions-stopped");
  });
});
