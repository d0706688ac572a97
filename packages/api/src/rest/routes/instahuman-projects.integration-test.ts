// Instahuman project routes over HTTP on both engines: CRUD, archive, delete rules and tester pool flags.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type InstahumanApp, type InstahumanOrg, startInstahumanApp } from "./instahuman-testing";

describeEachEngine("Instahuman project routes", (getDb) => {
  let app: InstahumanApp;
  let org: InstahumanOrg;
  let other: InstahumanOrg;

  beforeAll(async () => {
    app = await startInstahumanApp(getDb());
    org = await app.newOrg();
    other = await app.newOrg();
  });
  afterAll(async () => {
    await app.close();
  });

  async function testerEmail(testerId: string): Promise<string> {
    const profile = await app.h.db.testerProfile.findUniqueOrThrow({
      where: { id: testerId },
      include: { user: true },
    });
    return profile.user.email;
  }

  it("creates (201), gets, patches and scopes a project", async () => {
    const created = await app.call(org.liveKey, "POST", "/projects", {
      name: "  Checkout  ",
      description: "Payment flows",
      slackWebhookUrl: "https://hooks.slack.com/services/T/B/x",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Checkout",
      description: "Payment flows",
      slackWebhookUrl: "https://hooks.slack.com/services/T/B/x",
      archived: false,
      archivedAt: null,
    });
    const id = String(created.body.id);
    expect((await app.call(org.liveKey, "GET", `/projects/${id}`)).body).toMatchObject({
      id,
      name: "Checkout",
    });
    // Projects belong to the organisation, not to a key mode.
    expect((await app.call(org.testKey, "GET", `/projects/${id}`)).status).toBe(200);

    const patched = await app.call(org.liveKey, "PATCH", `/projects/${id}`, {
      name: "Checkout v2",
      slackWebhookUrl: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: "Checkout v2",
      description: "Payment flows",
      slackWebhookUrl: null,
    });

    expect((await app.call(other.liveKey, "GET", `/projects/${id}`)).status).toBe(403);
    expect((await app.call(other.liveKey, "PATCH", `/projects/${id}`, { name: "x" })).status).toBe(403);
    expect((await app.call(other.liveKey, "DELETE", `/projects/${id}`)).status).toBe(403);
    expect((await app.call(org.liveKey, "GET", "/projects/nope")).status).toBe(404);
  });

  it("400 names the field", async () => {
    for (const [body, field] of [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "x", slackWebhookUrl: "ftp://hooks.slack.com/x" }, "slackWebhookUrl"],
      [{ name: "x", description: 5 }, "description"],
      [{ name: "x", extra: true }, ""],
    ] as const) {
      const res = await app.call(org.liveKey, "POST", "/projects", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(String(res.body.message)).toMatch(new RegExp(`^${field}: `));
    }
  });

  it("lists in cursor pages, hiding archived projects unless includeArchived; archive/unarchive", async () => {
    const owner = await app.newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      app.h.clock.advance(1000);
      ids.push((await app.projects.create(owner.live, { name: `P${i}` })).id);
    }
    const archived = await app.call(owner.liveKey, "POST", `/projects/${ids[1]}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ archived: true });
    expect(typeof archived.body.archivedAt).toBe("string");
    // Idempotent.
    expect((await app.call(owner.liveKey, "POST", `/projects/${ids[1]}/archive`)).body.archivedAt).toBe(
      archived.body.archivedAt,
    );

    const active = await app.call(owner.liveKey, "GET", "/projects");
    expect((active.body.data as { id: string }[]).map((p) => p.id)).toEqual([ids[2], ids[0]]);
    expect(active.body.next).toBeNull();

    const first = await app.call(owner.liveKey, "GET", "/projects?includeArchived=true&limit=2");
    expect((first.body.data as { id: string }[]).map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const second = await app.call(
      owner.liveKey,
      "GET",
      `/projects?includeArchived=true&limit=2&cursor=${String(first.body.next)}`,
    );
    expect((second.body.data as { id: string }[]).map((p) => p.id)).toEqual([ids[0]]);
    expect(second.body.next).toBeNull();
    expect((await app.call(owner.liveKey, "GET", "/projects?limit=0")).status).toBe(400);

    const unarchived = await app.call(owner.liveKey, "POST", `/projects/${ids[1]}/unarchive`);
    expect(unarchived.body).toMatchObject({ archived: false, archivedAt: null });
    expect(((await app.call(owner.liveKey, "GET", "/projects")).body.data as unknown[]).length).toBe(3);
    expect((await app.call(other.liveKey, "POST", `/projects/${ids[1]}/archive`)).status).toBe(403);
  });

  it("DELETE is 409 while a job of the project runs, then 204 detaching finished jobs", async () => {
    const project = await app.projects.create(org.live, { name: "Doomed" });
    const job = await app.h.services.jobs.create(
      org.live,
      { url: "https://example.com", description: "Check it", projectId: project.id },
      { source: "instahuman" },
    );
    const refused = await app.call(org.liveKey, "DELETE", `/projects/${project.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe("conflict");
    expect(String(refused.body.message)).toMatch(/1 job still running/);

    await app.h.services.jobs.cancel(org.live, job.id);
    const deleted = await fetch(`${app.base}/projects/${project.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${org.liveKey}` },
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect((await app.call(org.liveKey, "GET", `/projects/${project.id}`)).status).toBe(404);
    const kept = await app.h.services.jobs.get(org.live, job.id);
    expect(kept).toMatchObject({ status: "cancelled", projectId: null });
  });

  it("manages the tester pool: add by email or id, flags, conflicts, removal", async () => {
    const project = await app.projects.create(org.live, { name: "Pool" });
    const t1 = await app.h.newTester();
    const t2 = await app.h.newTester();
    const path = `/projects/${project.id}/testers`;

    const byEmail = await app.call(org.liveKey, "POST", path, {
      email: (await testerEmail(t1)).toUpperCase(),
      preferred: true,
    });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body).toMatchObject({
      projectId: project.id,
      testerId: t1,
      preferred: true,
      blocked: false,
    });
    expect(byEmail.body).not.toHaveProperty("email");

    const byId = await app.call(org.liveKey, "POST", path, { testerId: t2, blocked: true, notes: "rushes" });
    expect(byId.status).toBe(201);
    expect(byId.body).toMatchObject({ testerId: t2, blocked: true, notes: "rushes" });

    const duplicate = await app.call(org.liveKey, "POST", path, { testerId: t2 });
    expect(duplicate.status).toBe(409);
    const unknown = await app.call(org.liveKey, "POST", path, { email: "nobody@example.test" });
    expect(unknown.status).toBe(404);
    expect(String(unknown.body.message)).toContain("nobody@example.test");
    expect((await app.call(org.liveKey, "POST", path, { testerId: "missing" })).status).toBe(404);
    const neither = await app.call(org.liveKey, "POST", path, { preferred: true });
    expect(neither.status).toBe(400);
    expect(String(neither.body.message)).toMatch(/^email: /);
    const both = await app.call(org.liveKey, "POST", path, { email: "a@b.test", testerId: t1 });
    expect(both.status).toBe(400);
    expect((await app.call(org.liveKey, "POST", path, { email: "not-an-email" })).status).toBe(400);

    const listed = await app.call(org.liveKey, "GET", path);
    expect(listed.status).toBe(200);
    expect((listed.body.data as { testerId: string }[]).map((t) => t.testerId).sort()).toEqual(
      [t1, t2].sort(),
    );

    const conflicting = await app.call(org.liveKey, "PATCH", `${path}/${t1}`, { blocked: true });
    expect(conflicting.status).toBe(400);
    expect(String(conflicting.body.message)).toMatch(/^blocked: /);
    const flipped = await app.call(org.liveKey, "PATCH", `${path}/${t1}`, {
      preferred: false,
      blocked: true,
    });
    expect(flipped.status).toBe(200);
    expect(flipped.body).toMatchObject({ testerId: t1, preferred: false, blocked: true });
    expect((await app.call(org.liveKey, "PATCH", `${path}/${t1}`, { preferred: "yes" })).status).toBe(400);

    expect((await app.call(other.liveKey, "GET", path)).status).toBe(403);
    expect((await app.call(other.liveKey, "POST", path, { testerId: t1 })).status).toBe(403);
    expect((await app.call(other.liveKey, "PATCH", `${path}/${t1}`, { blocked: false })).status).toBe(403);
    expect((await app.call(other.liveKey, "DELETE", `${path}/${t1}`)).status).toBe(403);
    expect((await app.call(org.liveKey, "GET", "/projects/nope/testers")).status).toBe(404);

    expect((await app.call(org.liveKey, "DELETE", `${path}/${t1}`)).status).toBe(204);
    expect((await app.call(org.liveKey, "DELETE", `${path}/${t1}`)).status).toBe(404);
    expect((await app.call(org.liveKey, "PATCH", `${path}/${t1}`, { blocked: false })).status).toBe(404);
    expect(((await app.call(org.liveKey, "GET", path)).body.data as unknown[]).length).toBe(1);
  });
});
