// auth.* through the caller (sign-up to sign-out, organisations, invitations, members) and over HTTP (cookie, CSRF).
import { randomUUID } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import {
  type ContextServices,
  createContextFromRequest,
  createContextInner,
  CSRF_MESSAGE,
  type ResponseLike,
} from "../context";
import { appRouter, createCaller } from "../root";
import { ACCOUNT_MESSAGES, ACCOUNT_SESSION_TTL_MS } from "../services/accounts";
import { createHarness, type Harness } from "../services/jobs/testing/harness";
import { SESSION_COOKIE_NAME, type SessionCookieJar } from "../session-cookie";
import { trpcError } from "./testing/trpc-error";

const PASSWORD = "a long enough password";

/** A cookie jar that records what procedures set and clear. */
function recordingJar() {
  const events: ({ set: string; expiresAt: Date } | { cleared: true })[] = [];
  const jar: SessionCookieJar = {
    set(token, expiresAt) {
      events.push({ set: token, expiresAt });
    },
    clear() {
      events.push({ cleared: true });
    },
  };
  const lastToken = () => {
    const last = [...events].reverse().find((e) => "set" in e);
    if (!last || !("set" in last)) throw new Error("no cookie was set");
    return last.set;
  };
  return { jar, events, lastToken };
}

/** An express response stand-in for createContextFromRequest: only headers. */
function fakeResponse(): ResponseLike & { headers: Map<string, unknown> } {
  const headers = new Map<string, unknown>();
  return {
    headers,
    getHeader: (name) => headers.get(name.toLowerCase()) as ReturnType<ResponseLike["getHeader"]>,
    setHeader: (name, value) => headers.set(name.toLowerCase(), value),
  };
}

describeEachEngine("auth routers", (getDb) => {
  let h: Harness;
  let services: ContextServices;

  const caller = (actor: Actor = { kind: "anonymous" }, jar?: SessionCookieJar) =>
    createCaller(createContextInner({ services, actor, ...(jar ? { sessionCookie: jar } : {}) }));

  const newEmail = (tag = "user") => `${tag}-${randomUUID()}@example.test`;

  /** Signs up through the caller; returns the session actor the cookie would resolve to. */
  async function signUp(organizationName = "Router Org") {
    const email = newEmail("owner");
    const { jar, lastToken } = recordingJar();
    const account = await caller(undefined, jar).auth.signUp({
      email,
      password: PASSWORD,
      name: "Owner",
      organizationName,
    });
    const token = lastToken();
    const actor = await services.accounts.authenticate(token);
    return { email, account, token, actor, orgId: account.currentOrganizationId ?? "" };
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    await services.catalogs.seedDefaults();
  });

  afterAll(async () => {
    await h.close();
  });

  it("signUp → me → signOut → me null; the cookie is set for 30 days and cleared", async () => {
    const email = newEmail("owner");
    const { jar, events, lastToken } = recordingJar();
    const account = await caller(undefined, jar).auth.signUp({
      email,
      password: PASSWORD,
      name: "Ola",
      organizationName: "Ola's Shop",
    });
    expect(account).toMatchObject({
      user: { email, name: "Ola", isAdmin: false },
      organizations: [{ name: "Ola's Shop", slug: "ola-s-shop", role: "owner" }],
    });
    expect(account.currentOrganizationId).toBe(account.organizations[0]?.id);
    expect(events).toEqual([
      {
        set: expect.stringMatching(/^eb_ses_/) as unknown,
        expiresAt: new Date(h.clock.now().getTime() + ACCOUNT_SESSION_TTL_MS),
      },
    ]);

    const actor = await services.accounts.authenticate(lastToken());
    await expect(caller(actor).auth.me()).resolves.toEqual(account);
    await expect(caller().auth.me()).resolves.toBeNull();

    await expect(caller(actor, jar).auth.signOut()).resolves.toEqual({ signedOut: true });
    expect(events.at(-1)).toEqual({ cleared: true });
    await expect(services.accounts.authenticate(lastToken())).rejects.toMatchObject({
      message: ACCOUNT_MESSAGES.sessionRevoked,
    });
    // Signing out without a session just clears the cookie.
    await expect(caller(undefined, jar).auth.signOut()).resolves.toEqual({ signedOut: true });

    const duplicate = await trpcError(
      caller().auth.signUp({
        email: email.toUpperCase(),
        password: PASSWORD,
        name: "x",
        organizationName: "y",
      }),
    );
    expect(duplicate.code).toBe("CONFLICT");
    expect(duplicate.message).toBe("An account with this email already exists");
    const short = await trpcError(
      caller().auth.signUp({ email: newEmail(), password: "too short", name: "x", organizationName: "y" }),
    );
    expect(short.code).toBe("BAD_REQUEST");
    expect(short.message).toMatch(/^password: must be at least 10 characters/);
  });

  it("signIn: one message for a wrong password and an unknown email; testers are sent to their app", async () => {
    const { email, account } = await signUp();
    const { jar, lastToken } = recordingJar();
    await expect(caller(undefined, jar).auth.signIn({ email, password: PASSWORD })).resolves.toEqual(account);
    expect(lastToken()).toMatch(/^eb_ses_/);

    for (const input of [
      { email, password: "wrong password" },
      { email: newEmail("nobody"), password: PASSWORD },
    ]) {
      const error = await trpcError(caller().auth.signIn(input));
      expect(error.code).toBe("UNAUTHORIZED");
      expect(error.message).toBe("The email or password is wrong");
    }

    const testerId = await h.newTester();
    const profile = await h.db.testerProfile.findUniqueOrThrow({
      where: { id: testerId },
      include: { user: true },
    });
    await services.testerAuth.setPassword(profile.userId, PASSWORD);
    const tester = await trpcError(caller().auth.signIn({ email: profile.user.email, password: PASSWORD }));
    expect(tester.code).toBe("UNAUTHORIZED");
    expect(tester.message).toMatch(/tester app/);
    // …while the tester app still signs them in.
    await expect(
      caller().tester.signIn({ email: profile.user.email, password: PASSWORD }),
    ).resolves.toMatchObject({
      token: expect.stringMatching(/^eb_tst_/) as unknown,
    });
  });

  it("switchOrganization: members switch, others get FORBIDDEN, admins switch anywhere; owner procedures follow", async () => {
    const a = await signUp("Alpha");
    const b = await signUp("Beta");
    await h.db.membership.create({ data: { userId: a.actor.userId, orgId: b.orgId, role: "member" } });

    const switched = await caller(a.actor).auth.switchOrganization({ organizationId: b.orgId });
    expect(switched.currentOrganizationId).toBe(b.orgId);
    const after = await services.accounts.authenticate(a.token);
    expect(after.orgId).toBe(b.orgId);
    await expect(caller(after).orgs.current()).resolves.toMatchObject({ id: b.orgId, name: "Beta" });
    await expect(caller(after).auth.me()).resolves.toMatchObject({ currentOrganizationId: b.orgId });

    const c = await signUp("Gamma");
    const forbidden = await trpcError(caller(after).auth.switchOrganization({ organizationId: c.orgId }));
    expect(forbidden.code).toBe("FORBIDDEN");
    expect((await trpcError(caller().auth.switchOrganization({ organizationId: c.orgId }))).code).toBe(
      "UNAUTHORIZED",
    );

    const admin = await h.db.user.create({
      data: { email: newEmail("admin"), name: "Admin", isAdmin: true },
    });
    await services.accounts.setPassword(admin.id, PASSWORD);
    const { jar, lastToken } = recordingJar();
    await caller(undefined, jar).auth.signIn({ email: admin.email, password: PASSWORD });
    const adminActor = await services.accounts.authenticate(lastToken());
    expect(adminActor).toMatchObject({ isAdmin: true, orgId: null });
    const asAdmin = await caller(adminActor).auth.switchOrganization({ organizationId: c.orgId });
    expect(asAdmin.currentOrganizationId).toBe(c.orgId);
    const adminInC = await services.accounts.authenticate(lastToken());
    await expect(caller(adminInC).orgs.current()).resolves.toMatchObject({ id: c.orgId });
  });

  it("invitations: create (acceptUrl), list, revoke, inspect; members get FORBIDDEN; accept sets the cookie", async () => {
    const owner = await signUp("Inviting Org");
    const email = newEmail("invitee");
    const created = await caller(owner.actor).auth.invitations.create({ email, role: "member" });
    expect(created).toEqual({
      id: expect.any(String) as unknown,
      email,
      role: "member",
      expiresAt: new Date(h.clock.now().getTime() + 7 * 24 * 60 * 60 * 1000),
      acceptUrl: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:4000\/invite\/eb_inv_[0-9A-Za-z]{32}$/,
      ) as unknown,
    });
    const token = created.acceptUrl.split("/invite/")[1] ?? "";
    await expect(caller(owner.actor).auth.invitations.list()).resolves.toEqual([
      {
        id: created.id,
        email,
        role: "member",
        expiresAt: created.expiresAt,
        createdAt: expect.any(Date) as unknown,
      },
    ]);
    await expect(caller().auth.invitations.inspect({ token })).resolves.toEqual({
      organizationName: "Inviting Org",
      email,
      role: "member",
      expired: false,
    });
    expect((await trpcError(caller().auth.invitations.inspect({ token: "eb_inv_nope" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await trpcError(caller().auth.invitations.list())).code).toBe("UNAUTHORIZED");
    const key = await services.apiKeys.create(owner.orgId, { name: "k", mode: "test" });
    const byKey = await services.apiKeys.authenticate(key.key);
    expect((await trpcError(caller(byKey).auth.invitations.list())).code).toBe("FORBIDDEN");

    const badField = await trpcError(caller().auth.acceptInvitation({ token, password: PASSWORD }));
    expect(badField.code).toBe("BAD_REQUEST");
    expect(badField.message).toBe("name: is required to create your account");

    const { jar, lastToken } = recordingJar();
    const joined = await caller(undefined, jar).auth.acceptInvitation({
      token,
      name: "Mia",
      password: PASSWORD,
    });
    expect(joined).toMatchObject({
      user: { email, name: "Mia" },
      organizations: [{ id: owner.orgId, role: "member" }],
      currentOrganizationId: owner.orgId,
    });
    const member = await services.accounts.authenticate(lastToken());
    expect(member.orgId).toBe(owner.orgId);
    const spent = await trpcError(caller().auth.acceptInvitation({ token, name: "Mia", password: PASSWORD }));
    expect(spent.code).toBe("CONFLICT");
    expect(spent.message).toBe(ACCOUNT_MESSAGES.invitationAccepted);

    // A member may read the team's invitations but not change them.
    await expect(caller(member).auth.invitations.list()).resolves.toEqual([]);
    const memberCreate = await trpcError(
      caller(member).auth.invitations.create({ email: newEmail(), role: "member" }),
    );
    expect(memberCreate.code).toBe("FORBIDDEN");
    const pending = await caller(owner.actor).auth.invitations.create({ email: newEmail(), role: "owner" });
    expect((await trpcError(caller(member).auth.invitations.revoke({ id: pending.id }))).code).toBe(
      "FORBIDDEN",
    );
    await expect(caller(owner.actor).auth.invitations.revoke({ id: pending.id })).resolves.toEqual({
      id: pending.id,
      revoked: true,
    });
    const pendingToken = pending.acceptUrl.split("/invite/")[1] ?? "";
    const withdrawn = await trpcError(
      caller().auth.acceptInvitation({ token: pendingToken, name: "X", password: PASSWORD }),
    );
    expect(withdrawn.code).toBe("CONFLICT");
    expect(withdrawn.message).toBe(ACCOUNT_MESSAGES.invitationRevoked);

    // Signed in as the invitee: joins without a password; no new cookie.
    const other = await signUp("Other Org");
    const second = await caller(other.actor).auth.invitations.create({ email: owner.email, role: "member" });
    const secondToken = second.acceptUrl.split("/invite/")[1] ?? "";
    const recorded = recordingJar();
    const viaSession = await caller(owner.actor, recorded.jar).auth.acceptInvitation({ token: secondToken });
    expect(viaSession.currentOrganizationId).toBe(other.orgId);
    expect(recorded.events).toEqual([]);
  });

  it("members: list and remove (owners only; never the last owner)", async () => {
    const owner = await signUp("Team Org");
    const invite = await caller(owner.actor).auth.invitations.create({
      email: newEmail("m"),
      role: "member",
    });
    const { jar, lastToken } = recordingJar();
    await caller(undefined, jar).auth.acceptInvitation({
      token: invite.acceptUrl.split("/invite/")[1] ?? "",
      name: "Max",
      password: PASSWORD,
    });
    const member = await services.accounts.authenticate(lastToken());
    const team = await caller(member).auth.members.list();
    expect(team.map((m) => [m.userId, m.role])).toEqual([
      [owner.actor.userId, "owner"],
      [member.userId, "member"],
    ]);
    expect(team[1]).toEqual({
      userId: member.userId,
      email: invite.email,
      name: "Max",
      role: "member",
      joinedAt: expect.any(Date) as unknown,
    });
    expect((await trpcError(caller(member).auth.members.remove({ userId: owner.actor.userId }))).code).toBe(
      "FORBIDDEN",
    );
    const last = await trpcError(caller(owner.actor).auth.members.remove({ userId: owner.actor.userId }));
    expect(last.code).toBe("CONFLICT");
    expect(last.message).toBe(ACCOUNT_MESSAGES.lastOwner);
    await expect(caller(owner.actor).auth.members.remove({ userId: member.userId })).resolves.toEqual({
      userId: member.userId,
      removed: true,
    });
    // The removed member's session has no organisation left.
    const removed = await services.accounts.authenticate(lastToken());
    expect(removed.orgId).toBeNull();
    expect((await trpcError(caller(removed).auth.members.list())).code).toBe("FORBIDDEN");
  });

  it("apiKeys (sessionOwnerProcedure) work for a signed-in owner", async () => {
    const owner = await signUp("Keys Org");
    const created = await caller(owner.actor).apiKeys.create({ name: "ci", mode: "test" });
    expect(created.apiKey).toMatchObject({ orgId: owner.orgId, createdByUserId: owner.actor.userId });
    await expect(caller(owner.actor).apiKeys.list()).resolves.toEqual([
      expect.objectContaining({ id: created.apiKey.id }),
    ]);
  });

  it("createContextFromRequest: the cookie resolves to the user; a bad cookie leaves the caller anonymous with authError", async () => {
    const owner = await signUp("Cookie Org");
    const cookie = `theme=dark; ${SESSION_COOKIE_NAME}=${owner.token}; other=1`;
    const ctx = await createContextFromRequest(services, { headers: { cookie } });
    expect(ctx.actor).toEqual({
      kind: "user",
      userId: owner.actor.userId,
      orgId: owner.orgId,
      isAdmin: false,
      sessionId: owner.actor.sessionId,
    });
    expect(ctx.csrfError).toBeNull();

    const bad = await createContextFromRequest(services, {
      headers: { cookie: `${SESSION_COOKIE_NAME}=eb_ses_nope` },
    });
    expect(bad.actor).toEqual({ kind: "anonymous" });
    expect(bad.authError).toMatchObject({ code: "UNAUTHORIZED", message: ACCOUNT_MESSAGES.sessionUnknown });
    await expect(createCaller(bad).auth.me()).resolves.toBeNull();
    const refused = await trpcError(createCaller(bad).apiKeys.list());
    expect(refused.code).toBe("UNAUTHORIZED");
    expect(refused.message).toBe(ACCOUNT_MESSAGES.sessionUnknown);

    // Authorization wins over the cookie; Bearer eb_ses_ works too.
    const { key } = await services.apiKeys.create(owner.orgId, { name: "k", mode: "live" });
    const byKey = await createContextFromRequest(services, {
      headers: { cookie, authorization: `Bearer ${key}` },
    });
    expect(byKey.actor).toMatchObject({ kind: "apiKey", orgId: owner.orgId });
    const byBearer = await createContextFromRequest(services, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(byBearer.actor).toMatchObject({ kind: "user", userId: owner.actor.userId });

    // Set-Cookie attributes: Secure over https or with an https public URL.
    for (const [secure, publicUrl, expectSecure] of [
      [false, "http://127.0.0.1:4000", false],
      [true, "http://127.0.0.1:4000", true],
      [false, "https://eyeball.example", true],
    ] as const) {
      const res = fakeResponse();
      const httpCtx = await createContextFromRequest(
        { ...services, config: { ...services.config, publicUrl } },
        { headers: {}, secure },
        null,
        res,
      );
      await createCaller(httpCtx).auth.signIn({ email: owner.email, password: PASSWORD });
      await createCaller(httpCtx).auth.signOut();
      const [set, cleared] = res.headers.get("set-cookie") as string[];
      expect(set).toMatch(
        new RegExp(
          `^${SESSION_COOKIE_NAME}=eb_ses_[0-9A-Za-z]{32}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax${expectSecure ? "; Secure" : ""}$`,
        ),
      );
      expect(cleared).toMatch(
        new RegExp(
          `^${SESSION_COOKIE_NAME}=; Max-Age=0; .*Path=/; HttpOnly; SameSite=Lax${expectSecure ? "; Secure" : ""}$`,
        ),
      );
    }
  });

  it("over HTTP: the cookie signs in; cookie mutations from another site's Origin are FORBIDDEN, queries and own origins pass", async () => {
    const app = express();
    app.use(
      "/trpc",
      createExpressMiddleware({
        router: appRouter,
        createContext: ({ req, res, info }) =>
          createContextFromRequest(services, req, info.connectionParams, res),
      }),
    );
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (
      path: string,
      options: { input?: unknown; mutation?: boolean; headers?: Record<string, string> } = {},
    ) => {
      const url =
        options.mutation || options.input === undefined
          ? `${base}/trpc/${path}`
          : `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(options.input))}`;
      const response = await fetch(url, {
        method: options.mutation ? "POST" : "GET",
        headers: { "content-type": "application/json", ...options.headers },
        ...(options.mutation ? { body: JSON.stringify(options.input ?? null) } : {}),
      });
      const body = (await response.json()) as {
        result?: { data: unknown };
        error?: { message: string; data: { code: string } };
      };
      return { status: response.status, body, setCookie: response.headers.getSetCookie() };
    };
    try {
      const email = newEmail("http");
      const signedUp = await call("auth.signUp", {
        mutation: true,
        input: { email, password: PASSWORD, name: "Hal", organizationName: "HTTP Org" },
      });
      expect(signedUp.status).toBe(200);
      const [setCookie] = signedUp.setCookie;
      expect(setCookie).toMatch(
        /^eyeball_session=eb_ses_\w+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const cookie = (setCookie ?? "").split(";")[0] ?? "";

      const me = await call("auth.me", { headers: { cookie } });
      expect(me.body.result?.data).toMatchObject({ user: { email }, organizations: [{ name: "HTTP Org" }] });
      const keys = await call("apiKeys.list", { headers: { cookie } });
      expect(keys.body.result?.data).toEqual([]);

      // Another site's page riding on the cookie: mutations refused, even public ones.
      const evil = { cookie, origin: "https://evil.example" };
      const forged = await call("apiKeys.create", { mutation: true, input: { name: "x" }, headers: evil });
      expect(forged.status).toBe(403);
      expect(forged.body.error?.message).toBe(CSRF_MESSAGE);
      const forgedOut = await call("auth.signOut", { mutation: true, headers: { cookie, origin: "null" } });
      expect(forgedOut.status).toBe(403);
      // Reads stay allowed (the browser hides the answer from the other site).
      expect((await call("auth.me", { headers: evil })).body.result?.data).toMatchObject({ user: { email } });

      // Our own origins: the public URL's, or the Host the request came to; or no Origin at all.
      for (const origin of ["http://127.0.0.1:4000", base, undefined]) {
        const created = await call("apiKeys.create", {
          mutation: true,
          input: { name: `own ${origin ?? "none"}` },
          headers: { cookie, ...(origin ? { origin } : {}) },
        });
        expect(created.status, origin).toBe(200);
      }
      // A bearer credential is not a cookie: no origin check.
      const token = cookie.split("=")[1] ?? "";
      const bearer = await call("apiKeys.create", {
        mutation: true,
        input: { name: "bearer" },
        headers: { authorization: `Bearer ${token}`, origin: "https://evil.example" },
      });
      expect(bearer.status).toBe(200);

      const out = await call("auth.signOut", { mutation: true, headers: { cookie, origin: base } });
      expect(out.body.result?.data).toEqual({ signedOut: true });
      expect(out.setCookie[0]).toMatch(/^eyeball_session=; Max-Age=0;/);
      expect((await call("auth.me", { headers: { cookie } })).body.result?.data).toBeNull();
      const stale = await call("apiKeys.list", { headers: { cookie } });
      expect(stale.status).toBe(401);
      expect(stale.body.error?.message).toBe(ACCOUNT_MESSAGES.sessionRevoked);
    } finally {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });
});
