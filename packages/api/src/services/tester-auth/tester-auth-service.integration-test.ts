// The tester auth service: sign-in, token authentication (expiry, revocation, lastSeenAt), passwords, profile.
import { randomUUID } from "node:crypto";

import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { ManualClock } from "../../clock";
import { createCatalogsService } from "../catalogs";
import { type Db } from "../types";
import {
  createTesterAuthService,
  hashSessionToken,
  SIGN_IN_FAILED,
  TESTER_AUTH_MESSAGES,
  TESTER_SESSION_TTL_MS,
  type TesterAuthService,
} from "./tester-auth-service";

const PASSWORD = "correct horse battery";

describeEachEngine("tester auth service", (getDb) => {
  let db: Db;
  let clock: ManualClock;
  let auth: TesterAuthService;

  /** A user with a password; a tester profile unless `tester: false`. */
  async function newUser({ tester = true } = {}) {
    const email = `user-${randomUUID()}@example.test`;
    const user = await db.user.create({
      data: {
        email,
        name: "Someone",
        ...(tester ? { testerProfile: { create: { alias: "Sam" } } } : {}),
      },
      include: { testerProfile: true },
    });
    await auth.setPassword(user.id, PASSWORD);
    return { email, userId: user.id, testerId: user.testerProfile?.id ?? "" };
  }

  beforeAll(async () => {
    db = getDb().prisma;
    clock = new ManualClock();
    auth = createTesterAuthService({ db, clock });
    await createCatalogsService({ db }).seedDefaults();
  });

  it("signs a tester in: eb_tst_ token stored only as its SHA-256 hash, 30-day expiry, then authenticates", async () => {
    const { email, userId, testerId } = await newUser();
    const stored = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);

    const signIn = await auth.signIn(email.toUpperCase(), PASSWORD);
    expect(signIn.token).toMatch(/^eb_tst_[0-9A-Za-z]{32}$/);
    expect(signIn.expiresAt.getTime()).toBe(clock.now().getTime() + TESTER_SESSION_TTL_MS);
    expect(signIn.tester).toMatchObject({ testerId, userId, email, alias: "Sam", equipment: [] });

    const session = await db.session.findUniqueOrThrow({
      where: { tokenHash: hashSessionToken(signIn.token) },
    });
    expect(session.tokenHash).not.toContain(signIn.token);
    const rows = await db.session.findMany({ where: { userId } });
    expect(JSON.stringify(rows)).not.toContain(signIn.token);

    const actor = await auth.authenticate(signIn.token);
    expect(actor).toEqual({ kind: "tester", userId, testerId, sessionId: session.id });
    await expect(auth.authenticate(`Bearer ${signIn.token}`)).resolves.toMatchObject({ testerId });
  });

  it("refuses a wrong password, an unknown email and a non-tester user with one message", async () => {
    const { email } = await newUser();
    const nonTester = await newUser({ tester: false });
    const noPassword = await db.user.create({
      data: {
        email: `nopw-${randomUUID()}@example.test`,
        name: "x",
        testerProfile: { create: { alias: "x" } },
      },
    });
    for (const [who, password] of [
      [email, "wrong password!"],
      ["nobody-here@example.test", PASSWORD],
      [nonTester.email, PASSWORD],
      [noPassword.email, PASSWORD],
    ] as const) {
      await expect(auth.signIn(who, password), who).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: SIGN_IN_FAILED,
      });
    }
  });

  it("refuses expired, revoked and unknown tokens with distinct messages; lastSeenAt at most once a minute", async () => {
    const { email } = await newUser();
    const { token } = await auth.signIn(email, PASSWORD);
    const tokenHash = hashSessionToken(token);
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { tokenHash } })).lastSeenAt;

    const start = clock.now();
    await auth.authenticate(token);
    expect(await lastSeen()).toEqual(start);
    clock.advance(30_000);
    await auth.authenticate(token);
    expect(await lastSeen()).toEqual(start);
    const later = clock.advance(31_000);
    await auth.authenticate(token);
    expect(await lastSeen()).toEqual(later);

    clock.set(start.getTime() + TESTER_SESSION_TTL_MS);
    await expect(auth.authenticate(token)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: TESTER_AUTH_MESSAGES.expired,
    });
    clock.set(start);

    const other = await auth.signIn(email, PASSWORD);
    await auth.signOut(other.token);
    await auth.signOut(other.token); // idempotent
    await expect(auth.authenticate(other.token)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: TESTER_AUTH_MESSAGES.revoked,
    });
    await expect(auth.authenticate(token)).resolves.toMatchObject({ kind: "tester" }); // the other session lives

    for (const bad of ["eb_tst_doesnotexist", "garbage", ""]) {
      await expect(auth.authenticate(bad)).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: TESTER_AUTH_MESSAGES.unknown,
      });
    }
  });

  it("setPassword needs 10 characters and an existing user", async () => {
    const { userId } = await newUser();
    await expect(auth.setPassword(userId, "short")).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^password: must be at least 10/) as unknown,
    });
    await expect(auth.setPassword(randomUUID(), "long enough password")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("updates the profile: alias, country, languages, catalog slugs; validates each, naming unknown slugs", async () => {
    const { testerId } = await newUser();
    const updated = await auth.updateProfile(testerId, {
      alias: "  Ana  ",
      country: "pt",
      languages: ["pt-BR", "en", "en"],
      equipmentSlugs: ["desktop-macos", "desktop-linux"],
      interestSlugs: ["fintech"],
    });
    expect(updated).toMatchObject({
      alias: "Ana",
      country: "PT",
      languages: ["pt-BR", "en"],
      interests: [{ slug: "fintech", name: "Finance and banking" }],
    });
    expect(updated.equipment.map((e) => e.slug).sort()).toEqual(["desktop-linux", "desktop-macos"]);

    // Partial update keeps what was not sent; an empty list clears.
    const cleared = await auth.updateProfile(testerId, { equipmentSlugs: [] });
    expect(cleared).toMatchObject({
      alias: "Ana",
      country: "PT",
      equipment: [],
      interests: [{ slug: "fintech" }],
    });

    const cases: [Record<string, unknown>, RegExp][] = [
      [{ country: "USA" }, /^country: must be an ISO 3166-1 alpha-2/],
      [{ languages: ["english!"] }, /^languages\.0: must be language codes/],
      [{ languages: Array.from({ length: 11 }, () => "en") }, /^languages: must have at most 10/],
      [{ alias: "   " }, /^alias: must not be empty/],
      [
        { equipmentSlugs: ["desktop-macos", "vr-headset-9000"] },
        /^equipmentSlugs: unknown equipment "vr-headset-9000"$/,
      ],
      [{ interestSlugs: ["knitting"] }, /^interestSlugs: unknown interest "knitting"$/],
      [{ isSandbox: true }, /isSandbox/],
    ];
    for (const [input, message] of cases) {
      await expect(auth.updateProfile(testerId, input), JSON.stringify(input)).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(message) as unknown,
      });
    }
    await expect(auth.getProfile(testerId)).resolves.toMatchObject({ alias: "Ana", country: "PT" });
  });
});
