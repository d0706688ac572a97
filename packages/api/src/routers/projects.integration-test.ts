// projects.* through the caller on both engines: CRUD, paging, archive, delete rules, tester pool, scoping and errors.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { trpcError } from "./testing/trpc-error";

describeEachEngine("projects router", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  let other: TestOrg;

  const caller = (actor?: Actor) =>
    createCaller(createContextInner({ services, ...(actor ? { actor } : {}) }));

  async function testerEmail(testerId: string): Promise<string> {
    const profile = await h.db.testerProfile.findUniqueOrThrow({
      where: { id: testerId },
      include: { user: true },
    });
    return profile.user.email;
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    org = await h.newOrg();
    other = await h.newOrg();
  });

  afterAll(async () => {
    await h.close();
  });

  it("creates, gets and updates a project, for a signed-in owner and an API key alike", async () => {
    const created = await caller(org.owner).projects.create({
      name: "  Checkout  ",
      description: "Payment flows",
      slackWebhookUrl: "https://hooks.slack.com/services/T/B/x",
    });
    expect(created).toMatchObject({
      orgId: org.orgId,
      name: "Checkout",
      description: "Payment flows",
      slackWebhookUrl: "https://hooks.slack.com/services/T/B/x",
      archived: false,
      archivedAt: null,
    });
    // Projects belong to the organisation, not to a key mode.
    await expect(caller(org.live).projects.get({ id: created.id })).resolves.toMatchObject({
      id: created.id,
      name: "Checkout",
    });
    await expect(caller(org.test).projects.get({ id: created.id })).resolves.toMatchObject({
      id: created.id,
    });

    const updated = await caller(org.live).projects.update({
      id: created.id,
      name: "Checkout v2",
      slackWebhookUrl: null,
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: "Checkout v2",
      description: "Payment flows",
      slackWebhookUrl: null,
    });
    // An empty change set changes nothing.
    await expect(caller(org.owner).projects.update({ id: created.id })).resolves.toMatchObject({
      name: "Checkout v2",
    });
  });

  it("lists newest first in cursor pages, hiding archived projects unless asked; archive is idempotent", async () => {
    const owner = await h.newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      ids.push((await caller(owner.owner).projects.create({ name: `P${i}` })).id);
    }
    const [p0, p1, p2] = ids;

    const archived = await caller(owner.live).projects.archive({ id: p1 ?? "" });
    expect(archived).toMatchObject({ id: p1, archived: true });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    h.clock.advance(1000);
    const again = await caller(owner.live).projects.archive({ id: p1 ?? "" });
    expect(again.archivedAt).toEqual(archived.archivedAt);

    const active = await caller(owner.owner).projects.list({});
    expect(active.data.map((p) => p.id)).toEqual([p2, p0]);
    expect(active.next).toBeNull();

    const first = await caller(owner.owner).projects.list({ includeArchived: true, limit: 2 });
    expect(first.data.map((p) => p.id)).toEqual([p2, p1]);
    expect(first.next).toEqual(expect.any(String));
    const second = await caller(owner.owner).projects.list({
      includeArchived: true,
      limit: 2,
      cursor: first.next,
    });
    expect(second.data.map((p) => p.id)).toEqual([p0]);
    expect(second.next).toBeNull();

    const unarchived = await caller(owner.owner).projects.unarchive({ id: p1 ?? "" });
    expect(unarchived).toMatchObject({ archived: false, archivedAt: null });
    expect((await caller(owner.owner).projects.list({})).data).toHaveLength(3);
    // Another organisation's projects never show up.
    expect((await caller(org.owner).projects.list({ limit: 100 })).data.map((p) => p.id)).not.toContain(p0);
  });

  it("delete is CONFLICT while a job of the project runs, then removes it and keeps finished jobs", async () => {
    const project = await caller(org.owner).projects.create({ name: "Doomed" });
    const job = await h.services.jobs.create(
      org.live,
      { url: "https://example.com", description: "Check it", projectId: project.id },
      { source: "instahuman" },
    );
    const refused = await trpcError(caller(org.owner).projects.delete({ id: project.id }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(/1 job still running/);

    await h.services.jobs.cancel(org.live, job.id);
    await expect(caller(org.owner).projects.delete({ id: project.id })).resolves.toEqual({
      id: project.id,
      deleted: true,
    });
    expect((await trpcError(caller(org.owner).projects.get({ id: project.id }))).code).toBe("NOT_FOUND");
    const kept = await h.db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(kept).toMatchObject({ status: "cancelled", projectId: null });
  });

  it("manages the tester pool: add by email or id with flags, update flags, remove", async () => {
    const project = await caller(org.owner).projects.create({ name: "Pool" });
    const alice = await h.newTester();
    const bob = await h.newTester();

    const added = await caller(org.owner).projects.testers.add({
      id: project.id,
      email: (await testerEmail(alice)).toUpperCase(),
      preferred: true,
      notes: "knows the checkout",
    });
    expect(added).toMatchObject({
      projectId: project.id,
      testerId: alice,
      preferred: true,
      blocked: false,
      notes: "knows the checkout",
    });
    // The owner sees the tester's public identity, never the email.
    expect(JSON.stringify(added)).not.toContain("@example.test");
    await caller(org.live).projects.testers.add({ id: project.id, testerId: bob, blocked: true });

    const duplicate = await trpcError(
      caller(org.owner).projects.testers.add({ id: project.id, email: await testerEmail(alice) }),
    );
    expect(duplicate.code).toBe("CONFLICT");
    const nobody = await trpcError(
      caller(org.owner).projects.testers.add({ id: project.id, email: "nobody@example.test" }),
    );
    expect(nobody.code).toBe("NOT_FOUND");
    expect(nobody.message).toMatch(/nobody@example\.test/);

    const pool = await caller(org.owner).projects.testers.list({ id: project.id });
    expect(pool.map((entry) => [entry.testerId, entry.preferred, entry.blocked])).toEqual([
      [alice, true, false],
      [bob, false, true],
    ]);

    const both = await trpcError(
      caller(org.owner).projects.testers.update({ id: project.id, testerId: alice, blocked: true }),
    );
    expect(both.code).toBe("BAD_REQUEST");
    expect(both.message).toMatch(/^blocked: /);
    const flipped = await caller(org.owner).projects.testers.update({
      id: project.id,
      testerId: alice,
      preferred: false,
      blocked: true,
      notes: null,
    });
    expect(flipped).toMatchObject({ testerId: alice, preferred: false, blocked: true, notes: null });

    await expect(
      caller(org.owner).projects.testers.remove({ id: project.id, testerId: bob }),
    ).resolves.toEqual({ id: project.id, testerId: bob, removed: true });
    expect(
      (await caller(org.owner).projects.testers.list({ id: project.id })).map((e) => e.testerId),
    ).toEqual([alice]);
    const gone = await trpcError(
      caller(org.owner).projects.testers.remove({ id: project.id, testerId: bob }),
    );
    expect(gone.code).toBe("NOT_FOUND");
    const notPooled = await trpcError(
      caller(org.owner).projects.testers.update({ id: project.id, testerId: bob, preferred: true }),
    );
    expect(notPooled.code).toBe("NOT_FOUND");
  });

  it("another organisation's project is FORBIDDEN, an unknown one NOT_FOUND", async () => {
    const project = await caller(org.owner).projects.create({ name: "Mine" });
    const tester = await h.newTester();
    await caller(org.owner).projects.testers.add({ id: project.id, testerId: tester });
    const id = project.id;
    const theirs = caller(other.live).projects;
    for (const call of [
      () => theirs.get({ id }),
      () => theirs.update({ id, name: "Stolen" }),
      () => theirs.archive({ id }),
      () => theirs.unarchive({ id }),
      () => caller(other.owner).projects.delete({ id }),
      () => theirs.testers.list({ id }),
      () => theirs.testers.add({ id, testerId: tester }),
      () => theirs.testers.update({ id, testerId: tester, blocked: true }),
      () => theirs.testers.remove({ id, testerId: tester }),
    ]) {
      expect((await trpcError(call())).code).toBe("FORBIDDEN");
    }
    await expect(caller(org.owner).projects.get({ id })).resolves.toMatchObject({ name: "Mine" });

    for (const call of [
      () => caller(org.owner).projects.get({ id: "nope" }),
      () => caller(org.owner).projects.update({ id: "nope", name: "x" }),
      () => caller(org.owner).projects.archive({ id: "nope" }),
      () => caller(org.owner).projects.delete({ id: "nope" }),
      () => caller(org.owner).projects.testers.list({ id: "nope" }),
      () => caller(org.owner).projects.testers.add({ id, testerId: "no-such-tester" }),
    ]) {
      expect((await trpcError(call())).code).toBe("NOT_FOUND");
    }
  });

  it("bad input is BAD_REQUEST naming the field", async () => {
    const project = await caller(org.owner).projects.create({ name: "Inputs" });
    const cases: [Promise<unknown>, RegExp][] = [
      [caller(org.owner).projects.create({ name: "" }), /^name: must not be empty/],
      [caller(org.owner).projects.create({} as { name: string }), /^name: /],
      [
        caller(org.owner).projects.create({ name: "x", slackWebhookUrl: "ftp://hooks.slack.com/x" }),
        /^slackWebhookUrl: /,
      ],
      [
        caller(org.owner).projects.create({ name: "x", description: 5 as unknown as string }),
        /^description: /,
      ],
      [caller(org.owner).projects.list({ limit: 0 }), /^limit: /],
      [caller(org.owner).projects.list({ cursor: "not-a-cursor" }), /^cursor: /],
      [caller(org.owner).projects.get({ id: "" }), /^id: /],
      [caller(org.owner).projects.update({ id: project.id, name: " " }), /^name: /],
      [caller(org.owner).projects.testers.add({ id: project.id, email: "not an email" }), /^email: /],
      [caller(org.owner).projects.testers.add({ id: project.id }), /^email: give either email or testerId/],
      [
        caller(org.owner).projects.testers.add({
          id: project.id,
          testerId: "t",
          preferred: true,
          blocked: true,
        }),
        /^blocked: /,
      ],
      [
        caller(org.owner).projects.testers.update({
          id: project.id,
          testerId: "t",
          preferred: "yes" as unknown as boolean,
        }),
        /^preferred: /,
      ],
    ];
    for (const [call, message] of cases) {
      const error = await trpcError(call);
      expect(error.code, String(message)).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
    }
    // Unknown fields are refused rather than ignored.
    const extra = await trpcError(
      caller(org.owner).projects.create({ name: "x", extra: true } as { name: string }),
    );
    expect(extra.code).toBe("BAD_REQUEST");
  });

  it("anonymous callers and testers are UNAUTHORIZED; a user with no organisation FORBIDDEN", async () => {
    expect((await trpcError(caller().projects.list({}))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(caller().projects.create({ name: "x" }))).code).toBe("UNAUTHORIZED");
    const tester: Actor = { kind: "tester", userId: "u", testerId: await h.newTester() };
    expect((await trpcError(caller(tester).projects.list({}))).code).toBe("UNAUTHORIZED");
    const homeless: Actor = { kind: "user", userId: org.owner.userId, orgId: null, isAdmin: false };
    expect((await trpcError(caller(homeless).projects.list({}))).code).toBe("FORBIDDEN");
  });

  it("a host that did not compose the projects service answers INTERNAL, not a crash", async () => {
    const { projects: _projects, ...withoutProjects } = services;
    const bare = createCaller(createContextInner({ services: withoutProjects, actor: org.owner }));
    expect((await trpcError(bare.projects.list({}))).code).toBe("INTERNAL_SERVER_ERROR");
  });
});
