// tester.signIn / signOut / me / profile through the caller, and a tester token over HTTP next to an API key.
import { randomUUID } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextFromRequest, createContextInner } from "../context";
import { type AppRouter, appRouter, createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { SIGN_IN_FAILED, TESTER_AUTH_MESSAGES } from "../services/tester-auth";
import { trpcError } from "./testing/trpc-error";

const PASSWORD = "a long enough password";

describeEachEngine("tester sign-in and profile routers", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;

  const caller = (actor: Actor = { kind: "anonymous" }) =>
    createCaller(createContextInner({ services, actor }));

  async function newTesterWithPassword(): Promise<{ email: string; testerId: string }> {
    const testerId = await h.newTester();
    const profile = await h.db.testerProfile.findUniqueOrThrow({
      where: { id: testerId },
      include: { user: true },
    });
    await services.testerAuth.setPassword(profile.userId, PASSWORD);
    return { email: profile.user.email, testerId };
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    await services.catalogs.seedDefaults();
    org = await h.newOrg();
  });

  afterAll(async () => {
    await h.close();
  });

  it("signIn, me, profile.get/update, signOut through the caller; one message for every sign-in failure", async () => {
    const { email, testerId } = await newTesterWithPassword();
    const signedIn = await caller().tester.signIn({ email, password: PASSWORD });
    expect(signedIn.token).toMatch(/^eb_tst_/);
    expect(signedIn.tester.testerId).toBe(testerId);

    for (const input of [
      { email, password: "wrong password" },
      { email: `nobody-${randomUUID()}@example.test`, password: PASSWORD },
    ]) {
      const error = await trpcError(caller().tester.signIn(input));
      expect(error.code).toBe("UNAUTHORIZED");
      expect(error.message).toBe(SIGN_IN_FAILED);
    }
    expect((await trpcError(caller().tester.signIn({ email: "", password: "x" }))).message).toMatch(
      /^email: /,
    );

    const actor = await services.testerAuth.authenticate(signedIn.token);
    await expect(caller(actor).tester.me()).resolves.toMatchObject({ testerId, email });
    const updated = await caller(actor).tester.profile.update({
      alias: "Nova",
      country: "de",
      languages: ["de", "en-GB"],
      equipmentSlugs: ["desktop-linux"],
      interestSlugs: ["gaming"],
    });
    expect(updated).toMatchObject({
      alias: "Nova",
      country: "DE",
      languages: ["de", "en-GB"],
      equipment: [{ slug: "desktop-linux" }],
      interests: [{ slug: "gaming" }],
    });
    await expect(caller(actor).tester.profile.get()).resolves.toEqual(updated);

    const unknownSlug = await trpcError(
      caller(actor).tester.profile.update({ equipmentSlugs: ["holodeck"] }),
    );
    expect(unknownSlug.code).toBe("BAD_REQUEST");
    expect(unknownSlug.message).toBe('equipmentSlugs: unknown equipment "holodeck"');
    const badCountry = await trpcError(caller(actor).tester.profile.update({ country: "Germany" }));
    expect(badCountry.code).toBe("BAD_REQUEST");
    expect(badCountry.message).toMatch(/^country: /);

    // Owners and API keys are not testers.
    expect((await trpcError(caller(org.live).tester.me())).code).toBe("UNAUTHORIZED");
    expect((await trpcError(caller(org.owner).tester.profile.get())).code).toBe("UNAUTHORIZED");

    await expect(caller(actor).tester.signOut()).resolves.toEqual({ signedOut: true });
    await expect(services.testerAuth.authenticate(signedIn.token)).rejects.toMatchObject({
      message: TESTER_AUTH_MESSAGES.revoked,
    });
  });

  it("over HTTP: Bearer eb_tst_… reaches tester.me and tester.feed; an API key cannot; signOut ends the token", async () => {
    const { email, testerId } = await newTesterWithPassword();
    const app = express();
    app.use(
      "/trpc",
      createExpressMiddleware({
        router: appRouter,
        createContext: ({ req, info }) => createContextFromRequest(services, req, info.connectionParams),
      }),
    );
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    const client = (authorization?: string) =>
      createTRPCClient<AppRouter>({
        links: [httpBatchLink({ url, headers: authorization ? { authorization } : {} })],
      });
    const failure = async (promise: Promise<unknown>) => {
      const error: unknown = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCClientError);
      return error as TRPCClientError<AppRouter>;
    };
    try {
      const { token } = await client().tester.signIn.mutate({ email, password: PASSWORD });
      const tester = client(`Bearer ${token}`);
      await expect(tester.tester.me.query()).resolves.toMatchObject({ testerId, email });
      await expect(tester.tester.feed.query()).resolves.toEqual(expect.any(Array));

      const { key } = await services.apiKeys.create(org.orgId, { name: "not-a-tester", mode: "live" });
      const byKey = await failure(client(`Bearer ${key}`).tester.feed.query());
      expect(["UNAUTHORIZED", "FORBIDDEN"]).toContain(byKey.data?.code);
      // API keys still work where they belong.
      await expect(client(`Bearer ${key}`).jobs.list.query({})).resolves.toMatchObject({ data: [] });

      const unknown = await failure(client("Bearer eb_tst_nope").tester.me.query());
      expect(unknown.data?.code).toBe("UNAUTHORIZED");
      expect(unknown.message).toBe(TESTER_AUTH_MESSAGES.unknown);

      await tester.tester.signOut.mutate();
      const revoked = await failure(tester.tester.me.query());
      expect(revoked.data?.code).toBe("UNAUTHORIZED");
      expect(revoked.message).toBe(TESTER_AUTH_MESSAGES.revoked);
    } finally {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });
});
