// Concurrent claims: exactly as many winners as open slots, on PGlite and PostgreSQL.
import { expect, it } from "vitest";
import { claimOpenSlot } from "./claim";
import { describeEachEngine } from "./testing";
import { createJobWithSlots, createOrg, createTesters } from "./test/fixtures";

describeEachEngine("claimOpenSlot", (getDb) => {
  it("lets exactly one of 50 concurrent testers claim a single open slot", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const job = await createJobWithSlots(prisma, org.id, 1);
    const testers = await createTesters(prisma, 50);
    const now = new Date("2030-01-02T03:04:05.678Z");

    const results = await Promise.all(
      testers.map((tester) => claimOpenSlot(prisma, { jobId: job.id, testerId: tester.id, now })),
    );

    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({
      jobId: job.id,
      status: "working",
      slotIndex: 0,
      claimedAt: now,
      lastHeartbeatAt: now,
    });
    const slots = await prisma.assignment.findMany({ where: { jobId: job.id } });
    expect(slots).toHaveLength(1);
    expect(slots[0]?.testerId).toBe(winners[0]?.testerId);
  });

  it("gives a 3-slot job to exactly 3 distinct testers out of 50", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const job = await createJobWithSlots(prisma, org.id, 3);
    const testers = await createTesters(prisma, 50);
    const now = new Date();

    const results = await Promise.all(
      testers.map((tester) => claimOpenSlot(prisma, { jobId: job.id, testerId: tester.id, now })),
    );

    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(3);
    expect(new Set(winners.map((winner) => winner.testerId)).size).toBe(3);
    expect(winners.map((winner) => winner.slotIndex).sort()).toEqual([0, 1, 2]);
    expect(await prisma.assignment.count({ where: { jobId: job.id, status: "open" } })).toBe(0);
  });

  it("never gives one tester two slots of a job, even when they race themselves", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const job = await createJobWithSlots(prisma, org.id, 5);
    const [tester] = await createTesters(prisma, 1);
    const testerId = tester!.id;

    const results = await Promise.all(
      Array.from({ length: 10 }, () => claimOpenSlot(prisma, { jobId: job.id, testerId, now: new Date() })),
    );

    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(await prisma.assignment.count({ where: { jobId: job.id, testerId } })).toBe(1);
    expect(await claimOpenSlot(prisma, { jobId: job.id, testerId, now: new Date() })).toBeNull();
  });

  it("refuses claims on paused or finished jobs and on jobs without open slots", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const [a, b] = await createTesters(prisma, 2);
    const paused = await createJobWithSlots(prisma, org.id, 1);
    await prisma.job.update({ where: { id: paused.id }, data: { control: "paused" } });
    const cancelled = await createJobWithSlots(prisma, org.id, 1);
    await prisma.job.update({ where: { id: cancelled.id }, data: { status: "cancelled" } });
    const full = await createJobWithSlots(prisma, org.id, 1);

    expect(await claimOpenSlot(prisma, { jobId: paused.id, testerId: a!.id, now: new Date() })).toBeNull();
    expect(await claimOpenSlot(prisma, { jobId: cancelled.id, testerId: a!.id, now: new Date() })).toBeNull();
    expect(await claimOpenSlot(prisma, { jobId: full.id, testerId: a!.id, now: new Date() })).not.toBeNull();
    expect(await claimOpenSlot(prisma, { jobId: full.id, testerId: b!.id, now: new Date() })).toBeNull();
    expect(
      await claimOpenSlot(prisma, { jobId: "job_missing", testerId: b!.id, now: new Date() }),
    ).toBeNull();
  });
});
