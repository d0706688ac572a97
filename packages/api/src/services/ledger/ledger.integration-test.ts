// Ledger flows with exact figures on both engines: grants, holds, captures, releases, 402s and test mode.
import { beforeAll, describe, expect, it } from "vitest";

import { DomainError } from "@eyeball/core";
import { describeEachEngine } from "@eyeball/db/testing";

import { type Db, type Ledger } from "../types";
import { accounts } from "./accounts";
import { createLedger } from "./ledger";
import { createJob, createOrg, inTx, unbalancedTransactions } from "./ledger-fixtures";
import { assertBalanced } from "./postings";

const USD = 1_000_000n;

describe("assertBalanced", () => {
  const credit = accounts.orgCredit("org", "live");
  const hold = accounts.orgHold("org", "live");

  it("accepts postings that sum to zero and refuses anything else before a write", () => {
    expect(() => {
      assertBalanced({
        mode: "live",
        postings: [
          { account: credit, amountMicros: -5n },
          { account: hold, amountMicros: 5n },
        ],
      });
    }).not.toThrow();
    expect(() => {
      assertBalanced({
        mode: "live",
        postings: [
          { account: credit, amountMicros: -5n },
          { account: hold, amountMicros: 4n },
        ],
      });
    }).toThrow(/sum to zero, got -1/);
    expect(() => {
      assertBalanced({
        mode: "live",
        postings: [
          { account: credit, amountMicros: 0n },
          { account: hold, amountMicros: 0n },
        ],
      });
    }).toThrow(/cannot be zero/);
    expect(() => {
      assertBalanced({ mode: "live", postings: [{ account: credit, amountMicros: 5n }] });
    }).toThrow(/at least two/);
    expect(() => {
      assertBalanced({
        mode: "live",
        postings: [
          { account: credit, amountMicros: -5n },
          { account: accounts.orgHold("org", "test"), amountMicros: 5n },
        ],
      });
    }).toThrow(/test/);
  });
});

describeEachEngine("ledger", (getDb) => {
  let db: Db;
  let ledger: Ledger;

  beforeAll(() => {
    db = getDb().prisma;
    ledger = createLedger(db);
  });

  it("grants credit once per idempotency key and refuses a key reused for another grant", async () => {
    const orgId = await createOrg(db);
    // Racing first calls: one wins the unique key, the others find its grant and do nothing.
    await Promise.all(
      Array.from({ length: 5 }, () =>
        ledger.grantCredits({ orgId, mode: "live", micros: 25n * USD, idempotencyKey: `k-${orgId}` }),
      ),
    );
    await ledger.grantCredits({ orgId, mode: "live", micros: 25n * USD, idempotencyKey: `k-${orgId}` });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 25n * USD,
      heldMicros: 0n,
      availableMicros: 25n * USD,
    });
    await expect(
      ledger.grantCredits({ orgId, mode: "live", micros: 1n, idempotencyKey: `k-${orgId}` }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // Without a key every call is a new grant.
    await ledger.grantCredits({ orgId, mode: "live", micros: 1n, kind: "credit_purchase", memo: "top up" });
    await ledger.grantCredits({ orgId, mode: "live", micros: 1n });
    expect((await ledger.balance(orgId, "live")).balanceMicros).toBe(25n * USD + 2n);
    expect(await ledger.balance(orgId, "test")).toEqual({
      balanceMicros: 0n,
      heldMicros: 0n,
      availableMicros: 0n,
    });
    await expect(ledger.grantCredits({ orgId, mode: "live", micros: 0n })).rejects.toMatchObject({
      code: "VALIDATION",
    });

    const grants = await db.ledgerTransaction.findMany({
      where: { postings: { some: { account: { key: accounts.orgCredit(orgId, "live").key } } } },
      orderBy: { createdAt: "asc" },
    });
    expect(grants.map((grant) => grant.kind).sort()).toEqual([
      "credit_grant",
      "credit_grant",
      "credit_purchase",
    ]);
    expect(grants.find((grant) => grant.kind === "credit_purchase")?.memo).toBe("top up");
  });

  it("places, raises, releases, captures and closes a hold with exact figures", async () => {
    const orgId = await createOrg(db);
    const { jobId, assignmentIds } = await createJob(db, orgId, "live", 2);
    const [first, second] = assignmentIds as [string, string];
    await ledger.grantCredits({ orgId, mode: "live", micros: 10n * USD });

    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: 3_240_000n }));
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 10_000_000n,
      heldMicros: 3_240_000n,
      availableMicros: 6_760_000n,
    });

    await inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: 1_080_000n }));
    await inTx(db, (tx) => ledger.releaseHold(tx, { jobId, micros: 500_000n }));
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 10_000_000n,
      heldMicros: 3_820_000n,
      availableMicros: 6_180_000n,
    });

    // 220 s at 1800 µ$/s: 396,000 µ$ ($0.396).
    await inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId: first, micros: 396_000n }));
    // A retried capture of the same slot charges nothing more, whatever it asks.
    await inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId: first, micros: 396_000n }));
    await inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId: first, micros: 999n }));
    await inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId: second, micros: 1_800n }));
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 9_602_200n,
      heldMicros: 3_422_200n,
      availableMicros: 6_180_000n,
    });
    expect(await db.hold.findUnique({ where: { jobId } })).toMatchObject({
      orgId,
      amountMicros: 4_320_000n,
      capturedMicros: 397_800n,
      releasedMicros: 500_000n,
      status: "active",
    });

    const closed = await inTx(db, (tx) => ledger.closeHold(tx, { jobId }));
    expect(closed).toEqual({ capturedMicros: 397_800n, releasedMicros: 3_922_200n });
    expect(closed.capturedMicros + closed.releasedMicros).toBe(4_320_000n);
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 9_602_200n,
      heldMicros: 0n,
      availableMicros: 9_602_200n,
    });
    expect(await db.hold.findUnique({ where: { jobId } })).toMatchObject({
      capturedMicros: 397_800n,
      releasedMicros: 3_922_200n,
      status: "settled",
    });
    // Closing again moves nothing and reports the same figures; so does releasing a closed hold.
    expect(await inTx(db, (tx) => ledger.closeHold(tx, { jobId }))).toEqual(closed);
    await inTx(db, (tx) => ledger.releaseHold(tx, { jobId, micros: 1n }));
    await expect(inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: 1n }))).rejects.toMatchObject({
      code: "INVALID_TRANSITION",
    });

    const transactions = await db.ledgerTransaction.findMany({
      where: { jobId },
      orderBy: { createdAt: "asc" },
      include: { postings: { include: { account: true } } },
    });
    expect(transactions.map((t) => t.kind).sort()).toEqual(
      ["hold_capture", "hold_capture", "hold_place", "hold_raise", "hold_release", "hold_release"].sort(),
    );
    const capture = transactions.find((t) => t.assignmentId === first);
    expect(capture?.idempotencyKey).toBe(`capture:${first}`);
    expect(
      capture?.postings
        .map((p) => [p.account.key, p.amountMicros])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      [accounts.orgHold(orgId, "live").key, -396_000n],
      [accounts.platformRevenue("live").key, 396_000n],
    ]);
    const credit = await db.ledgerAccount.findUnique({
      where: { key: accounts.orgCredit(orgId, "live").key },
    });
    expect(credit).toMatchObject({ kind: "org_credit", mode: "live", orgId });
    expect(await unbalancedTransactions(db)).toEqual([]);
  });

  it("releases never more than is left, and marks a hold with nothing captured as released", async () => {
    const orgId = await createOrg(db);
    const { jobId, assignmentIds } = await createJob(db, orgId, "live");
    await ledger.grantCredits({ orgId, mode: "live", micros: 2n * USD });
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: USD }));
    await inTx(db, (tx) => ledger.releaseHold(tx, { jobId, micros: 5n * USD }));
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 2n * USD,
      heldMicros: 0n,
      availableMicros: 2n * USD,
    });
    // Nothing is left to charge: a capture above the hold is a bug in the cost engine, not a 402.
    await expect(
      inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId: assignmentIds[0] ?? "", micros: 1n })),
    ).rejects.toMatchObject({ code: "INTERNAL" });
    expect(await inTx(db, (tx) => ledger.closeHold(tx, { jobId }))).toEqual({
      capturedMicros: 0n,
      releasedMicros: USD,
    });
    expect(await db.hold.findUnique({ where: { jobId } })).toMatchObject({ status: "released" });
    expect(await db.ledgerTransaction.count({ where: { jobId, kind: "hold_release" } })).toBe(1);
  });

  it("refuses a capture above what is left on the hold and writes nothing", async () => {
    const orgId = await createOrg(db);
    const { jobId, assignmentIds } = await createJob(db, orgId, "live");
    const assignmentId = assignmentIds[0] ?? "";
    await ledger.grantCredits({ orgId, mode: "live", micros: 5n * USD });
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: 540_000n }));
    await expect(
      inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId, micros: 540_001n })),
    ).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/\$0\.540001 exceeds the \$0\.54 left/) as unknown,
    });
    expect(await db.ledgerTransaction.count({ where: { jobId, kind: "hold_capture" } })).toBe(0);
    // The refused capture used no idempotency key: the real charge still goes through.
    await inTx(db, (tx) => ledger.captureCharge(tx, { jobId, assignmentId, micros: 540_000n }));
    expect(await inTx(db, (tx) => ledger.closeHold(tx, { jobId }))).toEqual({
      capturedMicros: 540_000n,
      releasedMicros: 0n,
    });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 4_460_000n,
      heldMicros: 0n,
      availableMicros: 4_460_000n,
    });
  });

  it("answers 402 when live credit does not cover a hold, and the caller's transaction leaves nothing behind", async () => {
    const orgId = await createOrg(db);
    await ledger.grantCredits({ orgId, mode: "live", micros: USD });
    const before = await db.ledgerTransaction.count();
    let jobId = "";

    const error: unknown = await inTx(db, async (tx) => {
      ({ jobId } = await createJob(tx, orgId, "live"));
      await ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: 1_080_000n });
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: "INSUFFICIENT_CREDIT",
      httpStatus: 402,
      message: "Insufficient credit: available $1, needs $1.08",
    });
    expect(await db.job.findUnique({ where: { id: jobId } })).toBeNull();
    expect(await db.hold.count({ where: { orgId } })).toBe(0);
    expect(await db.ledgerTransaction.count()).toBe(before);
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: USD,
      heldMicros: 0n,
      availableMicros: USD,
    });
    // The ledger refuses before writing, so even a caller that swallows the 402 commits nothing of it.
    const swallowed = await createJob(db, orgId, "live");
    await inTx(db, (tx) =>
      ledger
        .placeHold(tx, { orgId, jobId: swallowed.jobId, mode: "live", micros: 2n * USD })
        .catch(() => undefined),
    );
    expect(await db.ledgerTransaction.count()).toBe(before);
    expect(await db.hold.count({ where: { orgId } })).toBe(0);
  });

  it("refuses a raise that credit does not cover and keeps the hold as it was", async () => {
    const orgId = await createOrg(db);
    const { jobId } = await createJob(db, orgId, "live");
    await ledger.grantCredits({ orgId, mode: "live", micros: 2n * USD });
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: 1_500_000n }));
    await expect(inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: 500_001n }))).rejects.toMatchObject({
      code: "INSUFFICIENT_CREDIT",
      message: "Insufficient credit: available $0.5, needs $0.500001",
    });
    expect(await db.hold.findUnique({ where: { jobId } })).toMatchObject({ amountMicros: 1_500_000n });
    await inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: 500_000n }));
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 2n * USD,
      heldMicros: 2n * USD,
      availableMicros: 0n,
    });
  });

  it("never refuses in test mode: tops test credit up by the shortfall and never touches live books", async () => {
    const orgId = await createOrg(db);
    await ledger.grantCredits({ orgId, mode: "live", micros: 7n * USD });
    const liveKeys = [accounts.orgCredit(orgId, "live").key, accounts.orgHold(orgId, "live").key];
    const livePostings = () => db.ledgerPosting.count({ where: { account: { key: { in: liveKeys } } } });
    const liveBefore = await livePostings();

    const a = await createJob(db, orgId, "test");
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId: a.jobId, mode: "test", micros: 3n * USD }));
    expect(await ledger.balance(orgId, "test")).toEqual({
      balanceMicros: 3n * USD,
      heldMicros: 3n * USD,
      availableMicros: 0n,
    });

    await ledger.grantCredits({ orgId, mode: "test", micros: USD });
    const b = await createJob(db, orgId, "test");
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId: b.jobId, mode: "test", micros: 2_500_000n }));
    await inTx(db, (tx) => ledger.raiseHold(tx, { jobId: b.jobId, micros: 100n }));
    const topups = await db.ledgerTransaction.findMany({
      where: { kind: "sandbox_topup", jobId: { in: [a.jobId, b.jobId] } },
      include: { postings: { include: { account: true } } },
    });
    const toppedUp = topups.flatMap((t) => t.postings).filter((p) => p.account.kind === "org_credit");
    expect(toppedUp.map((p) => p.amountMicros).sort()).toEqual([100n, 1_500_000n, 3_000_000n]);
    expect(topups.every((t) => t.mode === "test" && t.postings.every((p) => p.account.mode === "test"))).toBe(
      true,
    );

    await inTx(db, (tx) =>
      ledger.captureCharge(tx, { jobId: b.jobId, assignmentId: b.assignmentIds[0] ?? "", micros: 36_000n }),
    );
    await inTx(db, (tx) => ledger.closeHold(tx, { jobId: b.jobId }));
    expect(await ledger.balance(orgId, "test")).toEqual({
      balanceMicros: 5_500_100n - 36_000n,
      heldMicros: 3n * USD,
      availableMicros: 2_464_100n,
    });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 7n * USD,
      heldMicros: 0n,
      availableMicros: 7n * USD,
    });
    expect(await livePostings()).toBe(liveBefore);
    const testRevenue = await db.ledgerPosting.aggregate({
      _sum: { amountMicros: true },
      where: { transaction: { jobId: b.jobId }, account: { key: accounts.platformRevenue("test").key } },
    });
    expect(testRevenue._sum.amountMicros).toBe(36_000n);
  });

  it("refuses a second hold for a job, a hold in the wrong books and operations on jobs without a hold", async () => {
    const orgId = await createOrg(db);
    const otherOrgId = await createOrg(db);
    const { jobId, assignmentIds } = await createJob(db, orgId, "test");
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "test", micros: 10n }));
    await expect(
      inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "test", micros: 10n })),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const other = await createJob(db, orgId, "live");
    await expect(
      inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId: other.jobId, mode: "test", micros: 10n })),
    ).rejects.toMatchObject({ code: "INTERNAL" });
    await expect(
      inTx(db, (tx) =>
        ledger.placeHold(tx, { orgId: otherOrgId, jobId: other.jobId, mode: "live", micros: 10n }),
      ),
    ).rejects.toMatchObject({ code: "INTERNAL" });
    await expect(
      inTx(db, (tx) => ledger.releaseHold(tx, { jobId: other.jobId, micros: 1n })),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(inTx(db, (tx) => ledger.closeHold(tx, { jobId: "job_missing" }))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: -1n }))).rejects.toMatchObject({
      code: "VALIDATION",
    });
    // A slot charged to one job can never be charged again through another.
    const second = await createJob(db, orgId, "test");
    await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId: second.jobId, mode: "test", micros: 10n }));
    await inTx(db, (tx) =>
      ledger.captureCharge(tx, { jobId, assignmentId: assignmentIds[0] ?? "", micros: 5n }),
    );
    await expect(
      inTx(db, (tx) =>
        ledger.captureCharge(tx, { jobId: second.jobId, assignmentId: assignmentIds[0] ?? "", micros: 5n }),
      ),
    ).rejects.toMatchObject({ code: "INTERNAL" });
  });
});
