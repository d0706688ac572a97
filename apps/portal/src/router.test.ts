import { describe, expect, it } from "vitest";

import { isPublicRoute, matchRoute } from "./router";

describe("matchRoute", () => {
  it("names every screen by its path", () => {
    expect(matchRoute("/")).toEqual({ name: "home" });
    expect(matchRoute("/sign-in")).toEqual({ name: "sign-in" });
    expect(matchRoute("/sign-up/")).toEqual({ name: "sign-up" });
    expect(matchRoute("/jobs")).toEqual({ name: "jobs" });
    expect(matchRoute("/jobs/job_123")).toEqual({ name: "job", id: "job_123" });
    expect(matchRoute("/jobs/new")).toEqual({ name: "new-job" });
    expect(matchRoute("/api-keys")).toEqual({ name: "api-keys" });
    expect(matchRoute("/projects")).toEqual({ name: "projects" });
    expect(matchRoute("/team")).toEqual({ name: "team" });
    expect(matchRoute("/invite/abc%2Bdef")).toEqual({ name: "invite", token: "abc+def" });
  });

  it("sends anything else to not found", () => {
    expect(matchRoute("/nope")).toEqual({ name: "not-found", path: "/nope" });
    expect(matchRoute("/jobs/a/b")).toEqual({ name: "not-found", path: "/jobs/a/b" });
    expect(matchRoute("/invite")).toEqual({ name: "not-found", path: "/invite" });
    expect(matchRoute("/team/x")).toEqual({ name: "not-found", path: "/team/x" });
  });

  it("knows which screens are public", () => {
    expect(isPublicRoute({ name: "sign-in" })).toBe(true);
    expect(isPublicRoute({ name: "invite", token: "t" })).toBe(true);
    expect(isPublicRoute({ name: "jobs" })).toBe(false);
  });
});
