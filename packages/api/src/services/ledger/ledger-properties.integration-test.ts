// Randomised ledger sequences against a plain model: figures match, postings balance, holds add up.
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Db, type Ledger, type Mode } from "../types";
import { accounts } from "./accounts";
import { createLedger } from "./ledger";
import {
  createJob,
  createOrg,
  inTx,
  lowestRunningBalance,
  type TestJob,
  unbalancedTransactions,
} from "./ledger-fixtures";

const JOBS = 3;
const SLOTS = 3;

type Op =
  | { op: "grant"; micros: bigint }
  | { op: "place"; job: number; micros: bigint }
  | { op: "raise"; job: number; micros: bigint }
  | { op: "release"; job: number; micros: bigint }
  | { op: "capture"; job: number; slot: number; micros: bigint }
  | { op: "close"; job: number };

const amount = fc.bigInt({ min: 0n, max: 3_000_000n });
const job = fc.integer({ min: 0, max: JOBS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("grant" as const), micros: fc.bigInt({ min: 1n, max: 5_000_000n }) }),
  fc.record({ op: fc.constant("place" as const), job, micros: amount }),
  fc.record({ op: fc.constant("raise" as const), job, micros: amount }),
  fc.record({ op: fc.constant("release" as const), job, micros: amount }),
  fc.record({
    op: fc.constant("capture" as const),
    job,
    slot: fc.integer({ min: 0, max: SLOTS - 1 }),
    micros: amount,
  }),
  fc.record({ op: fc.constant("close" as const), job }),
);

interface ModelHold {
  amount: bigint;
  captured: bigint;
  released: bigint;
  open: boolean;
  chargedSlots: Set<number>;
}

/** What the ledger should do, kept in plain numbers: the expected outcome of each op. */
class Model {
  available = 0n;
  revenue = 0n;
  topups = 0n;
  holds = new Map<number, ModelHold>();
  constructor(readonly mode: Mode) {}

  remaining(hold: ModelHold): bigint {
    return hold.open ? hold.amount - hold.captured - hold.released : 0n;
  }
  held(): bigint {
    let sum = 0n;
    for (const hold of this.holds.values()) sum += this.remaining(hold);
    return sum;
  }
  private reserve(micros: bigint): string | undefined {
    if (this.available < micros) {
      if (this.mode === "live") return "INSUFFICIENT_CREDIT";
      this.topups += micros - this.available;
      this.available = micros;
    }
    this.available -= micros;
    return undefined;
  }

  /** Applies the op; returns the error code the ledger must throw, or undefined for success. */
  apply(op: Op): string | undefined {
    if (op.op === "grant") {
      this.available += op.micros;
      return undefined;
    }
    const hold = this.holds.get(op.job);
    switch (op.op) {
      case "place": {
        if (hold) return "CONFLICT";
        const refused = this.reserve(op.micros);
        if (refused) return refused;
        this.holds.set(op.job, {
          amount: op.micros,
          captured: 0n,
          released: 0n,
          open: true,
          chargedSlots: new Set(),
        });
        return undefined;
      }
      case "raise": {
        if (!hold) return "NOT_FOUND";
        if (!hold.open) return "INVALID_TRANSITION";
        const refused = this.reserve(op.micros);
        if (refused) return refused;
        hold.amount += op.micros;
        return undefined;
      }
      case "release": {
        if (!hold) return "NOT_FOUND";
        const released = op.micros < this.remaining(hold) ? op.micros : this.remaining(hold);
        hold.released += released;
        this.available += released;
        return undefined;
      }
      case "capture": {
        if (!hold) return "NOT_FOUND";
        if (hold.chargedSlots.has(op.slot) || op.micros === 0n) return undefined;
        if (!hold.open) return "INVALID_TRANSITION";
        if (op.micros > this.remaining(hold)) return "INTERNAL";
        hold.chargedSlots.add(op.slot);
        hold.captured += op.micros;
        this.revenue += op.micros;
        return undefined;
      }
      case "close": {
        if (!hold) return "NOT_FOUND";
        const remaining = this.remaining(hold);
        hold.released += remaining;
        this.available += remaining;
        hold.open = false;
        return undefined;
      }
    }
  }
}

async function run(
  db: Db,
  ledger: Ledger,
  orgId: string,
  mode: Mode,
  jobs: readonly TestJob[],
  op: Op,
): Promise<void> {
  if (op.op === "grant") return ledger.grantCredits({ orgId, mode, micros: op.micros });
  const target = jobs[op.job];
  if (!target) throw new Error(`no job ${String(op.job)}`);
  const { jobId } = target;
  await inTx(db, async (tx) => {
    switch (op.op) {
      case "place":
        return ledger.placeHold(tx, { orgId, jobId, mode, micros: op.micros });
      case "raise":
        return ledger.raiseHold(tx, { jobId, micros: op.micros });
      case "release":
        return ledger.releaseHold(tx, { jobId, micros: op.micros });
      case "capture":
        return ledger.captureCharge(tx, {
          jobId,
          assignmentId: target.assignmentIds[op.slot] ?? "",
          micros: op.micros,
        });
      case "close":
        await ledger.closeHold(tx, { jobId });
        return;
    }
  });
}

describeEachEngine("ledger properties", (getDb) => {
  let db: Db;
  let ledger: Ledger;

  beforeAll(() => {
    db = getDb().prisma;
    ledger = createLedger(db);
  });

  it("matches a plain model over 20 random sequences, with balanced postings and consistent holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Mode>("live", "test"),
        fc.array(opArb, { minLength: 1, maxLength: 14 }),
        async (mode, ops) => {
          const orgId = await createOrg(db);
          const jobs = await Promise.all(
            Array.from({ length: JOBS }, () => createJob(db, orgId, mode, SLOTS)),
          );
          const model = new Model(mode);

          for (const op of ops) {
            const expected = model.apply(op);
            const outcome = await run(db, ledger, orgId, mode, jobs, op).then(
              () => undefined,
              (error: unknown) => (error as { code?: string }).code ?? String(error),
            );
            expect(
              outcome,
              JSON.stringify(op, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
            ).toBe(expected);
          }

          const held = model.held();
          expect(await ledger.balance(orgId, mode)).toEqual({
            balanceMicros: model.available + held,
            heldMicros: held,
            availableMicros: model.available,
          });
          expect(await ledger.balance(orgId, mode === "live" ? "test" : "live")).toEqual({
            balanceMicros: 0n,
            heldMicros: 0n,
            availableMicros: 0n,
          });
          expect(await lowestRunningBalance(db, accounts.orgCredit(orgId, mode).key)).toBeGreaterThanOrEqual(
            0n,
          );
          expect(await lowestRunningBalance(db, accounts.orgHold(orgId, mode).key)).toBeGreaterThanOrEqual(
            0n,
          );

          // Each Hold row adds up, agrees with the model, and its postings net to what is left on it.
          for (const [index, expectedHold] of model.holds) {
            const jobId = jobs[index]?.jobId ?? "";
            const hold = await db.hold.findUniqueOrThrow({ where: { jobId } });
            const remaining = hold.amountMicros - hold.capturedMicros - hold.releasedMicros;
            expect(remaining).toBeGreaterThanOrEqual(0n);
            expect(hold.status === "active" ? remaining : 0n).toBe(model.remaining(expectedHold));
            expect(hold).toMatchObject({
              amountMicros: expectedHold.amount,
              capturedMicros: expectedHold.captured,
              releasedMicros: expectedHold.released,
              status: expectedHold.open ? "active" : expectedHold.captured > 0n ? "settled" : "released",
            });
            const onHold = await db.ledgerPosting.aggregate({
              _sum: { amountMicros: true },
              where: { transaction: { jobId }, account: { key: accounts.orgHold(orgId, mode).key } },
            });
            expect(onHold._sum.amountMicros ?? 0n).toBe(model.remaining(expectedHold));
          }
          const captured = await db.ledgerPosting.aggregate({
            _sum: { amountMicros: true },
            where: { transaction: { job: { orgId } }, account: { key: accounts.platformRevenue(mode).key } },
          });
          expect(captured._sum.amountMicros ?? 0n).toBe(model.revenue);
          const toppedUp = await db.ledgerTransaction.count({
            where: { kind: "sandbox_topup", job: { orgId } },
          });
          if (mode === "live" || model.topups === 0n) expect(toppedUp).toBe(0);
          expect(await unbalancedTransactions(db)).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
