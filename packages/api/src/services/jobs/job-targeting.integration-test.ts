// Job targeting on both engines: category and participant filters by id or slug, 400 on unknown ones, shown in the views.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import {
  type InstahumanApp,
  type InstahumanOrg,
  startInstahumanApp,
} from "../../rest/routes/instahuman-testing";

const base = { url: "https://example.com", description: "Check that the signup form works" };

describeEachEngine("job targeting", (getDb) => {
  let app: InstahumanApp;
  let org: InstahumanOrg;

  beforeAll(async () => {
    app = await startInstahumanApp(getDb());
    await app.services.catalogs.seedDefaults();
    org = await app.newOrg();
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (
    input: Record<string, unknown>,
    source: "instahuman" | "runhuman" | "portal" = "instahuman",
  ) => app.h.services.jobs.create(org.live, { ...base, ...input }, { source });

  it("stores a category and filters given by slug or id and returns them in the job view", async () => {
    const filters = (await app.services.catalogs.list("filters")).data;
    const [first, second] = filters;
    if (!first || !second) throw new Error("the default catalog has at least two filters");
    const job = await create({
      categoryId: "usability",
      participantFilterIds: [first.slug, second.id, first.id],
    });
    expect(job.category).toMatchObject({ slug: "usability", name: "Usability" });
    expect(job.participantFilters.map((filter) => filter.id).sort()).toEqual([first.id, second.id].sort());

    const category = job.category;
    if (!category) throw new Error("category stored");
    const byId = await create({ categoryId: category.id }, "runhuman");
    expect(byId.category?.slug).toBe("usability");
    expect(byId.participantFilters).toEqual([]);

    const plain = await create({}, "portal");
    expect(plain.category).toBeNull();
    expect(plain.participantFilters).toEqual([]);

    const res = await app.call(org.liveKey, "GET", `/jobs/${job.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      categoryId: category.id,
      category: { id: category.id, slug: "usability", name: "Usability" },
    });
    expect((res.body.participantFilterIds as string[]).sort()).toEqual([first.id, second.id].sort());
    expect((res.body.participantFilters as { slug: string }[]).map((f) => f.slug).sort()).toEqual(
      [first.slug, second.slug].sort(),
    );
    const listed = await app.call(org.liveKey, "GET", "/jobs?limit=5");
    const entry = (listed.body.data as { id: string; categoryId: string | null }[]).find(
      (j) => j.id === job.id,
    );
    expect(entry?.categoryId).toBe(category.id);
  });

  it.each([
    [{ categoryId: "no-such-category" }, /^categoryId: unknown category "no-such-category"$/],
    [{ categoryId: "" }, /^categoryId: must not be empty/],
    [{ categoryId: 7 }, /^categoryId: must be a string/],
    [{ participantFilterIds: ["nope"] }, /^participantFilterIds: unknown participant filter "nope"$/],
    [{ participantFilterIds: "nope" }, /^participantFilterIds: must be an array/],
  ])("refuses %o with a 400 naming the field and value, writing nothing", async (input, message) => {
    const before = await app.h.db.job.count({ where: { orgId: org.orgId } });
    await expect(create(input)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(message) as unknown,
    });
    expect(await app.h.db.job.count({ where: { orgId: org.orgId } })).toBe(before);
  });

  it("TesterArmy runs take no targeting (their request is strict)", async () => {
    await expect(
      app.h.services.jobs.create(
        org.live,
        { prompt: "Test https://example.com", categoryId: "usability" },
        { source: "testerarmy" },
      ),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
