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
    expect(matchRoute("/projects/p_1")).toEqual({ name: "project", id: "p_1" });
    expect(matchRoute("/billing")).toEqual({ name: "billing" });
    expect(matchRoute("/webhooks")).toEqual({ name: "webhooks" });
    expect(matchRoute("/usage")).toEqual({ name: "usage" });
    expect(matchRoute("/admin")).toEqual({ name: "admin", section: "overview" });
    expect(matchRoute("/admin/disputes")).toEqual({ name: "admin", section: "disputes" });
    expect(matchRoute("/admin/disputes/d_1")).toEqual({ name: "admin", section: "disputes", id: "d_1" });
    expect(matchRoute("/admin/testers")).toEqual({ name: "admin", section: "testers" });
    expect(matchRoute("/admin/orgs/")).toEqual({ name: "admin", section: "orgs" });
  });

  it("sends anything else to not found", () => {
    expect(matchRoute("/nope")).toEqual({ name: "not-found", path: "/nope" });
    expect(matchRoute("/jobs/a/b")).toEqual({ name: "not-found", path: "/jobs/a/b" });
    expect(matchRoute("/invite")).toEqual({ name: "not-found", path: "/invite" });
    expect(matchRoute("/team/x")).toEqual({ name: "not-found", path: "/team/x" });
    expect(matchRoute("/admin/overview")).toEqual({ name: "not-found", path: "/admin/overview" });
    expect(matchRoute("/admin/nope")).toEqual({ name: "not-found", path: "/admin/nope" });
    expect(matchRoute("/admin/testers/t_1")).toEqual({ name: "not-found", path: "/admin/testers/t_1" });
    expect(matchRoute("/admin/disputes/d/x")).toEqual({ name: "not-found", path: "/admin/disputes/d/x" });
  });

  it("knows which screens are public", () => {
    expect(isPublicRoute({ name: "sign-in" })).toBe(true);
    expect(isPublicRoute({ name: "invite", token: "t" })).toBe(true);
    expect(isPublicRoute({ name: "jobs" })).toBe(false);
  });
});
