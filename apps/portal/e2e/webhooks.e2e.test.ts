// Webhooks in the portal: add an endpoint at a loopback receiver, reveal the secret it verifies with, see deliveries succeed and fail, redeliver once fixed.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyWebhookSignature } from "@eyeball/api";

import { expectAccessible, signUp } from "./harness";
import { usePortalE2e } from "./use-portal-e2e";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the signature verified with the secret the portal revealed. */
  verified: boolean;
}

/** The integrator's side: verifies each call with `secret` and answers `status`. */
function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200, secret: "" };
  const http: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const signature = req.headers["eyeball-signature"];
      const verified = verifyWebhookSignature(
        state.secret,
        typeof signature === "string" ? signature : null,
        body,
      );
      received.push({ headers: req.headers, body, verified });
      res.writeHead(verified ? state.status : 401, { "content-type": "text/plain" }).end("thanks");
    });
  });
  return {
    received,
    state,
    url: () => `http://127.0.0.1:${(http.address() as AddressInfo).port}/eyeball-hooks`,
    listen: () => new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => {
          resolve();
        });
      }),
  };
}

const e2e = usePortalE2e();
const receiver = startReceiver();

const owner = {
  name: "Wren Webhook",
  email: "wren@hooks.test",
  password: "correct horse battery",
  org: "Hook Co",
};

beforeAll(async () => {
  await receiver.listen();
  // One attempt per delivery, so a failing receiver shows a failed delivery at once (the default retries for minutes).
  e2e.server.platform.config.webhooks.maxAttempts = 1;
}, 120_000);

afterAll(async () => {
  await receiver.close();
});

describe("webhooks in the portal", () => {
  it("adds an endpoint, delivers a signed test job, shows a failure and redelivers it once fixed", async () => {
    const { page } = e2e.portal;
    await page.goto("/sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/jobs");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
    await page.getByText("No endpoints yet").waitFor();
    await page.getByText("No deliveries yet").waitFor();
    await expectAccessible(page, "webhooks");
    await e2e.portal.shoot("webhooks-01-empty");

    // The server's URL rules name the field.
    const url = page.getByLabel("Endpoint URL");
    await url.fill("ftp://files.example.com/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByRole("alert").filter({ hasText: "URL must use http or https" }).waitFor();
    await expect(url.getAttribute("aria-invalid")).resolves.toBe("true");

    await url.fill(receiver.url());
    await page.getByLabel(/^Description/).fill("Loopback receiver");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const endpointRow = page.getByRole("row").filter({ hasText: receiver.url() });
    await endpointRow.waitFor();
    await expect(endpointRow.locator("[data-status]").getAttribute("data-status")).resolves.toBe("enabled");

    // Disable and enable again.
    await endpointRow.getByRole("button", { name: "Disable" }).click();
    await expect
      .poll(() => endpointRow.locator("[data-status]").getAttribute("data-status"))
      .toBe("disabled");
    await endpointRow.getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => endpointRow.locator("[data-status]").getAttribute("data-status")).toBe("enabled");

    // The secret is hidden until revealed; the receiver verifies with what the portal shows.
    const secret = page.getByTestId("webhook-secret");
    await expect(secret.textContent()).resolves.toContain("••••");
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    const firstSecret = (await secret.textContent()) ?? "";
    await page.getByRole("button", { name: "Copy secret" }).click();
    await page.getByRole("button", { name: "Copied ✓" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(firstSecret);

    // Rotate (confirmed): a new secret, shown at once; the receiver switches to it.
    await page.getByRole("button", { name: "Rotate" }).click();
    await page
      .getByRole("group", { name: /Rotate the secret/ })
      .getByRole("button", { name: "Rotate" })
      .click();
    await page.getByText("New secret in use").waitFor();
    await expect.poll(() => secret.textContent()).not.toBe(firstSecret);
    receiver.state.secret = (await secret.textContent()) ?? "";
    expect(receiver.state.secret).toMatch(/^whsec_/);
    await page.getByText("Verify signatures (Node.js)").click();
    await page.getByLabel("Signature verification code").waitFor();
    await e2e.portal.shoot("webhooks-02-endpoint-and-secret");

    // A test-mode job completes on the sandbox tester: its delivery shows up, delivered.
    const prisma = e2e.server.platform.database.prisma;
    const org = await prisma.organization.findFirstOrThrow({ where: { name: owner.org } });
    const { key } = await e2e.server.platform.services.apiKeys.create(org.id, {
      name: "hooks",
      mode: "test",
    });
    const postJob = async (title: string) => {
      const created = await e2e.server.rest("POST", "/api/jobs", key, {
        url: "https://shop.example.com/checkout",
        title,
        description: "Add an item to the cart and check out.",
      });
      expect(created.status).toBeLessThan(300);
      return (created.json as { jobId: string }).jobId;
    };
    const okJob = await postJob("Webhook success");
    const rows = page.getByTestId("delivery-row");
    const first = rows.first();
    await expect
      .poll(() => first.locator("[data-status]").getAttribute("data-status"), { timeout: 30_000 })
      .toBe("delivered");
    await expect(first.textContent()).resolves.toContain("run.completed");
    await expect(first.textContent()).resolves.toContain("HTTP 200");
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? "{}")).toMatchObject({ id: okJob, status: "completed" });

    // The detail: payload and response.
    await first.getByRole("button", { name: "Details" }).click();
    const detail = page.getByRole("region", { name: /^Delivery/ });
    await detail.getByLabel("Delivery payload").waitFor();
    await expect(detail.getByLabel("Delivery payload").textContent()).resolves.toContain(okJob);
    await expect(detail.getByTestId("delivery-response").textContent()).resolves.toBe("HTTP 200");
    await e2e.portal.shoot("webhooks-03-delivered");
    await detail.getByRole("button", { name: "Close" }).click();

    // The receiver breaks: the next job's delivery fails.
    receiver.state.status = 500;
    const badJob = await postJob("Webhook failure");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    await expect
      .poll(() => first.locator("[data-status]").getAttribute("data-status"), { timeout: 30_000 })
      .toBe("failed");
    await expect(first.textContent()).resolves.toContain("HTTP 500");
    const failedId = (await first.getAttribute("data-delivery-id")) ?? "";
    await page.getByLabel("Status").selectOption("failed");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    await first.getByRole("button", { name: "Details" }).click();
    await expect(detail.getByTestId("delivery-response").textContent()).resolves.toBe("HTTP 500");
    await expect(detail.getByLabel("Delivery payload").textContent()).resolves.toContain(badJob);
    await expectAccessible(page, "webhooks");
    await e2e.portal.shoot("webhooks-04-failed");

    // Fixed: Redeliver sends it again as a new delivery, which is delivered.
    receiver.state.status = 200;
    await page.getByLabel("Status").selectOption("");
    await detail.getByRole("button", { name: "Redeliver" }).click();
    await expect
      .poll(() => detail.locator("h2 [data-status]").getAttribute("data-status"), { timeout: 30_000 })
      .toBe("delivered");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    // The list polls: it follows within a refresh.
    // The queue's worker delivers, then the list's 3 s refresh shows it: allow for a loaded machine.
    await expect
      .poll(() => first.locator("[data-status]").getAttribute("data-status"), { timeout: 30_000 })
      .toBe("delivered");
    const resentId = (await first.getAttribute("data-delivery-id")) ?? "";
    expect(resentId).not.toBe(failedId);
    // The failed delivery keeps its history.
    await expect(
      rows.filter({ has: page.locator(`[data-delivery-id="${failedId}"]`) }).count(),
    ).resolves.toBeLessThanOrEqual(1);
    await expect(
      page.locator(`[data-delivery-id="${failedId}"] [data-status]`).getAttribute("data-status"),
    ).resolves.toBe("failed");
    const last = receiver.received.at(-1);
    expect(last?.verified).toBe(true);
    expect(last?.headers["eyeball-delivery"]).toBe(resentId);
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({ id: badJob });
    await expectAccessible(page, "webhooks");
    await e2e.portal.shoot("webhooks-05-redelivered");

    // Delete (confirmed): the endpoint and its deliveries go.
    await endpointRow.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("group", { name: /Delete this endpoint/ })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByText("No endpoints yet").waitFor();
    await page.getByText("No deliveries yet").waitFor();
  });
});
