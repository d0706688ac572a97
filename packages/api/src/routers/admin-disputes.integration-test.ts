// admin.dispute / admin.resolveDispute / admin.disputes on both engines: evidence, refund and uphold on the ledger, earnings, errors, access.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { pngOf } from "../services/artifacts/testing/png";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { inTransaction } from "../services/jobs/transaction";
import { trpcError } from "./testing/trpc-error";

describeEachEngine("admin disputes", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  let adminActor: Extract<Actor, { kind: "user" }>;

  const caller = (actor?: Actor) =>
    createCaller(createContextInner({ services, ...(actor ? { actor } : {}) }));

  /** A finished live job of `org` whose one assignment (60 s of work) the owner disputed. */
  async function disputedJob(reason = "The tester never opened the checkout") {
    const testerId = await h.newTester();
    const job = await h.services.jobs.create(
      org.live,
      {
        url: "https://shop.example.com/checkout",
        title: "Checkout works",
        description: "Buy the red umbrella",
      },
      { source: "instahuman" },
    );
    const { assignment } = await h.services.tester.claim(testerId, job.id);
    h.clock.advance(60_000);
    await h.services.tester.submit(testerId, assignment.id, "Checkout went through, total $12. Done.");
    await h.runExtractions();
    await h.services.artifacts.put({
      assignmentId: assignment.id,
      kind: "screenshot",
      contentType: "image/png",
      data: pngOf(8, 6),
    });
    const disputed = await h.services.jobs.dispute(org.owner, job.id, {
      assignmentIds: [assignment.id],
      reason,
    });
    const row = await h.db.dispute.findUniqueOrThrow({ where: { assignmentId: assignment.id } });
    const charged = disputed.slots[0]?.costMicros ?? 0;
    return { jobId: job.id, assignmentId: assignment.id, testerId, disputeId: row.id, charged };
  }

  async function available(): Promise<bigint> {
    return (await h.deps.ledger.balance(org.orgId, "live")).availableMicros;
  }

  /** Every posting ever written, summed: double entry keeps it at zero. */
  async function ledgerSum(): Promise<bigint> {
    const sum = await h.db.ledgerPosting.aggregate({ _sum: { amountMicros: true } });
    return sum._sum.amountMicros ?? 0n;
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    org = await h.newOrg();
    const user = await h.db.user.create({
      data: { email: `admin-${org.orgId}@example.test`, name: "Ada Admin", isAdmin: true },
    });
    adminActor = { kind: "user", userId: user.id, orgId: null, isAdmin: true };
  });

  afterAll(async () => {
    await h.close();
  });

  it("shows the evidence across organisations: dispute, job, assignment and its signed recording", async () => {
    const { jobId, assignmentId, disputeId, charged } = await disputedJob("Step 2 was skipped");
    const evidence = await caller(adminActor).admin.dispute({ id: disputeId });
    expect(charged).toBe(60 * 1800);
    expect(evidence.dispute).toMatchObject({
      id: disputeId,
      status: "open",
      reason: "Step 2 was skipped",
      openedBy: { userId: org.owner.userId, name: "Owner" },
      amountMicros: 108_000,
      amountUsd: 0.108,
      resolutionNote: null,
      resolvedBy: null,
      resolvedAt: null,
    });
    expect(evidence.dispute.createdAt).toBeInstanceOf(Date);
    expect(evidence.job).toMatchObject({
      id: jobId,
      title: "Checkout works",
      url: "https://shop.example.com/checkout",
      description: "Buy the red umbrella",
      orgId: org.orgId,
      mode: "live",
      status: "completed",
      settlement: "settled",
    });
    const orgRow = await h.db.organization.findUniqueOrThrow({ where: { id: org.orgId } });
    expect(evidence.job.orgName).toBe(orgRow.name);
    expect(evidence.job.orgSlug).toBe(orgRow.slug);
    expect(evidence.assignment).toMatchObject({
      id: assignmentId,
      status: "completed",
      testerResponse: "Checkout went through, total $12. Done.",
      costMicros: 108_000,
      costUsd: 0.108,
      durationSeconds: 60,
      dispute: { id: disputeId, status: "open", reason: "Step 2 was skipped" },
    });
    expect(evidence.assignment.tester?.alias).toMatch(/^Tester /);
    expect(evidence.assignment.submittedAt).toBeInstanceOf(Date);
    expect(evidence.assignment.result).toEqual(
      expect.objectContaining({ success: true, explanation: expect.any(String) as string }),
    );
    expect(evidence.recording?.assignmentId).toBe(assignmentId);
    expect(evidence.recording?.screenshots).toHaveLength(1);
    expect(evidence.recording?.screenshots[0]).toMatchObject({ width: 8, height: 6 });
    expect(evidence.recording?.screenshots[0]?.url).toMatch(/\/artifacts\/.*signature=/);

    const unknown = await trpcError(caller(adminActor).admin.dispute({ id: "dsp_nope" }));
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.message).toContain("dsp_nope");
  });

  it("refund returns exactly the charge to available credit, keeps the books at zero, and the tester earns nothing", async () => {
    const { jobId, assignmentId, testerId, disputeId, charged } = await disputedJob();
    const before = await available();
    const revenueBefore = (
      await h.db.ledgerPosting.aggregate({
        _sum: { amountMicros: true },
        where: { account: { key: "platform_revenue:live" } },
      })
    )._sum.amountMicros;

    const resolved = await caller(adminActor).admin.resolveDispute({
      id: disputeId,
      resolution: "refund",
      note: "  The recording shows the checkout was never opened.  ",
    });
    expect(resolved.dispute).toMatchObject({
      status: "refunded",
      resolutionNote: "The recording shows the checkout was never opened.",
      resolvedBy: { userId: adminActor.userId, name: "Ada Admin" },
    });
    expect(resolved.dispute.resolvedAt).toEqual(h.clock.now());
    expect(await available()).toBe(before + BigInt(charged));
    expect(await ledgerSum()).toBe(0n);
    const revenueAfter = (
      await h.db.ledgerPosting.aggregate({
        _sum: { amountMicros: true },
        where: { account: { key: "platform_revenue:live" } },
      })
    )._sum.amountMicros;
    expect((revenueBefore ?? 0n) - (revenueAfter ?? 0n)).toBe(BigInt(charged));
    const refunds = await h.db.ledgerTransaction.findMany({
      where: { kind: "dispute_refund", assignmentId },
    });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.idempotencyKey).toBe(`refund:${disputeId}`);

    // The ledger call is idempotent per dispute: a retry returns the same amount and moves nothing.
    const again = await inTransaction(h.db, (tx) =>
      h.deps.ledger.refundCharge(tx, { jobId, assignmentId, disputeId }),
    );
    expect(again.refundedMicros).toBe(BigInt(charged));
    expect(await available()).toBe(before + BigInt(charged));

    // The owner's job page sees the outcome, and a live event announced it.
    const view = await h.services.jobs.get(org.owner, jobId);
    expect(view.slots[0]?.dispute).toMatchObject({
      status: "refunded",
      resolutionNote: "The recording shows the checkout was never opened.",
    });
    const events = await h.db.jobEvent.findMany({ where: { jobId, type: "job.dispute_resolved" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ disputeId, resolution: "refunded", refundedMicros: charged });

    // Approval is the owner's (core's approveJob: allowed once no dispute is open); the refunded slot earns nothing.
    await h.services.jobs.approve(org.owner, jobId);
    const history = await h.services.tester.history(testerId);
    expect(history.items.find((item) => item.assignmentId === assignmentId)).toMatchObject({
      earningsMicros: 0,
      earningsReleased: true,
      disputed: true,
    });
    const earnings = await h.services.tester.earnings(testerId);
    expect(earnings.totalMicros).toBe(0);
    expect(earnings.availableMicros).toBe(0);
    const slot = await h.db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(slot.earningsMicros).toBe(0n);

    // Deciding twice is a 409 that says why; nothing moves.
    const twice = await trpcError(
      caller(adminActor).admin.resolveDispute({
        id: disputeId,
        resolution: "uphold",
        note: "Changed my mind",
      }),
    );
    expect(twice.code).toBe("CONFLICT");
    expect(twice.message).toBe(
      `dispute ${disputeId} is already refunded: only an open dispute can be upheld or refunded`,
    );
    expect(await available()).toBe(before + BigInt(charged));
  });

  it("uphold keeps the charge; the tester's earning is released on approval", async () => {
    const { jobId, assignmentId, testerId, disputeId, charged } = await disputedJob("Too slow");
    const before = await available();
    const resolved = await caller(adminActor).admin.resolveDispute({
      id: disputeId,
      resolution: "uphold",
      note: "The work matches the instructions.",
    });
    expect(resolved.dispute.status).toBe("upheld");
    expect(await available()).toBe(before);
    expect(await ledgerSum()).toBe(0n);
    expect(await h.db.ledgerTransaction.count({ where: { kind: "dispute_refund", assignmentId } })).toBe(0);
    expect((await h.services.jobs.get(org.owner, jobId)).settlement).toBe("settled");

    const pending = await h.services.tester.earnings(testerId);
    expect(pending.pendingMicros).toBeGreaterThan(0);
    await h.services.jobs.approve(org.owner, jobId);
    const released = await h.services.tester.earnings(testerId);
    expect(released.pendingMicros).toBe(0);
    expect(released.totalMicros).toBe(pending.pendingMicros);
    expect(released.totalMicros).toBeLessThanOrEqual(charged);
    const twice = await trpcError(
      caller(adminActor).admin.resolveDispute({ id: disputeId, resolution: "refund", note: "No" }),
    );
    expect(twice.code).toBe("CONFLICT");
  });

  it("lists the queue oldest first with organisation, job, amount and opening time; resolved ones by filter", async () => {
    const first = await disputedJob("First");
    h.clock.advance(1000);
    const second = await disputedJob("Second");
    const open = await caller(adminActor).admin.disputes({});
    const ids = open.data.map((row) => row.id);
    expect(ids.indexOf(first.disputeId)).toBeLessThan(ids.indexOf(second.disputeId));
    const row = open.data.find((item) => item.id === first.disputeId);
    const orgRow = await h.db.organization.findUniqueOrThrow({ where: { id: org.orgId } });
    expect(row).toMatchObject({
      status: "open",
      orgId: org.orgId,
      orgName: orgRow.name,
      jobId: first.jobId,
      jobTitle: "Checkout works",
      jobUrl: "https://shop.example.com/checkout",
      assignmentId: first.assignmentId,
      amountMicros: first.charged,
      amountUsd: first.charged / 1_000_000,
      reason: "First",
      resolvedAt: null,
    });
    expect(row?.openedAt).toBeInstanceOf(Date);

    await caller(adminActor).admin.resolveDispute({
      id: first.disputeId,
      resolution: "uphold",
      note: "Fine",
    });
    expect((await caller(adminActor).admin.disputes({})).data.map((d) => d.id)).not.toContain(
      first.disputeId,
    );
    const resolved = await caller(adminActor).admin.disputes({ status: "resolved" });
    expect(resolved.data.every((d) => d.status !== "open")).toBe(true);
    expect(resolved.data.map((d) => d.id)).toContain(first.disputeId);
    const upheld = await caller(adminActor).admin.disputes({ status: "upheld", limit: 1 });
    expect(upheld.data).toHaveLength(1);
    expect(upheld.data[0]?.status).toBe("upheld");

    const paged = await caller(adminActor).admin.disputes({ status: "resolved", limit: 1 });
    expect(paged.data).toHaveLength(1);
    expect(paged.next).toEqual(expect.any(String));
    const next = await caller(adminActor).admin.disputes({
      status: "resolved",
      limit: 1,
      cursor: paged.next,
    });
    expect(next.data[0]?.id).not.toBe(paged.data[0]?.id);
  });

  describe("refusals", () => {
    it("a note is required (1–2000 characters) and named; a bad resolution is named", async () => {
      const { disputeId } = await disputedJob();
      const cases: [unknown, RegExp][] = [
        [{ id: disputeId, resolution: "refund", note: "   " }, /^note: /],
        [{ id: disputeId, resolution: "refund" }, /^note: /],
        [{ id: disputeId, resolution: "refund", note: "x".repeat(2001) }, /^note: must be at most 2000/],
        [{ id: disputeId, resolution: "void", note: "x" }, /^resolution: /],
      ];
      for (const [input, message] of cases) {
        const error = await trpcError(
          caller(adminActor).admin.resolveDispute(
            input as { id: string; resolution: "refund"; note: string },
          ),
        );
        expect(error.code, String(message)).toBe("BAD_REQUEST");
        expect(error.message).toMatch(message);
      }
      expect((await h.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("open");
      const unknown = await trpcError(
        caller(adminActor).admin.resolveDispute({ id: "dsp_missing", resolution: "refund", note: "x" }),
      );
      expect(unknown.code).toBe("NOT_FOUND");
      expect(unknown.message).toBe("dispute dsp_missing not found");
      const bad = await trpcError(caller(adminActor).admin.disputes({ status: "closed" as "open" }));
      expect(bad.message).toMatch(/^status: /);
    });

    it("non-admins are FORBIDDEN, anonymous callers UNAUTHORIZED, and nothing changes", async () => {
      const { disputeId } = await disputedJob();
      const before = await available();
      for (const actor of [org.owner, { kind: "user", userId: "u", orgId: null, isAdmin: false } as Actor]) {
        expect((await trpcError(caller(actor).admin.dispute({ id: disputeId }))).code).toBe("FORBIDDEN");
        const refused = await trpcError(
          caller(actor).admin.resolveDispute({ id: disputeId, resolution: "refund", note: "mine" }),
        );
        expect(refused.code).toBe("FORBIDDEN");
      }
      expect((await trpcError(caller().admin.dispute({ id: disputeId }))).code).toBe("UNAUTHORIZED");
      expect(
        (
          await trpcError(
            caller(org.live).admin.resolveDispute({ id: disputeId, resolution: "refund", note: "k" }),
          )
        ).code,
      ).toBe("UNAUTHORIZED");
      expect(await available()).toBe(before);
      expect((await h.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("open");
    });
  });
});
