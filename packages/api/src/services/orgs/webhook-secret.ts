// An organisation's webhook signing secret: created with the org, or on first use for older rows.
import { DomainError, randomString } from "@eyeball/core";
import { type PrismaClient } from "@eyeball/db";

export function newWebhookSecret(): string {
  return `whsec_${randomString(32)}`;
}

/** The org's signing secret, creating one if it has none; concurrent callers agree on the first stored. */
export async function ensureOrgWebhookSecret(db: PrismaClient, orgId: string): Promise<string> {
  const row = await db.organization.findUnique({ where: { id: orgId }, select: { webhookSecret: true } });
  if (!row) throw new DomainError("NOT_FOUND", `Organisation ${orgId} was not found`);
  if (row.webhookSecret !== null) return row.webhookSecret;
  const secret = newWebhookSecret();
  // Conditional: two workers racing here agree on whichever secret landed first.
  const updated = await db.organization.updateMany({
    where: { id: orgId, webhookSecret: null },
    data: { webhookSecret: secret },
  });
  if (updated.count === 1) return secret;
  const again = await db.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { webhookSecret: true },
  });
  return again.webhookSecret ?? secret;
}
