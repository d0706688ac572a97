// tester.payout.* and admin.payouts / admin.recordPayout through the caller on both engines: roles, input errors, codes.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness } from "../services/jobs/testing/harness";
import { createJob, inTx } from "../services/ledger/ledger-fixtures";
import { createPayoutsService } from "../services/payouts";
import { trpcError } from "./testing/trpc-error";

describeEachEngine("payouts routers", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let tester: Extract<Actor, { kind: "tester" }>;
  let email: string;
  let owner: Actor;
  let admin: Extract<Actor, { kind: "user" }>;
  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = {
      ...h.contextServices,
      payouts: createPayoutsService(
        { db: h.db, clock: h.clock, ledger: h.deps.ledger, config: h.config },
        { stripe: null },
      ),
    };
    const org = await h.newOrg({ creditMicros: 0n });
    owner = org.owner;
    const adminUser = await h.db.user.create({
      data: { email: `admin-${org.orgId}@example.test`, name: "Ops", isAdmin: true },
    });
    admin = { kind: "user", userId: adminUser.id, orgId: null, isAdmin: true };
    const testerId = await h.newTester();
    const profile = await h.db.testerProfile.findUniqueOrThrow({
      where: { id: testerId },
      include: { user: true },
    });
    tester = { kind: "tester", userId: profile.userId, testerId };
    email = profile.user.email;
    const job = await createJob(h.db, org.orgId, "live");
    await inTx(h.db, (tx) =>
      h.deps.ledger.accrueEarning(tx, {
        jobId: job.jobId,
        assignmentId: job.assignmentIds[0] ?? "",
        testerId,
        micros: 4_500_000n,
      }),
    );
  });

  afterAll(async () => {
    await h.close();
  });

  it("admin.recordPayout books a manual payout the tester and admin lists both show", async () => {
    const recorded = await caller(admin).admin.recordPayout({
      testerEmail: email,
      usd: "1.50",
      note: "Wire",
    });
    expect(recorded).toMatchObject({
      status: "paid",
      method: "manual",
      amountUsd: 1.5,
      recordedByUserId: admin.userId,
    });
    expect(await caller(tester).tester.payout.summary()).toMatchObject({
      payableUsd: 3,
      paidUsd: 1.5,
      pendingUsd: 0,
      stripeConfigured: false,
      payoutsEnabled: false,
    });
    expect((await caller(tester).tester.payout.list()).data.map((row) => row.id)).toEqual([recorded.id]);
    const listed = await caller(admin).admin.payouts({ status: "paid" });
    expect(listed.data.find((row) => row.id === recorded.id)).toMatchObject({
      tester: { email },
      note: "Wire",
    });
    expect((await caller(admin).admin.payouts({ status: "pending" })).data).toEqual([]);
  });

  it("maps input and money errors to tRPC codes naming the field", async () => {
    const tooMuch = await trpcError(caller(admin).admin.recordPayout({ testerEmail: email, usd: 100 }));
    expect(tooMuch.code).toBe("CONFLICT");
    expect(tooMuch.message).toMatch(/^usd: Payout \$100 exceeds/);
    const cents = await trpcError(caller(admin).admin.recordPayout({ testerEmail: email, usd: "0.005" }));
    expect(cents.code).toBe("BAD_REQUEST");
    expect(cents.message).toMatch(/usd: must be whole cents/);
    // Raw input as a foreign client would send it: the router's schema names the field.
    const untyped = caller(admin).admin as unknown as Record<
      "recordPayout" | "payouts",
      (input: unknown) => Promise<unknown>
    >;
    expect((await trpcError(untyped.recordPayout({ usd: 1 }))).message).toMatch(/testerEmail/);
    expect((await trpcError(untyped.payouts({ status: "lost" }))).code).toBe("BAD_REQUEST");
    const notConfigured = await trpcError(caller(tester).tester.payout.request());
    expect(notConfigured.code).toBe("CONFLICT");
    expect(notConfigured.message).toMatch(/not configured/);
    expect((await trpcError(caller(tester).tester.payout.onboard())).code).toBe("CONFLICT");
  });

  it("only admins record or list every payout; only testers reach their own", async () => {
    expect((await trpcError(caller(owner).admin.recordPayout({ testerEmail: email, usd: 1 }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await trpcError(caller(tester).admin.payouts({}))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(caller(owner).tester.payout.summary())).code).toBe("UNAUTHORIZED");
  });
});
