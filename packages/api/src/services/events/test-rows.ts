// Test fixtures shared by the events, queue and webhook tests: an organisation and a job to hang rows on.
import { randomBytes } from "node:crypto";

import { type Db } from "../types";

export async function createTestJob(
  db: Db,
  options: { webhookUrl?: string; webhookSecret?: string | null } = {},
) {
  const suffix = randomBytes(6).toString("hex");
  const org = await db.organization.create({
    data: { slug: `org-${suffix}`, name: "Org", webhookSecret: options.webhookSecret ?? null },
  });
  const job = await db.job.create({
    data: {
      id: `job_${suffix}`,
      orgId: org.id,
      mode: "live",
      source: "testerarmy",
      url: "https://example.com",
      description: "test",
      screenWidth: 1366,
      screenHeight: 768,
      webhookUrl: options.webhookUrl ?? null,
    },
  });
  return { org, job };
}
