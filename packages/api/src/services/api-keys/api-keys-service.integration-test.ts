import { randomBytes } from "node:crypto";

import { beforeAll, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { ManualClock } from "../../clock";
import { type Db } from "../types";
import { createApiKeysService, LAST_USED_RESOLUTION_MS } from "./api-keys-service";
import { hashApiKey } from "./hash";

async function newOrg(db: Db): Promise<string> {
  const slug = `org-${randomBytes(4).toString("hex")}`;
  const org = await db.organization.create({ data: { slug, name: slug } });
  return org.id;
}

async function expectUnauthorized(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe("UNAUTHORIZED");
  expect((error as DomainError).message).toMatch(message);
}

describeEachEngine("api keys service", (getDb) => {
  let db: Db;
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  let service: ReturnType<typeof createApiKeysService>;

  beforeAll(() => {
    db = getDb().prisma;
    service = createApiKeysService({ db, clock });
  });

  it("creates a key shown once and stores only its SHA-256 hash", async () => {
    const orgId = await newOrg(db);
    const { key, apiKey } = await service.create(orgId, { name: "ci", mode: "test" });
    expect(key).toMatch(/^eb_test_[0-9A-Za-z]{32}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 14));
    expect(apiKey).not.toHaveProperty("hash");
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    const live = await service.create(orgId, { name: "prod", mode: "live" });
    expect(live.key).toMatch(/^eb_live_/);
  });

  it("authenticates a key as its organisation's actor", async () => {
    const orgId = await newOrg(db);
    const { key, apiKey } = await service.create(orgId, { name: "ci", mode: "live" });
    await expect(service.authenticate(`Bearer ${key}`)).resolves.toEqual({
      kind: "apiKey",
      orgId,
      apiKeyId: apiKey.id,
      mode: "live",
    });
    await expect(service.authenticate(key)).resolves.toMatchObject({ apiKeyId: apiKey.id });
  });

  it("tells missing, malformed, unknown and revoked keys apart", async () => {
    const orgId = await newOrg(db);
    const { key, apiKey } = await service.create(orgId, { name: "ci", mode: "test" });
    await expectUnauthorized(service.authenticate(undefined), /Missing API key/);
    await expectUnauthorized(service.authenticate("Bearer nonsense"), /Malformed API key/);
    await expectUnauthorized(service.authenticate(`Bearer eb_test_${"x".repeat(32)}`), /Unknown API key/);
    await service.revoke(orgId, apiKey.id);
    await expectUnauthorized(service.authenticate(`Bearer ${key}`), /revoked/);
  });

  it("records the last use at most once a minute", async () => {
    const orgId = await newOrg(db);
    const { key, apiKey } = await service.create(orgId, { name: "ci", mode: "test" });
    const lastUsed = async () => (await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const first = clock.now();
    await service.authenticate(key);
    expect(await lastUsed()).toEqual(first);

    clock.advance(LAST_USED_RESOLUTION_MS - 1);
    await service.authenticate(key);
    expect(await lastUsed()).toEqual(first);

    const later = clock.advance(1);
    await service.authenticate(key);
    expect(await lastUsed()).toEqual(later);
  });

  it("lists without secrets, revokes and deletes only within the organisation", async () => {
    const orgId = await newOrg(db);
    const otherOrgId = await newOrg(db);
    const a = await service.create(orgId, { name: "a", mode: "test" });
    const b = await service.create(orgId, { name: "b", mode: "live" });
    await service.create(otherOrgId, { name: "c", mode: "test" });

    const listed = await service.list(orgId);
    expect(listed.map((k) => k.name).sort()).toEqual(["a", "b"]);
    expect(JSON.stringify(listed)).not.toMatch(/hash|eb_(live|test)_[0-9A-Za-z]{32}/);

    await expect(service.revoke(otherOrgId, a.apiKey.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(service.revoke(orgId, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const revoked = await service.revoke(orgId, a.apiKey.id);
    expect(revoked.revokedAt).toEqual(clock.now());

    await expect(service.delete(otherOrgId, b.apiKey.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await service.delete(orgId, b.apiKey.id);
    expect((await service.list(orgId)).map((k) => k.id)).toEqual([a.apiKey.id]);
    await expectUnauthorized(service.authenticate(b.key), /Unknown API key/);
  });

  it("validates the input, naming the field", async () => {
    const orgId = await newOrg(db);
    await expect(service.create(orgId, { name: " ", mode: "test" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^name:/) as unknown,
    });
    await expect(service.create(orgId, { name: "x", mode: "prod" as "live" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^mode:/) as unknown,
    });
    await expect(
      service.create("00000000-0000-0000-0000-000000000000", { name: "x", mode: "test" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
