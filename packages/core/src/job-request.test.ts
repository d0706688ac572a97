import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import {
  createJobRequestSchema,
  createRunRequestSchema,
  extractUrlFromPrompt,
  parseCreateJobRequest,
  parseCreateRunRequest,
} from "./job-request";
import { formatZodError } from "./zod-error";

const minimal = { url: "https://example.com", description: "Test the checkout flow" };

describe("parseCreateJobRequest", () => {
  it("applies the reference defaults", () => {
    expect(parseCreateJobRequest(minimal)).toEqual({
      url: "https://example.com",
      description: "Test the checkout flow",
      targetDurationMinutes: 5,
      allowDurationExtension: true,
      maxExtensionMinutes: false,
      screenSize: "desktop",
      canCreateGithubIssues: false,
      testerCount: 1,
      allowSlotReopen: true,
    });
  });

  it("accepts every parameter", () => {
    const full = {
      ...minimal,
      outputSchema: { checkoutWorks: { type: "boolean", description: "Order placed successfully?" } },
      targetDurationMinutes: 60,
      allowDurationExtension: false,
      maxExtensionMinutes: 10,
      additionalValidationInstructions: "Ignore minor UI glitches in the header.",
      screenSize: { width: 1440, height: 900 },
      repoName: "acme/web-app.v2",
      canCreateGithubIssues: true,
      testerCount: 50,
      projectId: "prj_123",
      title: "Checkout",
      credentials: [{ username: "demo", password: "hunter2" }],
      webhookUrl: "http://localhost:8080/hook",
      allowSlotReopen: false,
    };
    expect(parseCreateJobRequest(full)).toEqual(full);
    expect(
      parseCreateJobRequest({ ...minimal, screenSize: "mobile", targetDurationMinutes: 1 }),
    ).toMatchObject({
      screenSize: "mobile",
      targetDurationMinutes: 1,
    });
  });

  it.each([
    [{ description: "x" }, "url: is required"],
    [{ ...minimal, url: "" }, "url: is required"],
    [{ ...minimal, url: "ftp://example.com" }, "url: must be an absolute http:// or https:// URL"],
    [{ ...minimal, url: "javascript:alert(1)" }, "url: must be an absolute http:// or https:// URL"],
    [{ ...minimal, url: "example.com" }, "url: must be an absolute http:// or https:// URL"],
    [{ ...minimal, url: 42 }, "url: must be a string"],
    [{ url: "https://a.b" }, "description: is required"],
    [{ ...minimal, description: "   " }, "description: must not be empty"],
    [{ ...minimal, description: "x".repeat(20_001) }, "description: must be at most 20000 characters"],
    [{ ...minimal, targetDurationMinutes: 0 }, "targetDurationMinutes: must be between 1 and 60"],
    [{ ...minimal, targetDurationMinutes: 61 }, "targetDurationMinutes: must be between 1 and 60"],
    [
      { ...minimal, targetDurationMinutes: 2.5 },
      "targetDurationMinutes: must be an integer between 1 and 60",
    ],
    [{ ...minimal, targetDurationMinutes: "5" }, "targetDurationMinutes: must be a number"],
    [{ ...minimal, allowDurationExtension: "yes" }, "allowDurationExtension: must be true or false"],
    [
      { ...minimal, maxExtensionMinutes: 0 },
      "maxExtensionMinutes: must be a positive integer or false (unlimited)",
    ],
    [
      { ...minimal, maxExtensionMinutes: 1.5 },
      "maxExtensionMinutes: must be a positive integer or false (unlimited)",
    ],
    [
      { ...minimal, maxExtensionMinutes: true },
      "maxExtensionMinutes: must be a positive integer or false (unlimited)",
    ],
    [
      { ...minimal, screenSize: "huge" },
      "screenSize: must be one of desktop, laptop, tablet, mobile or {width, height}",
    ],
    [
      { ...minimal, screenSize: { width: 100, height: 900 } },
      "screenSize.width: must be an integer between 320 and 7680 pixels",
    ],
    [{ ...minimal, repoName: "not a repo" }, 'repoName: must be a GitHub repository as "owner/repo"'],
    [{ ...minimal, repoName: "owner/.." }, 'repoName: must be a GitHub repository as "owner/repo"'],
    [{ ...minimal, repoName: "-owner/repo" }, 'repoName: must be a GitHub repository as "owner/repo"'],
    [{ ...minimal, canCreateGithubIssues: true }, "canCreateGithubIssues: requires repoName"],
    [{ ...minimal, testerCount: 51 }, "testerCount: must be between 1 and 50"],
    [
      { ...minimal, webhookUrl: "file:///etc/passwd" },
      "webhookUrl: must be an absolute http:// or https:// URL",
    ],
    [
      { ...minimal, credentials: [{ username: "", password: "x" }] },
      "credentials.0.username: must not be empty",
    ],
    [{ ...minimal, credentials: [{ username: "u" }] }, "credentials.0.password: must be a string"],
    [{ ...minimal, credentials: "u:p" }, "credentials: must be an array of {username, password}"],
    [
      { ...minimal, outputSchema: { "bad name": { type: "boolean", description: "" } } },
      /^outputSchema\.bad name: /,
    ],
    [
      { ...minimal, outputSchema: { ok: { type: "date", description: "" } } },
      "outputSchema.ok.type: type must be one of boolean, string, number, array, object",
    ],
    [{ ...minimal, colour: "red" }, "colour: is not a known field"],
    [{ ...minimal, a: 1, b: 2 }, "a: is not a known field; b: is not a known field"],
    [null, /expected object/],
  ])("refuses %j: %s", (input, message) => {
    const error = expectDomainError(() => parseCreateJobRequest(input), "VALIDATION", message);
    expect(error.httpStatus).toBe(400);
  });

  it("reports every failing field, and the first one in details", () => {
    const error = expectDomainError(() => parseCreateJobRequest({ targetDurationMinutes: 99 }), "VALIDATION");
    expect(error.message).toBe(
      "url: is required; description: is required; targetDurationMinutes: must be between 1 and 60",
    );
    expect(error.details).toMatchObject({ field: "url" });
  });

  it("formats zod errors for other packages too", () => {
    const parsed = createJobRequestSchema.safeParse({ ...minimal, testerCount: 0 });
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(formatZodError(parsed.error, ["body"])).toBe("body.testerCount: must be between 1 and 50");
  });

  it("accepts any integer duration in range and refuses any outside (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 200 }), (minutes) => {
        const parsed = createJobRequestSchema.safeParse({ ...minimal, targetDurationMinutes: minutes });
        expect(parsed.success).toBe(minutes >= 1 && minutes <= 60);
      }),
    );
  });
});

describe("TesterArmy runs", () => {
  it("parses a run request", () => {
    expect(
      parseCreateRunRequest({ prompt: "Go to https://example.com/pricing.", webhookUrl: "https://a.b/h" }),
    ).toEqual({
      prompt: "Go to https://example.com/pricing.",
      webhookUrl: "https://a.b/h",
    });
    expectDomainError(() => parseCreateRunRequest({}), "VALIDATION", "prompt: is required");
    expectDomainError(
      () => parseCreateRunRequest({ prompt: "x", url: "https://a.b" }),
      "VALIDATION",
      "url: is not a known field",
    );
    expect(
      createRunRequestSchema.safeParse({ prompt: "x", credentials: [{ username: "a", password: "b" }] })
        .success,
    ).toBe(true);
  });

  it.each([
    ["Go to https://example.com/pricing. Click the Pro plan.", "https://example.com/pricing"],
    ["Test the signup button on https://example.com", "https://example.com"],
    ["Visit (https://example.com/a?b=1&c=2), then stop!", "https://example.com/a?b=1&c=2"],
    ["See https://en.wikipedia.org/wiki/Foo_(bar).", "https://en.wikipedia.org/wiki/Foo_(bar)"],
    ['Open "http://localhost:3000/login"; log in', "http://localhost:3000/login"],
    ["First https://a.example/x, then https://b.example/y", "https://a.example/x"],
    ["HTTPS://EXAMPLE.COM/Path!", "HTTPS://EXAMPLE.COM/Path"],
  ])("finds the URL in %j", (prompt, url) => {
    expect(extractUrlFromPrompt(prompt)).toBe(url);
  });

  it.each(["Test the signup page", "ftp://example.com", "go to https:// now", ""])(
    "refuses %j naming prompt",
    (prompt) => {
      expectDomainError(
        () => extractUrlFromPrompt(prompt),
        "VALIDATION",
        "prompt: must include the URL to test (http:// or https://)",
      );
    },
  );
});
