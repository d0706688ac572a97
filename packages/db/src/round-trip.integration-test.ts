// Prisma through both adapters: nested create, include, Json, BigInt, arrays, bytes and many-to-many.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachEngine } from "./testing";
import { createOrg } from "./test/fixtures";

describeEachEngine("round trip", (getDb) => {
  it("creates nested rows and reads them back with include", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const equipment = await prisma.equipment.create({
      data: { slug: `phone-${randomUUID()}`, name: "Phone" },
    });
    const outputSchema = {
      type: "object",
      properties: { ok: { type: "boolean" }, notes: { type: ["string", "null"] } },
    };
    const big = 9_007_199_254_740_993n; // above Number.MAX_SAFE_INTEGER

    const tester = await prisma.testerProfile.create({
      data: {
        alias: "ada",
        languages: ["en", "de-CH"],
        equipment: { connect: [{ id: equipment.id }] },
        user: { create: { email: `ada-${randomUUID()}@example.test`, name: "Ada" } },
      },
    });
    const job = await prisma.job.create({
      data: {
        id: `job_${randomUUID().replaceAll("-", "")}`,
        org: { connect: { id: org.id } },
        project: { create: { org: { connect: { id: org.id } }, name: "Checkout" } },
        mode: "live",
        source: "instahuman",
        url: "https://example.test/checkout",
        description: "Buy the cheapest item",
        outputSchema,
        screenPreset: "mobile",
        screenWidth: 375,
        screenHeight: 667,
        maxExtensionMinutes: null,
        credentialsEncrypted: new Uint8Array([0, 1, 2, 254, 255]),
        holdMicros: big,
        assignments: {
          create: [
            {
              slotIndex: 0,
              testerId: tester.id,
              status: "completed",
              extractedData: { ok: true, notes: null },
              costMicros: 396_000n,
            },
            { slotIndex: 1 },
          ],
        },
        events: {
          create: [
            { type: "job.created", payload: { by: "api", nested: { list: [1, "two", null] } } },
            { type: "job.posted" },
          ],
        },
      },
    });

    const loaded = await prisma.job.findUniqueOrThrow({
      where: { id: job.id },
      include: {
        project: true,
        assignments: {
          orderBy: { slotIndex: "asc" },
          include: { tester: { include: { equipment: true, user: true } } },
        },
        events: { orderBy: { id: "asc" } },
      },
    });

    expect(loaded.holdMicros).toBe(big);
    expect(loaded.costMicros).toBe(0n);
    expect(loaded.outputSchema).toEqual(outputSchema);
    expect(loaded.status).toBe("pending");
    expect(loaded.control).toBe("active");
    expect(loaded.settlementState).toBe("unsettled");
    expect(loaded.maxExtensionMinutes).toBeNull();
    expect([...(loaded.credentialsEncrypted ?? [])]).toEqual([0, 1, 2, 254, 255]);
    expect(loaded.project?.name).toBe("Checkout");
    expect(loaded.assignments.map((a) => [a.slotIndex, a.status, a.costMicros])).toEqual([
      [0, "completed", 396_000n],
      [1, "open", 0n],
    ]);
    expect(loaded.assignments[0]?.extractedData).toEqual({ ok: true, notes: null });
    expect(loaded.assignments[0]?.tester?.languages).toEqual(["en", "de-CH"]);
    expect(loaded.assignments[0]?.tester?.equipment.map((e) => e.name)).toEqual(["Phone"]);
    expect(loaded.events.map((e) => e.type)).toEqual(["job.created", "job.posted"]);
    expect(loaded.events[0]?.payload).toEqual({ by: "api", nested: { list: [1, "two", null] } });
    expect(loaded.events[1]?.payload).toEqual({});
    expect(typeof loaded.events[0]?.id).toBe("bigint");
    expect(loaded.events[1]!.id).toBeGreaterThan(loaded.events[0]!.id);
  });

  it("keeps a ledger transaction balanced and sums BigInt postings", async () => {
    const { prisma } = getDb();
    const org = await createOrg(prisma);
    const [credit, clearing] = await Promise.all(
      (["org_credit", "stripe_clearing"] as const).map((kind) =>
        prisma.ledgerAccount.create({
          data: { key: `${kind}:live:${org.id}`, kind, mode: "live", orgId: org.id },
        }),
      ),
    );
    await prisma.ledgerTransaction.create({
      data: {
        kind: "credit_purchase",
        mode: "live",
        idempotencyKey: `purchase-${org.id}`,
        postings: {
          create: [
            { accountId: credit!.id, amountMicros: 50_000_000n },
            { accountId: clearing!.id, amountMicros: -50_000_000n },
          ],
        },
      },
    });
    const total = await prisma.ledgerPosting.aggregate({
      _sum: { amountMicros: true },
      where: { account: { orgId: org.id } },
    });
    expect(total._sum.amountMicros).toBe(0n);
    const balance = await prisma.ledgerPosting.aggregate({
      _sum: { amountMicros: true },
      where: { accountId: credit!.id },
    });
    expect(balance._sum.amountMicros).toBe(50_000_000n);
    await expect(
      prisma.ledgerTransaction.create({
        data: { kind: "credit_purchase", mode: "live", idempotencyKey: `purchase-${org.id}` },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("runs interactive transactions and rolls them back on error", async () => {
    const { prisma } = getDb();
    const slug = `tx-${randomUUID()}`;
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.organization.create({ data: { slug, name: "Rolled back" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await prisma.organization.findUnique({ where: { slug } })).toBeNull();
  });
});
