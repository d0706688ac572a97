// Concurrent holds against one organisation never over-commit its credit, on PGlite and PostgreSQL.
import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Db, type Ledger } from "../types";
import { accounts } from "./accounts";
import { createLedger } from "./ledger";
import { createJob, createOrg, inTx, lowestRunningBalance, unbalancedTransactions } from "./ledger-fixtures";

const HOLD = 1_080_000n;

describeEachEngine("ledger under concurrency", (getDb) => {
  let db: Db;
  let ledger: Ledger;

  beforeAll(() => {
    db = getDb().prisma;
    ledger = createLedger(db);
  });

  it("lets exactly 10 of 30 concurrent holds through when credit covers exactly 10", async () => {
    const orgId = await createOrg(db);
    await ledger.grantCredits({ orgId, mode: "live", micros: 10n * HOLD });
    const jobs = await Promise.all(Array.from({ length: 30 }, () => createJob(db, orgId, "live")));

    const results = await Promise.allSettled(
      jobs.map(({ jobId }) =>
        inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: HOLD })),
      ),
    );

    const refused = results.filter((result) => result.status === "rejected");
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const result of refused) expect(result.reason).toMatchObject({ code: "INSUFFICIENT_CREDIT" });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 10n * HOLD,
      heldMicros: 10n * HOLD,
      availableMicros: 0n,
    });
    expect(await db.hold.count({ where: { orgId } })).toBe(10);
    expect(await db.ledgerTransaction.count({ where: { kind: "hold_place", job: { orgId } } })).toBe(10);
    expect(await lowestRunningBalance(db, accounts.orgCredit(orgId, "live").key)).toBe(0n);
    expect(await unbalancedTransactions(db)).toEqual([]);
  });

  it("keeps books exact when holds, raises, captures and releases of one organisation race", async () => {
    const orgId = await createOrg(db);
    await ledger.grantCredits({ orgId, mode: "live", micros: 12n * HOLD });
    const jobs = await Promise.all(Array.from({ length: 6 }, () => createJob(db, orgId, "live")));
    for (const { jobId } of jobs) {
      await inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "live", micros: HOLD }));
    }

    // Six raises of HOLD race against captures and releases; only the 6 × HOLD left may be raised.
    const work = jobs.flatMap(({ jobId, assignmentIds }) => [
      inTx(db, (tx) => ledger.raiseHold(tx, { jobId, micros: HOLD })),
      inTx(db, (tx) =>
        ledger.captureCharge(tx, { jobId, assignmentId: assignmentIds[0] ?? "", micros: 100_000n }),
      ),
      inTx(db, (tx) =>
        ledger.captureCharge(tx, { jobId, assignmentId: assignmentIds[0] ?? "", micros: 100_000n }),
      ),
      inTx(db, (tx) => ledger.releaseHold(tx, { jobId, micros: 80_000n })),
    ]);
    const results = await Promise.allSettled(work);
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);

    // Each job: 2 × HOLD held, 100,000 captured once, 80,000 released.
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 12n * HOLD - 6n * 100_000n,
      heldMicros: 6n * (2n * HOLD - 180_000n),
      availableMicros: 6n * 80_000n,
    });
    const closed = await Promise.all(
      jobs.map(({ jobId }) => inTx(db, (tx) => ledger.closeHold(tx, { jobId }))),
    );
    for (const result of closed)
      expect(result).toEqual({ capturedMicros: 100_000n, releasedMicros: 2n * HOLD - 100_000n });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: 12n * HOLD - 600_000n,
      heldMicros: 0n,
      availableMicros: 12n * HOLD - 600_000n,
    });
    expect(await lowestRunningBalance(db, accounts.orgCredit(orgId, "live").key)).toBe(0n);
    expect(await unbalancedTransactions(db)).toEqual([]);
  });

  it("accepts 30 concurrent test-mode holds with no test credit, topping up exactly, live untouched", async () => {
    const orgId = await createOrg(db);
    await ledger.grantCredits({ orgId, mode: "live", micros: HOLD });
    const jobs = await Promise.all(Array.from({ length: 30 }, () => createJob(db, orgId, "test")));

    await Promise.all(
      jobs.map(({ jobId }) =>
        inTx(db, (tx) => ledger.placeHold(tx, { orgId, jobId, mode: "test", micros: HOLD })),
      ),
    );

    expect(await ledger.balance(orgId, "test")).toEqual({
      balanceMicros: 30n * HOLD,
      heldMicros: 30n * HOLD,
      availableMicros: 0n,
    });
    expect(await ledger.balance(orgId, "live")).toEqual({
      balanceMicros: HOLD,
      heldMicros: 0n,
      availableMicros: HOLD,
    });
    expect(await db.ledgerTransaction.count({ where: { kind: "sandbox_topup", job: { orgId } } })).toBe(30);
    expect(await lowestRunningBalance(db, accounts.orgCredit(orgId, "test").key)).toBe(0n);
  });
});
