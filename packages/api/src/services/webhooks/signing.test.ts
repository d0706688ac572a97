import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { signWebhook, verifyWebhookSignature } from "./signing";

describe("webhook signing", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ id: "job_1", status: "completed" });
  const at = new Date("2030-01-01T00:00:00Z");

  it("signs t.body with HMAC-SHA256", () => {
    const header = signWebhook(secret, at, body);
    const t = at.getTime() / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`);
    expect(signWebhook(secret, t, body)).toBe(header);
  });

  it("verifies within the tolerance only", () => {
    const header = signWebhook(secret, at, body);
    expect(verifyWebhookSignature(secret, header, body, { now: at })).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, { now: new Date(at.getTime() + 299_000) })).toBe(
      true,
    );
    expect(verifyWebhookSignature(secret, header, body, { now: new Date(at.getTime() + 301_000) })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(secret, header, body, {
        now: new Date(at.getTime() + 3_000_000),
        toleranceSeconds: 3_600,
      }),
    ).toBe(true);
  });

  it("rejects a wrong secret, a changed body, and malformed headers", () => {
    const header = signWebhook(secret, at, body);
    expect(verifyWebhookSignature("whsec_other", header, body, { now: at })).toBe(false);
    expect(verifyWebhookSignature(secret, header, `${body} `, { now: at })).toBe(false);
    for (const bad of [
      undefined,
      "",
      "t=1",
      "v1=abc",
      `t=x,v1=${"0".repeat(64)}`,
      header.replace(/v1=../, "v1=zz"),
    ]) {
      expect(verifyWebhookSignature(secret, bad, body, { now: at })).toBe(false);
    }
  });

  it("accepts any of several v1 signatures (rotation)", () => {
    const header = signWebhook(secret, at, body);
    const old = signWebhook("whsec_old", at, body).split(",")[1];
    expect(verifyWebhookSignature(secret, `${header},${old}`, body, { now: at })).toBe(true);
    expect(verifyWebhookSignature("whsec_old", `${header},${old}`, body, { now: at })).toBe(true);
  });
});
