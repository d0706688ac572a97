// Many jobs created at once against one organisation's credit: exactly those it covers succeed, on PGlite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { accounts } from "../ledger/accounts";
import { lowestRunningBalance, unbalancedTransactions } from "../ledger/ledger-fixtures";
import { createHarness, type Harness } from "./testing/harness";

const JOBS = 30;
/** 5 minutes at $0.0018/s, extensions unlimited (raised per grant): the hold of each job. */
const HOLD = 540_000n;

describeEachEngine("jobs created concurrently", (getDb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(getDb());
  });
  afterAll(async () => {
    await h.close();
  });

  it("exactly floor(credit / hold) succeed; the rest get 402 and leave no job, hold or ledger row", async () => {
    const credit = 11n * HOLD + HOLD / 2n; // covers 11 holds and half of a 12th
    const org = await h.newOrg({ creditMicros: credit });
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: JOBS }, (_, i) =>
        h.services.jobs.create(
          org.live,
          { url: "https://example.com", description: `Concurrent ${i}` },
          { source: "runhuman" },
        ),
      ),
    );
    const elapsed = Math.round(performance.now() - started);
    console.info(`${JOBS} concurrent creations took ${elapsed} ms`);

    const created = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    const covered = Number(credit / HOLD);
    expect(created).toHaveLength(covered);
    expect(refused).toHaveLength(JOBS - covered);
    for (const reason of refused) expect(reason).toMatchObject({ code: "INSUFFICIENT_CREDIT" });

    const ids = created.map((job) => job.id);
    expect(await h.db.job.count({ where: { orgId: org.orgId } })).toBe(covered);
    expect((await h.db.job.findMany({ where: { orgId: org.orgId } })).map((j) => j.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(await h.db.hold.count({ where: { orgId: org.orgId } })).toBe(covered);
    expect(await h.db.assignment.count({ where: { job: { orgId: org.orgId } } })).toBe(covered);
    expect(await h.db.jobEvent.count({ where: { job: { orgId: org.orgId } } })).toBe(covered * 2);
    const holdPlacements = await h.db.ledgerTransaction.findMany({
      where: { kind: "hold_place", job: { orgId: org.orgId } },
    });
    expect(holdPlacements.map((t) => t.jobId).sort()).toEqual([...ids].sort());

    expect(await h.deps.ledger.balance(org.orgId, "live")).toEqual({
      balanceMicros: credit,
      heldMicros: BigInt(covered) * HOLD,
      availableMicros: credit - BigInt(covered) * HOLD,
    });
    expect(await lowestRunningBalance(h.db, accounts.orgCredit(org.orgId, "live").key)).toBe(0n);
    expect(await unbalancedTransactions(h.db)).toEqual([]);
  });
});
