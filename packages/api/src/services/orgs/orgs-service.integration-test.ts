import { randomBytes } from "node:crypto";

import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { ManualClock } from "../../clock";
import { createApiKeysService } from "../api-keys";
import { type Db } from "../types";
import { createOrgsService, DEMO_ORG_SLUG } from "./orgs-service";

describeEachEngine("orgs service", (getDb) => {
  let db: Db;
  let orgs: ReturnType<typeof createOrgsService>;
  let apiKeys: ReturnType<typeof createApiKeysService>;

  beforeAll(() => {
    db = getDb().prisma;
    const clock = new ManualClock();
    apiKeys = createApiKeysService({ db, clock });
    orgs = createOrgsService({ db, clock, apiKeys });
  });

  it("creates an organisation with a webhook secret, and refuses a taken slug with 409", async () => {
    const slug = `acme-${randomBytes(3).toString("hex")}`;
    const org = await orgs.create({ slug, name: "Acme" });
    expect(org).toMatchObject({ slug, name: "Acme" });
    expect(org).not.toHaveProperty("webhookSecret");
    expect(await orgs.webhookSecret(org.id)).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    await expect(orgs.create({ slug })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^slug:/) as unknown,
    });
    await expect(orgs.getBySlug(slug)).resolves.toEqual(org);
    await expect(orgs.getBySlug("no-such-org")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("validates slugs", async () => {
    for (const slug of ["ab", "Upper", "has space", "-lead", "trail-", "x".repeat(41), "under_score"]) {
      await expect(orgs.create({ slug }), slug).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(/^slug:/) as unknown,
      });
    }
    const ok = `a-${randomBytes(3).toString("hex")}-9`;
    await expect(orgs.create({ slug: ok })).resolves.toMatchObject({ slug: ok, name: ok });
  });

  it("seeds the demo once: org, owner, tester and a test key only the first time", async () => {
    const first = await orgs.seedDemo();
    expect(first.created).toBe(true);
    expect(first.org.slug).toBe(DEMO_ORG_SLUG);
    expect(first.testKey?.key).toMatch(/^eb_test_/);
    await expect(apiKeys.authenticate(first.testKey?.key)).resolves.toMatchObject({
      orgId: first.org.id,
      mode: "test",
    });

    const second = await orgs.seedDemo();
    expect(second.created).toBe(false);
    expect(second.testKey).toBeNull();
    expect(second).toMatchObject({
      org: first.org,
      ownerUserId: first.ownerUserId,
      testerId: first.testerId,
    });
    const membership = await db.membership.findUniqueOrThrow({
      where: { userId_orgId: { userId: first.ownerUserId, orgId: first.org.id } },
    });
    expect(membership.role).toBe("owner");
    expect(await db.testerProfile.count({ where: { id: first.testerId } })).toBe(1);
    expect(await apiKeys.list(first.org.id)).toHaveLength(1);
  });
});
