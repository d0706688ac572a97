// Test fixtures: minimal organisation, testers and jobs with open slots.
import { randomUUID } from "node:crypto";
import { type PrismaClient } from "../generated/prisma/client";

export async function createOrg(prisma: PrismaClient) {
  const suffix = randomUUID().slice(0, 8);
  return prisma.organization.create({ data: { slug: `org-${suffix}`, name: `Org ${suffix}` } });
}

export async function createTesters(prisma: PrismaClient, count: number) {
  const batch = randomUUID().slice(0, 8);
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      prisma.testerProfile.create({
        data: {
          alias: `tester-${batch}-${i}`,
          user: { create: { email: `tester-${batch}-${i}@example.test`, name: `Tester ${i}` } },
        },
      }),
    ),
  );
}

export async function createJobWithSlots(prisma: PrismaClient, orgId: string, slots: number) {
  return prisma.job.create({
    data: {
      id: `job_${randomUUID().replaceAll("-", "")}`,
      orgId,
      mode: "test",
      status: "waiting",
      source: "runhuman",
      url: "https://example.test",
      description: "Try the checkout",
      screenWidth: 1920,
      screenHeight: 1080,
      testerCount: slots,
      assignments: { create: Array.from({ length: slots }, (_, slotIndex) => ({ slotIndex })) },
    },
  });
}
