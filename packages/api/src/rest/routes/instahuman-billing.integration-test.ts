// Instahuman billing routes over HTTP on both engines: ledger-backed balance and holds, auto-reload, 501 payments.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { PAYMENTS_NOT_CONFIGURED } from "./instahuman-billing-routes";
import { type InstahumanApp, type InstahumanOrg, startInstahumanApp } from "./instahuman-testing";

describeEachEngine("Instahuman billing routes", (getDb) => {
  let app: InstahumanApp;
  let org: InstahumanOrg;

  beforeAll(async () => {
    app = await startInstahumanApp(getDb());
    org = await app.newOrg({ creditMicros: 0n });
  });
  afterAll(async () => {
    await app.close();
  });

  it("reads balance, holds and defaults from the ledger for the key's mode", async () => {
    const empty = await app.call(org.liveKey, "GET", "/owner/billing");
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      mode: "live",
      balanceUsd: 0,
      heldUsd: 0,
      availableUsd: 0,
      cardPayments: false,
      autoReload: {
        enabled: false,
        thresholdUsd: null,
        amountUsd: null,
        lastError: null,
        lastAttemptAt: null,
      },
      paymentMethod: null,
      holds: [],
    });

    await app.h.deps.ledger.grantCredits({ orgId: org.orgId, mode: "live", micros: 10_123_456n });
    const job = await app.h.services.jobs.create(
      org.live,
      { url: "https://example.com", description: "Check it", testerCount: 2 },
      { source: "instahuman" },
    );
    const res = await app.call(org.liveKey, "GET", "/owner/billing");
    expect(res.body).toMatchObject({
      mode: "live",
      balanceUsd: 10.123456,
      heldUsd: 1.08,
      availableUsd: 9.043456,
    });
    expect(res.body.holds).toEqual([
      expect.objectContaining({
        jobId: job.id,
        amountUsd: 1.08,
        placedUsd: 1.08,
        capturedUsd: 0,
        releasedUsd: 0,
      }),
    ]);

    await app.h.services.jobs.stop(org.live, job.id);
    const released = await app.call(org.liveKey, "GET", "/owner/billing");
    expect(released.body).toMatchObject({ heldUsd: 0, availableUsd: 10.123456, holds: [] });

    // The test key reads the sandbox books: live credit and holds never show there.
    const sandbox = await app.call(org.testKey, "GET", "/owner/billing");
    expect(sandbox.body).toMatchObject({ mode: "test", balanceUsd: 0, holds: [] });
    expect((await fetch(`${app.base}/owner/billing`)).status).toBe(401);
  });

  it("stores auto-reload settings and validates them, naming the field", async () => {
    const owner = await app.newOrg();
    const path = "/owner/billing/auto-reload";
    for (const [body, field] of [
      [{ enabled: true, amountUsd: 20 }, "thresholdUsd"],
      [{ enabled: true, thresholdUsd: 5 }, "amountUsd"],
      [{ enabled: "yes", thresholdUsd: 5, amountUsd: 20 }, "enabled"],
      [{ enabled: true, thresholdUsd: -1, amountUsd: 20 }, "thresholdUsd"],
      [{ enabled: true, thresholdUsd: 5, amountUsd: 0.5 }, "amountUsd"],
      [{ enabled: true, thresholdUsd: 5.0000001, amountUsd: 20 }, "thresholdUsd"],
      [{ enabled: true, thresholdUsd: 5, amountUsd: 1e9 }, "amountUsd"],
      [{ enabled: true, thresholdUsd: "5", amountUsd: 20 }, "thresholdUsd"],
    ] as const) {
      const res = await app.call(owner.liveKey, "POST", path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe("validation_error");
      expect(String(res.body.message), JSON.stringify(body)).toMatch(new RegExp(`^${field}: `));
    }

    const saved = await app.call(owner.liveKey, "POST", path, {
      enabled: true,
      thresholdUsd: 5.5,
      amountUsd: 25,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.autoReload).toEqual({
      enabled: true,
      thresholdUsd: 5.5,
      amountUsd: 25,
      lastError: null,
      lastAttemptAt: null,
    });
    const settings = await app.h.db.billingSettings.findUniqueOrThrow({ where: { orgId: owner.orgId } });
    expect(settings).toMatchObject({
      autoReloadThresholdMicros: 5_500_000n,
      autoReloadAmountMicros: 25_000_000n,
    });

    // Disabling keeps the amounts for next time.
    const disabled = await app.call(owner.liveKey, "POST", path, { enabled: false });
    expect(disabled.body.autoReload).toEqual({
      enabled: false,
      thresholdUsd: 5.5,
      amountUsd: 25,
      lastError: null,
      lastAttemptAt: null,
    });
    expect((await app.call(owner.liveKey, "GET", "/owner/billing")).body.autoReload).toEqual({
      enabled: false,
      thresholdUsd: 5.5,
      amountUsd: 25,
      lastError: null,
      lastAttemptAt: null,
    });

    const fromTestKey = await app.call(owner.testKey, "POST", path, { enabled: false });
    expect(fromTestKey.status).toBe(403);
  });

  it("card payment endpoints answer 501 payments_not_configured (after authentication)", async () => {
    for (const path of [
      "/owner/billing/add-credits",
      "/owner/billing/setup",
      "/owner/billing/detach-method",
    ]) {
      const res = await app.call(org.liveKey, "POST", path, { amountUsd: 10 });
      expect(res.status, path).toBe(501);
      expect(res.body).toEqual(PAYMENTS_NOT_CONFIGURED);
      expect((await fetch(`${app.base}${path}`, { method: "POST" })).status).toBe(401);
    }
  });
});
