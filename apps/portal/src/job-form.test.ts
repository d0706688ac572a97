import { describe, expect, it } from "vitest";

import { maxHoldMicros } from "@eyeball/core";

import {
  checkJobForm,
  estimateCost,
  initialJobForm,
  serverFieldErrors,
  toCreateCall,
  toggleFilter,
  toCreateInput,
} from "./job-form";
import { newRow } from "./schema-builder";

const filled = {
  ...initialJobForm(),
  url: "https://shop.example.com",
  description: "Buy something",
};

describe("the new-job form", () => {
  it("builds the jobs.create input, leaving blank optional fields out", () => {
    const input = toCreateInput(
      { ...filled, screen: "custom", customWidth: "1000", customHeight: "700" },
      undefined,
    );
    expect(input).toEqual({
      url: "https://shop.example.com",
      description: "Buy something",
      screenSize: { width: 1000, height: 700 },
      targetDurationMinutes: 5,
      allowDurationExtension: true,
      maxExtensionMinutes: 5,
      testerCount: 1,
      allowSlotReopen: true,
      canCreateGithubIssues: false,
    });
    expect(toCreateInput({ ...filled, maxExtensionMinutes: "" }, undefined).maxExtensionMinutes).toBe(false);
    expect(toCreateInput({ ...filled, screen: "mobile", projectId: "prj_1" }, undefined)).toMatchObject({
      screenSize: "mobile",
      projectId: "prj_1",
    });
  });

  it("checks the form with core's request schema, naming each field", () => {
    const check = checkJobForm({
      ...initialJobForm(),
      url: "ftp://nope",
      screen: "custom",
      customWidth: "100",
      customHeight: "",
      testerCount: "0",
      schemaRows: [newRow({ name: "", description: "d" })],
    });
    expect(check.ok).toBe(false);
    expect(check.errors).toMatchObject({
      url: "must be an absolute http:// or https:// URL",
      description: "must not be empty",
      "screenSize.width": "must be an integer between 320 and 7680 pixels",
      testerCount: "must be between 1 and 50",
    });
    expect(check.schema.messages).toEqual(["Field 1: name is required"]);
    expect(checkJobForm(filled).ok).toBe(true);
  });

  it("maps the server's BAD_REQUEST message onto fields", () => {
    expect(
      serverFieldErrors(
        "url: must be an absolute http:// or https:// URL; screenSize.width: must be an integer",
      ),
    ).toEqual({
      url: "must be an absolute http:// or https:// URL",
      "screenSize.width": "must be an integer",
    });
    expect(serverFieldErrors("projectId: is archived")).toEqual({ projectId: "is archived" });
    expect(serverFieldErrors("insufficient credit: 1 µ$ required")).toEqual({});
  });

  it("estimates the up-front hold with core's helper", () => {
    const estimate = estimateCost({
      ...filled,
      targetDurationMinutes: "10",
      maxExtensionMinutes: "5",
      testerCount: "3",
    });
    // (10 + 5) min × 60 s × $0.0018 × 3 testers = $4.86
    expect(estimate?.holdMicros).toBe(4_860_000);
    expect(estimate?.holdMicros).toBe(
      maxHoldMicros({
        targetDurationMinutes: 10,
        allowDurationExtension: true,
        maxExtensionMinutes: 5,
        testerCount: 3,
      }),
    );
    expect(estimateCost({ ...filled, maxExtensionMinutes: "" })).toMatchObject({
      holdMinutesPerTester: 5,
      unlimitedExtensions: true,
    });
    expect(estimateCost({ ...filled, testerCount: "" })).toBeNull();
  });

  it("defaults to a test job and sends the chosen mode beside the checked request", () => {
    expect(initialJobForm().mode).toBe("test");
    const check = checkJobForm(filled);
    expect(check.ok).toBe(true);
    expect(check.input).not.toHaveProperty("mode");
    expect(toCreateCall(filled, check.input)).toEqual({ ...check.input, mode: "test" });
    expect(toCreateCall({ ...filled, mode: "live" }, check.input).mode).toBe("live");
  });

  it("sends the category and participant filters beside the request, and leaves them out when blank", () => {
    const check = checkJobForm(filled);
    expect(toCreateCall(filled, check.input)).not.toHaveProperty("categoryId");
    expect(toCreateCall(filled, check.input)).not.toHaveProperty("participantFilterIds");
    const targeted = { ...filled, categoryId: "cat_1", participantFilterIds: ["f_2", "f_1"] };
    // Core's strict request schema never sees the targeting fields: the form still checks clean.
    expect(checkJobForm(targeted).ok).toBe(true);
    expect(toCreateCall(targeted, check.input)).toEqual({
      ...check.input,
      categoryId: "cat_1",
      participantFilterIds: ["f_2", "f_1"],
      mode: "test",
    });
    expect(toggleFilter(["a", "b"], "a", false)).toEqual(["b"]);
    expect(toggleFilter(["b"], "a", true)).toEqual(["b", "a"]);
    expect(toggleFilter(["a"], "a", true)).toEqual(["a"]);
  });

  it("places the server's targeting errors on their fields", () => {
    expect(serverFieldErrors('categoryId: unknown category "x"')).toEqual({
      categoryId: 'unknown category "x"',
    });
    expect(serverFieldErrors('participantFilterIds: unknown participant filter "y"')).toEqual({
      participantFilterIds: 'unknown participant filter "y"',
    });
  });
});
