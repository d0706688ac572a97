import { randomBytes } from "node:crypto";

import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type AppServices, createAccessServices } from "../app-services";
import { ManualClock } from "../clock";
import { apiConfig } from "../config";
import { createContextFromRequest, createContextInner } from "../context";
import { createCaller } from "../root";
import { trpcError } from "./testing/trpc-error";

describeEachEngine(
  "tRPC routers",
  (getDb) => {
    let services: AppServices;
    let orgId: string;
    let owner: Actor;
    const admin: Actor = { kind: "user", userId: "admin", orgId: null, isAdmin: true };
    const caller = (actor?: Actor) =>
      createCaller(createContextInner({ services, ...(actor ? { actor } : {}) }));

    beforeAll(async () => {
      const db = getDb().prisma;
      const clock = new ManualClock();
      services = { db, clock, config: apiConfig(), ...createAccessServices({ db, clock }) };
      await services.catalogs.seedDefaults();
      const org = await services.orgs.create({ slug: `rt-${randomBytes(3).toString("hex")}` });
      orgId = org.id;
      const user = await db.user.create({ data: { email: `${org.slug}@example.test`, name: "Owner" } });
      owner = { kind: "user", userId: user.id, orgId, isAdmin: false };
    });

    it("health.check answers without credentials", async () => {
      await expect(caller().health.check()).resolves.toEqual({ status: "ok", database: "ok" });
    });

    it("apiKeys: an owner creates (secret once), lists, revokes and deletes", async () => {
      const created = await caller(owner).apiKeys.create({ name: "ci", mode: "test" });
      expect(created.key).toMatch(/^eb_test_/);
      expect(created.apiKey.createdByUserId).toBe(owner.kind === "user" ? owner.userId : null);
      const listed = await caller(owner).apiKeys.list();
      expect(listed.map((k) => k.id)).toContain(created.apiKey.id);
      expect(JSON.stringify(listed)).not.toContain(created.key);
      const revoked = await caller(owner).apiKeys.revoke({ id: created.apiKey.id });
      expect(revoked.revokedAt).not.toBeNull();
      await expect(caller(owner).apiKeys.delete({ id: created.apiKey.id })).resolves.toEqual({
        id: created.apiKey.id,
        deleted: true,
      });
    });

    it("converts domain errors with the table's codes", async () => {
      expect((await trpcError(caller().apiKeys.list())).code).toBe("UNAUTHORIZED");
      const other = await services.orgs.create({ slug: `ot-${randomBytes(3).toString("hex")}` });
      const { apiKey } = await services.apiKeys.create(other.id, { name: "theirs", mode: "test" });
      const forbidden = await trpcError(caller(owner).apiKeys.revoke({ id: apiKey.id }));
      expect(forbidden.code).toBe("FORBIDDEN");
      expect((await trpcError(caller(owner).apiKeys.revoke({ id: "nope" }))).code).toBe("NOT_FOUND");
      expect((await trpcError(caller(owner).orgs.create({ slug: "x-y-z" }))).code).toBe("FORBIDDEN");
      const conflict = await trpcError(caller(admin).orgs.create({ slug: other.slug }));
      expect(conflict.code).toBe("CONFLICT");
      expect(conflict.message).toMatch(/already taken/);
    });

    it("turns input errors into BAD_REQUEST naming the field", async () => {
      const error = await trpcError(caller(owner).apiKeys.create({ name: "", mode: "test" }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toBe("name: must not be empty");
      const slug = await trpcError(caller(admin).orgs.create({ slug: "Bad Slug" }));
      expect(slug.code).toBe("BAD_REQUEST");
      expect(slug.message).toMatch(/^slug: /);
    });

    it("API keys may not manage keys, but may read their organisation", async () => {
      const { key } = await services.apiKeys.create(orgId, { name: "int", mode: "live" });
      const ctx = await createContextFromRequest(services, { headers: { authorization: `Bearer ${key}` } });
      expect(ctx.actor).toMatchObject({ kind: "apiKey", orgId });
      const integrator = createCaller(ctx);
      await expect(integrator.orgs.current()).resolves.toMatchObject({ id: orgId });
      expect((await trpcError(integrator.apiKeys.list())).code).toBe("FORBIDDEN");
    });

    it("a bad key fails protected procedures with its reason but not public ones", async () => {
      const ctx = await createContextFromRequest(services, {
        headers: { authorization: "Bearer eb_live_nope" },
      });
      const anonymous = createCaller(ctx);
      await expect(anonymous.health.check()).resolves.toMatchObject({ status: "ok" });
      const error = await trpcError(anonymous.orgs.current());
      expect(error.code).toBe("UNAUTHORIZED");
      expect(error.message).toMatch(/Malformed API key/);
    });

    it("catalogs.list pages", async () => {
      const first = await caller().catalogs.list({ kind: "categories", limit: 5 });
      expect(first.data).toHaveLength(5);
      expect(first.next).not.toBeNull();
      const second = await caller().catalogs.list({ kind: "categories", limit: 5, cursor: first.next });
      expect(second.data[0]?.slug).not.toBe(first.data[0]?.slug);
      const bad = await trpcError(caller().catalogs.list({ kind: "nope" as "categories" }));
      expect(bad.code).toBe("BAD_REQUEST");
      expect(bad.message).toMatch(/^kind: /);
    });

    it("admins list and create organisations; testers are refused", async () => {
      const slug = `ad-${randomBytes(3).toString("hex")}`;
      await expect(caller(admin).orgs.create({ slug, name: "Admin made" })).resolves.toMatchObject({ slug });
      expect((await caller(admin).orgs.list()).map((o) => o.slug)).toContain(slug);
      const tester: Actor = { kind: "tester", userId: "u", testerId: "t" };
      expect((await trpcError(caller(tester).orgs.list())).code).toBe("UNAUTHORIZED");
    });
  },
  { engines: ["pglite"] },
);
