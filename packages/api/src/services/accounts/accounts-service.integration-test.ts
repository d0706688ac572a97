// The accounts service: sign-up, sign-in, sessions (expiry, revocation, lastSeenAt, current org), invitations, members.
import { randomUUID } from "node:crypto";

import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { ManualClock } from "../../clock";
import { createApiKeysService } from "../api-keys";
import { createOrgsService, type OrgsService } from "../orgs";
import { hashSessionToken, LAST_SEEN_RESOLUTION_MS } from "../tester-auth";
import { type Db } from "../types";
import {
  ACCOUNT_MESSAGES,
  ACCOUNT_SESSION_TTL_MS,
  type AccountSignIn,
  type AccountsService,
  createAccountsService,
  INVITATION_TTL_MS,
  type OrgCaller,
} from "./index";

const PASSWORD = "correct horse battery";

describeEachEngine("accounts service", (getDb) => {
  let db: Db;
  let clock: ManualClock;
  let orgs: OrgsService;
  let accounts: AccountsService;

  const newEmail = (tag = "user") => `${tag}-${randomUUID()}@example.test`;

  async function signUp(organizationName = "Acme Testing"): Promise<AccountSignIn & { email: string }> {
    const email = newEmail("owner");
    const signedIn = await accounts.signUp({
      email,
      password: PASSWORD,
      name: "Olive Owner",
      organizationName,
    });
    return { ...signedIn, email };
  }

  /** The owner of a new organisation, as sessionOwnerProcedure would pass them. */
  async function ownerCaller(): Promise<OrgCaller & { email: string; signIn: AccountSignIn }> {
    const signIn = await signUp();
    const orgId = signIn.account.currentOrganizationId ?? "";
    return { userId: signIn.account.user.id, orgId, isAdmin: false, email: signIn.email, signIn };
  }

  async function userWithPassword(data: { isAdmin?: boolean; tester?: boolean } = {}) {
    const email = newEmail(data.tester ? "tester" : "user");
    const user = await db.user.create({
      data: {
        email,
        name: "Someone",
        isAdmin: data.isAdmin ?? false,
        ...(data.tester ? { testerProfile: { create: { alias: "Sam" } } } : {}),
      },
    });
    await accounts.setPassword(user.id, PASSWORD);
    return { email, userId: user.id };
  }

  beforeAll(() => {
    db = getDb().prisma;
    clock = new ManualClock();
    const apiKeys = createApiKeysService({ db, clock });
    orgs = createOrgsService({ db, clock, apiKeys });
    accounts = createAccountsService({ db, clock, orgs });
  });

  it("signs up: user, organisation (slug from its name, webhook secret), owner membership, eb_ses_ session stored hashed", async () => {
    const { token, expiresAt, account, email } = await signUp("Acme Testing");
    expect(token).toMatch(/^eb_ses_[0-9A-Za-z]{32}$/);
    expect(expiresAt.getTime()).toBe(clock.now().getTime() + ACCOUNT_SESSION_TTL_MS);
    expect(account).toEqual({
      user: { id: expect.any(String) as unknown, email, name: "Olive Owner", isAdmin: false },
      organizations: [
        {
          id: account.currentOrganizationId,
          name: "Acme Testing",
          slug: expect.stringMatching(/^acme-testing/) as unknown,
          role: "owner",
        },
      ],
      currentOrganizationId: expect.any(String) as unknown,
    });
    const orgId = account.currentOrganizationId ?? "";
    expect(await orgs.webhookSecret(orgId)).toMatch(/^whsec_/);

    const user = await db.user.findUniqueOrThrow({ where: { id: account.user.id } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const session = await db.session.findUniqueOrThrow({ where: { tokenHash: hashSessionToken(token) } });
    expect(session).toMatchObject({ userId: user.id, orgId, expiresAt });
    expect(JSON.stringify(await db.session.findMany({ where: { userId: user.id } }))).not.toContain(token);

    await expect(accounts.authenticate(token)).resolves.toEqual({
      kind: "user",
      userId: user.id,
      orgId,
      isAdmin: false,
      sessionId: session.id,
    });
    await expect(accounts.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ userId: user.id });

    // The same name again gets a suffixed slug.
    const second = await signUp("Acme Testing");
    expect(second.account.organizations[0]?.slug).toMatch(/^acme-testing-[a-z0-9]{6}$/);
    const tiny = await signUp("!");
    expect(tiny.account.organizations[0]?.slug).toMatch(/^org(-[a-z0-9]{6})?$/);
  });

  it("refuses a taken email (any case) with 409, and bad input naming the field", async () => {
    const { email } = await signUp();
    for (const again of [email, email.toUpperCase(), `  ${email}  `]) {
      await expect(
        accounts.signUp({ email: again, password: PASSWORD, name: "x", organizationName: "Other" }),
        again,
      ).rejects.toMatchObject({ code: "CONFLICT", message: ACCOUNT_MESSAGES.emailTaken });
    }
    const cases: [Record<string, string>, RegExp][] = [
      [{ password: "short" }, /^password: must be at least 10 characters/],
      [{ email: "not-an-email" }, /^email: must be an email address/],
      [{ name: "   " }, /^name: must not be empty/],
      [{ organizationName: "" }, /^organizationName: must not be empty/],
    ];
    for (const [override, message] of cases) {
      const input = { email: newEmail(), password: PASSWORD, name: "N", organizationName: "O", ...override };
      await expect(accounts.signUp(input), JSON.stringify(override)).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(message) as unknown,
      });
    }
    // Nothing half-written: the failed sign-ups created no user.
    expect(await db.user.count({ where: { email: { equals: email, mode: "insensitive" } } })).toBe(1);
  });

  it("signs in owners and admins; one message for a wrong password or an unknown email; testers go to their app", async () => {
    const { email, account } = await signUp();
    const signedIn = await accounts.signIn(email.toUpperCase(), PASSWORD);
    expect(signedIn.token).toMatch(/^eb_ses_/);
    expect(signedIn.account).toEqual(account);

    for (const [who, password] of [
      [email, "wrong password!"],
      [newEmail("nobody"), PASSWORD],
      ["", PASSWORD],
    ] as const) {
      await expect(accounts.signIn(who, password), who).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: ACCOUNT_MESSAGES.signInFailed,
      });
    }

    const tester = await userWithPassword({ tester: true });
    await expect(accounts.signIn(tester.email, PASSWORD)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: ACCOUNT_MESSAGES.testerOnly,
    });
    // A wrong password of a tester says nothing about the account.
    await expect(accounts.signIn(tester.email, "wrong password!")).rejects.toMatchObject({
      message: ACCOUNT_MESSAGES.signInFailed,
    });

    const admin = await userWithPassword({ isAdmin: true });
    const adminSignIn = await accounts.signIn(admin.email, PASSWORD);
    expect(adminSignIn.account).toMatchObject({
      user: { isAdmin: true },
      organizations: [],
      currentOrganizationId: null,
    });
  });

  it("refuses expired, revoked and unknown sessions with distinct messages; lastSeenAt at most once a minute", async () => {
    const { token } = await signUp();
    const tokenHash = hashSessionToken(token);
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { tokenHash } })).lastSeenAt;

    const start = clock.now();
    await accounts.authenticate(token);
    expect(await lastSeen()).toEqual(start);
    clock.advance(LAST_SEEN_RESOLUTION_MS / 2);
    await accounts.authenticate(token);
    expect(await lastSeen()).toEqual(start);
    const later = clock.advance(LAST_SEEN_RESOLUTION_MS / 2 + 1000);
    await accounts.authenticate(token);
    expect(await lastSeen()).toEqual(later);

    clock.set(start.getTime() + ACCOUNT_SESSION_TTL_MS);
    await expect(accounts.authenticate(token)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: ACCOUNT_MESSAGES.sessionExpired,
    });
    clock.set(start);

    const actor = await accounts.authenticate(token);
    await accounts.revokeSession(actor.sessionId);
    await accounts.revokeSession(actor.sessionId); // idempotent
    await expect(accounts.authenticate(token)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: ACCOUNT_MESSAGES.sessionRevoked,
    });

    // Tester tokens, garbage and unknown tokens are not portal sessions.
    const tester = await userWithPassword({ tester: true });
    const testerToken = `eb_tst_${"a".repeat(32)}`;
    await db.session.create({
      data: {
        userId: tester.userId,
        tokenHash: hashSessionToken(testerToken),
        expiresAt: new Date(start.getTime() + 1e9),
      },
    });
    for (const bad of [testerToken, "eb_ses_doesnotexist", "garbage", ""]) {
      await expect(accounts.authenticate(bad), bad).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: ACCOUNT_MESSAGES.sessionUnknown,
      });
    }
  });

  it("switches organisation: members only (FORBIDDEN otherwise), admins anywhere; the session remembers it", async () => {
    const a = await ownerCaller();
    const b = await ownerCaller();
    const actor = await accounts.authenticate(a.signIn.token);
    // Make A a member of B's organisation too.
    await db.membership.create({
      data: { userId: a.userId, orgId: b.orgId, role: "member", createdAt: clock.now() },
    });

    const switched = await accounts.switchOrganization(actor, b.orgId);
    expect(switched.currentOrganizationId).toBe(b.orgId);
    expect(switched.organizations.map((o) => [o.id, o.role])).toEqual([
      [a.orgId, "owner"],
      [b.orgId, "member"],
    ]);
    await expect(accounts.authenticate(a.signIn.token)).resolves.toMatchObject({ orgId: b.orgId });

    const c = await ownerCaller();
    await expect(accounts.switchOrganization(actor, c.orgId)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: ACCOUNT_MESSAGES.notMember,
    });
    await expect(
      accounts.switchOrganization({ ...actor, sessionId: undefined }, a.orgId),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });

    // Removed from the current organisation: the session falls back to the first membership.
    await db.membership.delete({ where: { userId_orgId: { userId: a.userId, orgId: b.orgId } } });
    await expect(accounts.authenticate(a.signIn.token)).resolves.toMatchObject({ orgId: a.orgId });

    const admin = await userWithPassword({ isAdmin: true });
    const adminActor = await accounts.authenticate((await accounts.signIn(admin.email, PASSWORD)).token);
    const asAdmin = await accounts.switchOrganization(adminActor, c.orgId);
    expect(asAdmin).toMatchObject({ currentOrganizationId: c.orgId, organizations: [] });
    await expect(
      accounts.authenticate((await accounts.signIn(admin.email, PASSWORD)).token),
    ).resolves.toMatchObject({
      orgId: null,
    });
    await expect(accounts.switchOrganization(adminActor, randomUUID())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("invitations: owners create (hash only, 7 days), list pending, revoke; members may not; inspect by token", async () => {
    const owner = await ownerCaller();
    const email = newEmail("invitee");
    const created = await accounts.createInvitation(owner, { email: email.toUpperCase(), role: "member" });
    expect(created).toMatchObject({ email, role: "member" });
    expect(created.token).toMatch(/^eb_inv_[0-9A-Za-z]{32}$/);
    expect(created.expiresAt.getTime()).toBe(clock.now().getTime() + INVITATION_TTL_MS);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashSessionToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    await expect(accounts.inspectInvitation(created.token)).resolves.toEqual({
      organizationName: "Acme Testing",
      email,
      role: "member",
      expired: false,
    });
    await expect(accounts.inspectInvitation("eb_inv_nope")).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Inviting the same address again replaces the first link.
    const again = await accounts.createInvitation(owner, { email, role: "owner" });
    await expect(accounts.inspectInvitation(created.token)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: ACCOUNT_MESSAGES.invitationRevoked,
    });
    clock.advance(1000);
    const other = await accounts.createInvitation(owner, { email: newEmail("other"), role: "member" });
    const listed = await accounts.listInvitations(owner.orgId);
    expect(listed.map((i) => i.id)).toEqual([other.id, again.id]);
    expect(listed[0]).toEqual({
      id: other.id,
      email: other.email,
      role: "member",
      expiresAt: other.expiresAt,
      createdAt: expect.any(Date) as unknown,
    });
    expect(JSON.stringify(listed)).not.toContain("eb_inv_");

    await expect(accounts.revokeInvitation(owner, other.id)).resolves.toEqual({
      id: other.id,
      revoked: true,
    });
    await expect(accounts.revokeInvitation(owner, other.id)).resolves.toEqual({
      id: other.id,
      revoked: true,
    });
    expect((await accounts.listInvitations(owner.orgId)).map((i) => i.id)).toEqual([again.id]);

    // Expired ones drop out of the list, and inspect says so.
    clock.advance(INVITATION_TTL_MS);
    expect(await accounts.listInvitations(owner.orgId)).toEqual([]);
    await expect(accounts.inspectInvitation(again.token)).resolves.toMatchObject({ expired: true });
    clock.advance(-INVITATION_TTL_MS);

    // Members and other organisations' owners may not manage invitations.
    const member = await userWithPassword();
    await db.membership.create({ data: { userId: member.userId, orgId: owner.orgId, role: "member" } });
    const asMember: OrgCaller = { userId: member.userId, orgId: owner.orgId, isAdmin: false };
    await expect(
      accounts.createInvitation(asMember, { email: newEmail(), role: "member" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: ACCOUNT_MESSAGES.ownersOnly,
    });
    await expect(accounts.revokeInvitation(asMember, again.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stranger = await ownerCaller();
    await expect(accounts.revokeInvitation(stranger, again.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(accounts.revokeInvitation(owner, randomUUID())).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Someone already in the organisation is not invited again.
    await expect(
      accounts.createInvitation(owner, { email: member.email, role: "owner" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: ACCOUNT_MESSAGES.alreadyMember,
    });
  });

  it("accepts an invitation as a new account (name and password required), then the link is spent", async () => {
    const owner = await ownerCaller();
    const email = newEmail("newbie");
    const { token } = await accounts.createInvitation(owner, { email, role: "member" });

    await expect(accounts.acceptInvitation({ token, password: PASSWORD }, null)).rejects.toMatchObject({
      code: "VALIDATION",
      message: "name: is required to create your account",
    });
    await expect(accounts.acceptInvitation({ token, name: "Nia" }, null)).rejects.toMatchObject({
      code: "VALIDATION",
      message: "password: is required to create your account",
    });
    await expect(
      accounts.acceptInvitation({ token, name: "Nia", password: "short" }, null),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^password: must be at least 10/) as unknown,
    });

    const accepted = await accounts.acceptInvitation({ token, name: "Nia", password: PASSWORD }, null);
    expect(accepted.account).toMatchObject({
      user: { email, name: "Nia", isAdmin: false },
      organizations: [{ id: owner.orgId, role: "member" }],
      currentOrganizationId: owner.orgId,
    });
    expect(accepted.session?.token).toMatch(/^eb_ses_/);
    await expect(accounts.authenticate(accepted.session?.token ?? "")).resolves.toMatchObject({
      userId: accepted.account.user.id,
      orgId: owner.orgId,
    });
    await expect(accounts.signIn(email, PASSWORD)).resolves.toMatchObject({
      account: { currentOrganizationId: owner.orgId },
    });

    await expect(
      accounts.acceptInvitation({ token, name: "Nia", password: PASSWORD }, null),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: ACCOUNT_MESSAGES.invitationAccepted,
    });
    await expect(accounts.inspectInvitation(token)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: ACCOUNT_MESSAGES.invitationAccepted,
    });
  });

  it("accepts as an existing account with its password, or as the signed-in user whose email matches", async () => {
    const owner = await ownerCaller();
    const existing = await userWithPassword({ tester: true });
    const first = await accounts.createInvitation(owner, { email: existing.email, role: "owner" });
    await expect(accounts.acceptInvitation({ token: first.token }, null)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^password: is required/) as unknown,
    });
    await expect(
      accounts.acceptInvitation({ token: first.token, password: "wrong password!" }, null),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED", message: ACCOUNT_MESSAGES.signInFailed });
    const joined = await accounts.acceptInvitation({ token: first.token, password: PASSWORD }, null);
    expect(joined.account.organizations).toEqual([
      expect.objectContaining({ id: owner.orgId, role: "owner" }),
    ]);
    expect(joined.session).not.toBeNull();
    // A former tester-only account now signs in to the portal.
    await expect(accounts.signIn(existing.email, PASSWORD)).resolves.toMatchObject({
      account: { currentOrganizationId: owner.orgId },
    });

    // Signed in elsewhere: joins a second organisation, which becomes the session's current one.
    const second = await ownerCaller();
    const invite = await accounts.createInvitation(second, { email: owner.email, role: "member" });
    const actor = await accounts.authenticate(owner.signIn.token);
    const stranger = await ownerCaller();
    const strangerActor = await accounts.authenticate(stranger.signIn.token);
    await expect(
      accounts.acceptInvitation(
        { token: invite.token },
        { userId: strangerActor.userId, sessionId: strangerActor.sessionId },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: ACCOUNT_MESSAGES.invitationOtherEmail });

    const viaSession = await accounts.acceptInvitation(
      { token: invite.token },
      { userId: actor.userId, sessionId: actor.sessionId },
    );
    expect(viaSession.session).toBeNull();
    expect(viaSession.account.currentOrganizationId).toBe(second.orgId);
    expect(viaSession.account.organizations.map((o) => [o.id, o.role])).toEqual([
      [owner.orgId, "owner"],
      [second.orgId, "member"],
    ]);
    await expect(accounts.authenticate(owner.signIn.token)).resolves.toMatchObject({ orgId: second.orgId });
  });

  it("refuses revoked, expired and unknown invitation links clearly", async () => {
    const owner = await ownerCaller();
    const revoked = await accounts.createInvitation(owner, { email: newEmail(), role: "member" });
    await accounts.revokeInvitation(owner, revoked.id);
    await expect(
      accounts.acceptInvitation({ token: revoked.token, name: "X", password: PASSWORD }, null),
    ).rejects.toMatchObject({ code: "CONFLICT", message: ACCOUNT_MESSAGES.invitationRevoked });

    const expiring = await accounts.createInvitation(owner, { email: newEmail(), role: "member" });
    clock.advance(INVITATION_TTL_MS);
    try {
      await expect(
        accounts.acceptInvitation({ token: expiring.token, name: "X", password: PASSWORD }, null),
      ).rejects.toMatchObject({ code: "CONFLICT", message: ACCOUNT_MESSAGES.invitationExpired });
    } finally {
      clock.advance(-INVITATION_TTL_MS);
    }
    await expect(
      accounts.acceptInvitation({ token: "eb_inv_unknown", name: "X", password: PASSWORD }, null),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: ACCOUNT_MESSAGES.invitationUnknown });
  });

  it("members: list the team; owners remove members; the last owner stays", async () => {
    const owner = await ownerCaller();
    const member = await userWithPassword();
    clock.advance(1000);
    await db.membership.create({
      data: { userId: member.userId, orgId: owner.orgId, role: "member", createdAt: clock.now() },
    });
    const team = await accounts.listMembers(owner.orgId);
    expect(team).toEqual([
      {
        userId: owner.userId,
        email: owner.email,
        name: "Olive Owner",
        role: "owner",
        joinedAt: expect.any(Date) as unknown,
      },
      { userId: member.userId, email: member.email, name: "Someone", role: "member", joinedAt: clock.now() },
    ]);

    const asMember: OrgCaller = { userId: member.userId, orgId: owner.orgId, isAdmin: false };
    await expect(accounts.removeMember(asMember, owner.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(accounts.removeMember(owner, owner.userId)).rejects.toMatchObject({
      code: "CONFLICT",
      message: ACCOUNT_MESSAGES.lastOwner,
    });
    await expect(accounts.removeMember(owner, member.userId)).resolves.toEqual({
      userId: member.userId,
      removed: true,
    });
    await expect(accounts.removeMember(owner, member.userId)).rejects.toMatchObject({ code: "NOT_FOUND" });

    // With a second owner, an owner may leave.
    const coOwner = await userWithPassword();
    await db.membership.create({ data: { userId: coOwner.userId, orgId: owner.orgId, role: "owner" } });
    await expect(accounts.removeMember(owner, owner.userId)).resolves.toMatchObject({ removed: true });
    expect((await accounts.listMembers(owner.orgId)).map((m) => m.userId)).toEqual([coOwner.userId]);
  });
});
