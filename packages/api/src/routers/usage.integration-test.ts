// usage.summary through the caller on both engines: day and week buckets in the viewer's zone across a DST change, spend from the ledger, scoping and errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { trpcError } from "./testing/trpc-error";

const BERLIN = "Europe/Berlin";
// Europe moves to summer time on Sunday 31 March 2030 at 02:00 CET (01:00Z): that local day has 23 hours.
const FROM = "2030-03-28T23:00:00.000Z"; // Fri 29 March 00:00 CET
const TO = "2030-04-01T22:00:00.000Z"; // Tue 2 April 00:00 CEST
const RATE = 1800; // µ$ per second

describeEachEngine("usage router", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  let other: TestOrg;
  let tester: string;

  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  async function createAt(actor: Actor, at: string, title: string): Promise<string> {
    h.clock.set(new Date(at));
    const job = await h.services.jobs.create(
      actor,
      { url: "https://shop.example.com", description: `Usage fixture: ${title}`, targetDurationMinutes: 30 },
      { source: "runhuman" },
    );
    return job.id;
  }

  /** A live job created at `at` that a tester claims at once and finishes `workSeconds` later (charged). */
  async function completedJob(actor: Actor, at: string, workSeconds: number): Promise<string> {
    const id = await createAt(actor, at, `completed after ${workSeconds}s`);
    const { assignment } = await h.services.tester.claim(tester, id);
    h.clock.advance(workSeconds * 1000);
    await h.services.tester.submit(tester, assignment.id, "Checked the checkout, it works. Done.");
    await h.runExtractions();
    const job = await h.db.job.findUniqueOrThrow({ where: { id } });
    expect(job.status).toBe("completed");
    return id;
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    org = await h.newOrg();
    other = await h.newOrg();
    tester = await h.newTester();

    // Before the range (excluded).
    await completedJob(org.live, "2030-03-28T22:30:00.000Z", 10);
    // Fri 29 March: two completed, 60 s and 120 s.
    await completedJob(org.live, "2030-03-29T09:00:00.000Z", 60);
    await completedJob(org.live, "2030-03-29T19:00:00.000Z", 120);
    // Sat 30 March: nothing. 23:30Z is already Sunday 00:30 in Berlin (still Saturday in UTC).
    await completedJob(org.live, "2030-03-30T23:30:00.000Z", 30);
    // Sun 31 March 23:50 CEST, finished 20 minutes later: Monday 1 April 00:10 CEST.
    await completedJob(org.live, "2030-03-31T21:50:00.000Z", 1200);
    // Mon 1 April: one cancelled, one failed (error), and one just after the range ends (02:10Z+22h).
    const cancelled = await createAt(org.live, "2030-04-01T10:00:00.000Z", "cancelled");
    h.clock.set(new Date("2030-04-01T10:05:00.000Z"));
    await h.services.jobs.cancel(org.live, cancelled);
    const failed = await createAt(org.live, "2030-04-01T11:00:00.000Z", "failed");
    await h.db.job.update({
      where: { id: failed },
      data: { status: "error", completedAt: new Date("2030-04-01T11:30:00.000Z") },
    });
    await createAt(org.live, "2030-04-01T22:10:00.000Z", "after the range");

    // Another organisation's job and this organisation's sandbox job, in the same days.
    await completedJob(other.live, "2030-03-29T12:00:00.000Z", 300);
    const sandbox = await createAt(org.test, "2030-03-29T12:00:00.000Z", "sandbox");
    await h.db.job.update({
      where: { id: sandbox },
      data: { status: "completed", completedAt: new Date("2030-03-29T12:00:10.000Z") },
    });
  }, 120_000);

  afterAll(async () => {
    await h.close();
  });

  const zero = {
    created: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    spendMicros: 0,
    spendUsd: 0,
    turnaroundMedianSeconds: null,
    turnaroundP90Seconds: null,
  };

  it("gives one row per local day across the DST change, empty days with zeros, and the range's totals", async () => {
    const summary = await caller(org.owner).usage.summary({
      from: FROM,
      to: TO,
      bucket: "day",
      timeZone: BERLIN,
    });
    expect(summary).toMatchObject({ mode: "live", bucket: "day", timeZone: BERLIN, from: FROM, to: TO });
    expect(summary.buckets).toEqual([
      {
        date: "2030-03-29",
        start: "2030-03-28T23:00:00.000Z",
        end: "2030-03-29T23:00:00.000Z",
        ...zero,
        created: 2,
        completed: 2,
        spendMicros: 180 * RATE,
        spendUsd: 0.324,
        turnaroundMedianSeconds: 90,
        turnaroundP90Seconds: 114,
      },
      { date: "2030-03-30", start: "2030-03-29T23:00:00.000Z", end: "2030-03-30T23:00:00.000Z", ...zero },
      {
        // 23 hours: midnight CET to midnight CEST.
        date: "2030-03-31",
        start: "2030-03-30T23:00:00.000Z",
        end: "2030-03-31T22:00:00.000Z",
        ...zero,
        created: 2,
        completed: 1,
        spendMicros: 30 * RATE,
        spendUsd: 0.054,
        turnaroundMedianSeconds: 30,
        turnaroundP90Seconds: 30,
      },
      {
        date: "2030-04-01",
        start: "2030-03-31T22:00:00.000Z",
        end: "2030-04-01T22:00:00.000Z",
        ...zero,
        created: 2,
        completed: 1,
        failed: 1,
        cancelled: 1,
        spendMicros: 1200 * RATE,
        spendUsd: 2.16,
        turnaroundMedianSeconds: 1200,
        turnaroundP90Seconds: 1200,
      },
    ]);
    // Percentiles over every job completed in the range (30, 60, 120, 1200 s), not of the buckets' own.
    expect(summary.totals).toEqual({
      created: 6,
      completed: 4,
      failed: 1,
      cancelled: 1,
      spendMicros: 1410 * RATE,
      spendUsd: 2.538,
      turnaroundMedianSeconds: 90,
      turnaroundP90Seconds: 876,
    });
  });

  it("spend agrees with the jobs' charged cost and the billing ledger", async () => {
    const jobs = await h.db.job.findMany({
      where: {
        orgId: org.orgId,
        mode: "live",
        completedAt: { gte: new Date(FROM), lt: new Date(TO) },
      },
    });
    const charged = jobs.reduce((sum, job) => sum + Number(job.costMicros), 0);
    const summary = await caller(org.live).usage.summary({ from: FROM, to: TO, timeZone: BERLIN });
    expect(summary.totals.spendMicros).toBe(charged);
  });

  it("nets a dispute refund out of the refunded charge's bucket", async () => {
    const refunded = await h.newOrg();
    const id = await completedJob(refunded.live, "2030-03-29T09:00:00.000Z", 100);
    await completedJob(refunded.live, "2030-03-29T10:00:00.000Z", 50);
    const capture = await h.db.ledgerTransaction.findFirstOrThrow({
      where: { jobId: id, kind: "hold_capture" },
      include: { postings: { include: { account: true } } },
    });
    const revenue = capture.postings.find((p) => p.account.kind === "platform_revenue");
    const credit = await h.db.ledgerAccount.findUniqueOrThrow({
      where: { key: `org_credit:live:${refunded.orgId}` },
    });
    if (!revenue) throw new Error("capture without revenue posting");
    // What the ledger's refundCharge writes: the capture's amount back from platform revenue to credit.
    await h.db.ledgerTransaction.create({
      data: {
        kind: "dispute_refund",
        mode: "live",
        jobId: id,
        assignmentId: capture.assignmentId,
        postings: {
          create: [
            { accountId: revenue.accountId, amountMicros: -revenue.amountMicros },
            { accountId: credit.id, amountMicros: revenue.amountMicros },
          ],
        },
      },
    });
    const summary = await caller(refunded.owner).usage.summary({ from: FROM, to: TO, timeZone: BERLIN });
    expect(summary.buckets[0]).toMatchObject({ date: "2030-03-29", completed: 2, spendMicros: 50 * RATE });
    expect(summary.totals.spendMicros).toBe(50 * RATE);
  });

  it("buckets weeks from Monday in the zone, and the same rows by UTC days differ", async () => {
    const weeks = await caller(org.live).usage.summary({
      from: FROM,
      to: TO,
      bucket: "week",
      timeZone: BERLIN,
    });
    expect(
      weeks.buckets.map(({ date, start, end, created, completed }) => ({
        date,
        start,
        end,
        created,
        completed,
      })),
    ).toEqual([
      {
        date: "2030-03-25",
        start: "2030-03-24T23:00:00.000Z",
        end: "2030-03-31T22:00:00.000Z",
        created: 4,
        completed: 3,
      },
      {
        date: "2030-04-01",
        start: "2030-03-31T22:00:00.000Z",
        end: "2030-04-07T22:00:00.000Z",
        created: 2,
        completed: 1,
      },
    ]);
    expect(weeks.totals.created).toBe(6);

    const utc = await caller(org.live).usage.summary({
      from: "2030-03-30T00:00:00.000Z",
      to: "2030-04-01T00:00:00.000Z",
      timeZone: "UTC",
    });
    // The job created at 23:30Z falls on Saturday in UTC, Sunday in Berlin; the one at 21:50Z stays Sunday.
    expect(utc.buckets.map((b) => [b.date, b.created, b.completed])).toEqual([
      ["2030-03-30", 1, 1],
      ["2030-03-31", 1, 1],
    ]);
  });

  it("scopes to the caller's organisation and mode; an API key's own mode, portal users pick", async () => {
    const input = { from: FROM, to: TO, timeZone: BERLIN };
    const mine = await caller(other.owner).usage.summary(input);
    expect(mine.totals).toMatchObject({ created: 1, completed: 1, spendMicros: 300 * RATE });

    const sandbox = await caller(org.test).usage.summary(input);
    expect(sandbox).toMatchObject({ mode: "test", totals: { created: 1, completed: 1, spendMicros: 0 } });
    expect(sandbox.totals.turnaroundMedianSeconds).toBe(10);
    await expect(caller(org.owner).usage.summary({ ...input, mode: "test" })).resolves.toMatchObject({
      mode: "test",
      totals: { created: 1 },
    });

    const wrongMode = await trpcError(caller(org.live).usage.summary({ ...input, mode: "test" }));
    expect(wrongMode.code).toBe("BAD_REQUEST");
    expect(wrongMode.message).toMatch(/^mode: /);
  });

  describe("bad input names the field", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["an unknown zone", { timeZone: "Mars/Olympus_Mons" }, /timeZone: must be an IANA time zone/],
      ["an offset instead of a zone", { timeZone: "+03:00" }, /timeZone: /],
      ["to before from", { to: "2030-03-01T00:00:00.000Z" }, /to: must be after from/],
      ["to equal to from", { to: FROM }, /to: must be after from/],
      ["too many days", { to: "2031-06-01T00:00:00.000Z" }, /to: must be at most 370 days after from/],
      ["an unknown bucket", { bucket: "month" }, /bucket: must be day or week/],
      ["a bad date", { from: "yesterday" }, /from: must be an ISO 8601 date-time/],
    ];
    it.each(cases)("%s", async (_name, change, message) => {
      const error = await trpcError(
        caller(org.owner).usage.summary({ from: FROM, to: TO, bucket: "day", timeZone: BERLIN, ...change }),
      );
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
    });

    it("accepts a year of weeks", async () => {
      const summary = await caller(org.owner).usage.summary({
        from: "2029-04-01T00:00:00.000Z",
        to: "2030-04-01T00:00:00.000Z",
        bucket: "week",
        timeZone: "America/New_York",
      });
      expect(summary.buckets.length).toBe(53);
      expect(summary.totals.created).toBe(5);
    });
  });

  it("needs an owner", async () => {
    const error = await trpcError(
      caller({ kind: "anonymous" }).usage.summary({ from: FROM, to: TO, timeZone: BERLIN }),
    );
    expect(error.code).toBe("UNAUTHORIZED");
  });
});
