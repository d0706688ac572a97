// Operator credit grants (`eyeball credits grant`): an exact USD amount into an organisation's live books, safe to retry with a key.
import { DomainError } from "@eyeball/core";

import { grantIdempotencyKey } from "../ledger";
import { type Db, type Ledger, type Mode } from "../types";
import { microsUsd } from "./statement";

/** One grant above this is a typo, not a top-up; grant twice if it really is meant. */
export const MAX_GRANT_USD = 1_000_000;

const USD_TEXT = /^(\d+)(?:\.(\d+))?$/;

/**
 * A decimal USD string ("25", "0.0018") to micros, exactly; `field` names the option in messages.
 * Refuses signs, exponents, more than six decimals, zero and anything above MAX_GRANT_USD.
 */
export function parseGrantUsd(text: string, field = "usd"): bigint {
  const match = USD_TEXT.exec(text.trim());
  if (!match) {
    throw new DomainError("VALIDATION", `${field}: must be a positive amount of USD such as 25 or 12.50`, {
      details: { field },
    });
  }
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.replace(/0+$/, "").length > 6) {
    throw new DomainError("VALIDATION", `${field}: must have at most 6 decimals (one micro-dollar)`, {
      details: { field },
    });
  }
  const micros = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, "0"));
  if (micros <= 0n) {
    throw new DomainError("VALIDATION", `${field}: must be more than 0`, { details: { field } });
  }
  if (micros > BigInt(MAX_GRANT_USD) * 1_000_000n) {
    throw new DomainError("VALIDATION", `${field}: must be at most ${MAX_GRANT_USD} per grant`, {
      details: { field },
    });
  }
  return micros;
}

export interface CreditGrantResult {
  org: { id: string; slug: string; name: string };
  mode: Mode;
  grantedUsd: number;
  /** True when the idempotency key named an earlier, identical grant: nothing new was booked. */
  replayed: boolean;
  balanceUsd: number;
  heldUsd: number;
  availableUsd: number;
}

/** Grants `micros` of live credit to the organisation with `slug`; NOT_FOUND names an unknown slug. */
export async function grantOrgCredits(
  deps: { db: Db; ledger: Ledger },
  input: { slug: string; micros: bigint; memo?: string; idempotencyKey?: string },
): Promise<CreditGrantResult> {
  const { db, ledger } = deps;
  const org = await db.organization.findUnique({
    where: { slug: input.slug },
    select: { id: true, slug: true, name: true },
  });
  if (!org) throw new DomainError("NOT_FOUND", `No organisation with slug "${input.slug}"`);
  const mode: Mode = "live";
  const replayed =
    input.idempotencyKey !== undefined &&
    (await db.ledgerTransaction.findUnique({
      where: { idempotencyKey: grantIdempotencyKey(input.idempotencyKey) },
      select: { id: true },
    })) !== null;
  // The ledger itself refuses a key reused for a different grant (CONFLICT) and ignores a true replay.
  await ledger.grantCredits({
    orgId: org.id,
    mode,
    micros: input.micros,
    kind: "credit_grant",
    ...(input.memo === undefined || input.memo.trim() === "" ? {} : { memo: input.memo.trim() }),
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
  });
  const balance = await ledger.balance(org.id, mode);
  return {
    org,
    mode,
    grantedUsd: microsUsd(input.micros),
    replayed,
    balanceUsd: microsUsd(balance.balanceMicros),
    heldUsd: microsUsd(balance.heldMicros),
    availableUsd: microsUsd(balance.availableMicros),
  };
}
