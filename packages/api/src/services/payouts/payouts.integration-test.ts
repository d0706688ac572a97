// Tester payouts on both engines, through the real Stripe SDK against the loopback stand-in: onboarding, transfers, failures, reversals, schedule, manual records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isDomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { createHarness, type Harness } from "../jobs/testing/harness";
import { createJob, inTx } from "../ledger/ledger-fixtures";
import {
  createStripeClient,
  createStripeWebhookReceiver,
  type Stripe,
  type StripeWebhookReceiver,
} from "../stripe";
import { type ConnectStandIn, registerConnectRoutes } from "../stripe/testing/stand-in-connect";
import { startStripeStandIn, type StripeStandIn } from "../stripe/testing/stripe-stand-in";
import { createConnectEventHandlers, createPayoutsService, type PayoutsService } from "./index";

const USD = 1_000_000n;

async function domainErrorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a DomainError");
}

describeEachEngine("tester payouts (Stripe Connect stand-in)", (getDb) => {
  let h: Harness;
  let standIn: StripeStandIn;
  let connect: ConnectStandIn;
  let stripe: Stripe;
  let payouts: PayoutsService;
  let receiver: StripeWebhookReceiver;
  let orgId: string;

  beforeAll(async () => {
    h = await createHarness(getDb());
    standIn = await startStripeStandIn({ now: () => h.clock.now().getTime() });
    connect = registerConnectRoutes(standIn);
    stripe = createStripeClient({
      secretKey: standIn.secretKey,
      webhookSecret: standIn.webhookSecret,
      apiBaseUrl: standIn.url,
      maxNetworkRetries: 0,
    });
    const deps = { db: h.db, clock: h.clock, ledger: h.deps.ledger, config: h.config };
    payouts = createPayoutsService(deps, { stripe });
    receiver = createStripeWebhookReceiver({
      db: h.db,
      clock: h.clock,
      stripe,
      webhookSecret: standIn.webhookSecret,
      handlers: createConnectEventHandlers({ db: h.db, ledger: h.deps.ledger, stripe }),
    });
    orgId = (await h.newOrg({ creditMicros: 0n })).orgId;
  });

  afterAll(async () => {
    await standIn.close();
    await h.close();
  });

  /** Approved earnings on the tester's live payable account, as approval books them. */
  async function earn(testerId: string, micros: bigint): Promise<void> {
    const job = await createJob(h.db, orgId, "live");
    const assignmentId = job.assignmentIds[0] ?? "";
    await inTx(h.db, (tx) =>
      h.deps.ledger.accrueEarning(tx, { jobId: job.jobId, assignmentId, testerId, micros }),
    );
  }

  async function deliver(event: Record<string, unknown>) {
    const { payload, signature } = connect.signed(event);
    return receiver.receive(payload, signature);
  }

  /** Onboards the tester through the link and the account.updated event; returns the account id. */
  async function enable(testerId: string): Promise<string> {
    await payouts.onboardingLink({ testerId });
    const profile = await h.db.testerProfile.findUniqueOrThrow({ where: { id: testerId } });
    const accountId = profile.stripeConnectAccountId ?? "";
    await deliver(connect.setPayoutsEnabled(accountId, true));
    return accountId;
  }

  const books = (testerId: string) => h.deps.ledger.testerBalance(testerId, "live");
  const emailOf = async (testerId: string) =>
    (await h.db.testerProfile.findUniqueOrThrow({ where: { id: testerId }, include: { user: true } })).user
      .email;

  it("onboarding creates one Express account and a link; account.updated enables payouts", async () => {
    const testerId = await h.newTester();
    const link = await payouts.onboardingLink({ testerId });
    expect(link.url).toMatch(/\/connect\/onboarding\/acct_/);
    const created = standIn.requests.filter((r) => r.method === "POST" && r.path === "/v1/accounts").at(-1);
    expect(created?.body).toMatchObject({
      type: "express",
      email: await emailOf(testerId),
      capabilities: { transfers: { requested: "true" } },
      metadata: { testerId },
    });
    const linkRequest = standIn.requests.filter((r) => r.path === "/v1/account_links").at(-1);
    expect(linkRequest?.body).toMatchObject({
      type: "account_onboarding",
      return_url: `${h.config.publicUrl}/payouts/connect/return`,
      refresh_url: `${h.config.publicUrl}/payouts/connect/refresh`,
    });
    const accountId = (await h.db.testerProfile.findUniqueOrThrow({ where: { id: testerId } }))
      .stripeConnectAccountId;
    expect(accountId).toMatch(/^acct_/);
    expect(await payouts.summary({ testerId })).toMatchObject({
      payoutsEnabled: false,
      stripeConfigured: true,
      connectAccountId: accountId,
    });
    // Not onboarded yet: a request is refused with a clear message.
    expect(await domainErrorOf(payouts.request({ testerId }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/not enabled.*setting up payouts/) as unknown,
    });

    await deliver(connect.setPayoutsEnabled(accountId ?? "", true));
    expect((await payouts.summary({ testerId })).payoutsEnabled).toBe(true);

    // A second link reuses the account; an unknown account's event changes nothing.
    const accountsBefore = connect.accounts.size;
    await payouts.onboardingLink({ testerId });
    expect(connect.accounts.size).toBe(accountsBefore);
    const stranger = await stripe.accounts.create({ type: "express" });
    const outcome = await deliver(connect.setPayoutsEnabled(stranger.id, true));
    expect(outcome.duplicate).toBe(false);
  });

  it("request transfers whole cents to the tester's account with the payout's idempotency key; payable → paid", async () => {
    const testerId = await h.newTester();
    const accountId = await enable(testerId);
    await earn(testerId, 12_345_678n);
    const payout = await payouts.request({ testerId });
    expect(payout).toMatchObject({ status: "paid", method: "stripe", amountUsd: 12.34 });
    const transferRequest = standIn.requests.filter((r) => r.path === "/v1/transfers").at(-1);
    expect(transferRequest?.body).toMatchObject({
      amount: "1234",
      currency: "usd",
      destination: accountId,
      metadata: { payoutId: payout.id },
    });
    expect(transferRequest?.idempotencyKey).toBe(`payout_${payout.id}`);
    const transfer = [...connect.transfers.values()].find((t) => t.destination === accountId);
    expect(payout.stripeTransferId).toBe(transfer?.id);
    expect(payout.paidAt).toEqual(h.clock.now());
    expect(await books(testerId)).toEqual({ payableMicros: 5_678n, paidMicros: 12_340_000n });
    expect(await payouts.summary({ testerId })).toMatchObject({
      payableUsd: 0.005678,
      paidUsd: 12.34,
      pendingUsd: 0,
    });
    expect((await payouts.list({ testerId }, {})).data.map((row) => row.id)).toEqual([payout.id]);

    // What is left is below the minimum: 409 naming both amounts, nothing written.
    const count = await h.db.payout.count({ where: { testerId } });
    expect(await domainErrorOf(payouts.request({ testerId }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/\$0\.005678 are below the payout minimum of \$1/) as unknown,
    });
    expect(await h.db.payout.count({ where: { testerId } })).toBe(count);
  });

  it("a transfer Stripe refuses fails the payout and restores payable", async () => {
    const testerId = await h.newTester();
    const accountId = await enable(testerId);
    await earn(testerId, 3n * USD);
    connect.failTransfersTo(accountId, "This account cannot receive transfers");
    const payout = await payouts.request({ testerId });
    expect(payout).toMatchObject({ status: "failed", stripeTransferId: null, paidAt: null });
    expect(payout.failureReason).toMatch(/This account cannot receive transfers/);
    expect(await books(testerId)).toEqual({ payableMicros: 3n * USD, paidMicros: 0n });
    expect(await payouts.summary({ testerId })).toMatchObject({ payableUsd: 3, paidUsd: 0, pendingUsd: 0 });
  });

  it("transfer.reversed fails a paid payout and restores payable exactly once, however often it arrives", async () => {
    const testerId = await h.newTester();
    await enable(testerId);
    await earn(testerId, 2n * USD);
    const payout = await payouts.request({ testerId });
    expect(payout.status).toBe("paid");
    const event = connect.reverseTransfer(payout.stripeTransferId ?? "");
    await deliver(event);
    // The same event again is a duplicate; a second distinct reversal event does nothing either.
    expect((await deliver(event)).duplicate).toBe(true);
    await deliver(
      standIn.event("transfer.reversed", (event.data as { object: Record<string, unknown> }).object),
    );
    const row = await h.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(row).toMatchObject({ status: "failed", failureReason: "Stripe reversed the transfer" });
    expect(await books(testerId)).toEqual({ payableMicros: 2n * USD, paidMicros: 0n });
    const reversals = await h.db.ledgerTransaction.count({
      where: { kind: "payout_reversal", memo: { contains: payout.id } },
    });
    expect(reversals).toBe(1);
  });

  it("a crash after booking is reconciled; a reversal before the paid update wins and reverses once", async () => {
    const testerId = await h.newTester();
    const accountId = await enable(testerId);
    await earn(testerId, 4n * USD);
    // Step 1 committed, then the process died: a pending payout booked on the ledger, no transfer.
    const crashed = await inTx(h.db, async (tx) => {
      const row = await tx.payout.create({
        data: { testerId, amountMicros: 1n * USD, status: "pending", method: "stripe" },
      });
      await h.deps.ledger.payOut(tx, { testerId, micros: 1n * USD, payoutId: row.id });
      return row;
    });
    const recovered = await payouts.reconcile();
    expect(recovered.paid.map((row) => row.id)).toEqual([crashed.id]);
    expect(standIn.requests.filter((r) => r.path === "/v1/transfers").at(-1)?.idempotencyKey).toBe(
      `payout_${crashed.id}`,
    );

    // This time the transfer went out but the process died before recording it, and Stripe
    // reversed it before anyone saw the paid update.
    const second = await inTx(h.db, async (tx) => {
      const row = await tx.payout.create({
        data: { testerId, amountMicros: 2n * USD, status: "pending", method: "stripe" },
      });
      await h.deps.ledger.payOut(tx, { testerId, micros: 2n * USD, payoutId: row.id });
      return row;
    });
    const transfer = await stripe.transfers.create(
      { amount: 200, currency: "usd", destination: accountId, metadata: { payoutId: second.id } },
      { idempotencyKey: `payout_${second.id}` },
    );
    await deliver(connect.reverseTransfer(transfer.id));
    expect(await h.db.payout.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "failed",
      stripeTransferId: transfer.id,
    });
    // Reconcile only retries payouts without a transfer id; the failed one stays failed.
    const transfersBefore = connect.transfers.size;
    expect(await payouts.reconcile()).toEqual({ paid: [], failed: [], pending: [] });
    expect(connect.transfers.size).toBe(transfersBefore);
    expect(await books(testerId)).toEqual({ payableMicros: 3n * USD, paidMicros: 1n * USD });
  });

  it("the scheduled run pays only testers with payouts enabled and payable at the minimum", async () => {
    const eligible = await h.newTester();
    const small = await h.newTester();
    const notOnboarded = await h.newTester();
    await enable(eligible);
    await enable(small);
    await earn(eligible, 5_000_001n);
    await earn(small, 999_999n);
    await earn(notOnboarded, 5n * USD);
    const now = h.clock.advance(60_000);
    const report = await payouts.runScheduled(now);
    const mine = report.paid.filter((row) => [eligible, small, notOnboarded].includes(row.testerId));
    expect(mine.map((row) => [row.testerId, row.amountUsd])).toEqual([[eligible, 5]]);
    expect(mine[0]?.paidAt).toEqual(now);
    expect(await books(small)).toEqual({ payableMicros: 999_999n, paidMicros: 0n });
    expect(await books(notOnboarded)).toEqual({ payableMicros: 5n * USD, paidMicros: 0n });
    // Run again: nothing left to pay.
    const again = await payouts.runScheduled(h.clock.now());
    expect(again.paid.filter((row) => row.testerId === eligible)).toEqual([]);
  });

  describe("operator-recorded payouts", () => {
    it("records a paid manual payout once per idempotency key; another amount with the key is 409", async () => {
      const testerId = await h.newTester();
      const email = await emailOf(testerId);
      await earn(testerId, 10n * USD);
      const operator = { userId: null };
      const input = {
        testerEmail: email.toUpperCase(),
        usd: "7.25",
        note: "Bank transfer 42",
        idempotencyKey: "ops-1",
      };
      const first = await payouts.record(operator, input);
      expect(first).toMatchObject({
        status: "paid",
        method: "manual",
        amountUsd: 7.25,
        note: "Bank transfer 42",
        replayed: false,
        tester: { email },
      });
      const replay = await payouts.record(operator, input);
      expect(replay).toMatchObject({ id: first.id, replayed: true });
      expect(await domainErrorOf(payouts.record(operator, { ...input, usd: 7 }))).toMatchObject({
        code: "CONFLICT",
        message: expect.stringMatching(/^idempotencyKey: already used for a payout of \$7\.25/) as unknown,
      });
      expect(await books(testerId)).toEqual({ payableMicros: 2_750_000n, paidMicros: 7_250_000n });
      expect((await payouts.listAll({ status: "paid" })).data.some((row) => row.id === first.id)).toBe(true);
      expect((await payouts.listAll({ status: "failed" })).data.some((row) => row.id === first.id)).toBe(
        false,
      );
    });

    it("refuses more than payable (409, nothing written), fractions of a cent and unknown testers, naming the field", async () => {
      const testerId = await h.newTester();
      const email = await emailOf(testerId);
      await earn(testerId, 1n * USD);
      const operator = { userId: null };
      expect(await domainErrorOf(payouts.record(operator, { testerEmail: email, usd: 1.01 }))).toMatchObject({
        code: "CONFLICT",
        message: "usd: Payout $1.01 exceeds the tester's unpaid earnings of $1",
      });
      expect(await h.db.payout.count({ where: { testerId } })).toBe(0);
      expect(await books(testerId)).toEqual({ payableMicros: 1n * USD, paidMicros: 0n });
      expect(
        await domainErrorOf(payouts.record(operator, { testerEmail: email, usd: "0.001" })),
      ).toMatchObject({
        code: "VALIDATION",
        message: "usd: must be whole cents (at most 2 decimals)",
      });
      expect(await domainErrorOf(payouts.record(operator, { testerEmail: email, usd: 0 }))).toMatchObject({
        code: "VALIDATION",
        message: "usd: must be more than 0",
      });
      expect(
        await domainErrorOf(payouts.record(operator, { testerEmail: "nobody@example.test", usd: 1 })),
      ).toMatchObject({
        code: "NOT_FOUND",
        message: expect.stringMatching(/^testerEmail: no tester/) as unknown,
      });
    });
  });

  it("without Stripe: request and onboarding are 409 with a clear message; manual payouts still work", async () => {
    const offline = createPayoutsService(
      { db: h.db, clock: h.clock, ledger: h.deps.ledger, config: h.config },
      { stripe: null },
    );
    const testerId = await h.newTester();
    await earn(testerId, 2n * USD);
    for (const attempt of [offline.request({ testerId }), offline.onboardingLink({ testerId })]) {
      expect(await domainErrorOf(attempt)).toMatchObject({
        code: "CONFLICT",
        message:
          "Stripe payouts are not configured on this server; the platform operator records payouts instead",
      });
    }
    expect(await offline.summary({ testerId })).toMatchObject({
      stripeConfigured: false,
      payoutsEnabled: false,
      payableUsd: 2,
    });
    expect(await offline.runScheduled(h.clock.now())).toEqual({ paid: [], failed: [], pending: [] });
    const recorded = await offline.record({ userId: null }, { testerEmail: await emailOf(testerId), usd: 2 });
    expect(recorded.status).toBe("paid");
  });
});
