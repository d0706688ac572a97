// Auto-reload: an off-session card charge, at most once per crossing of the organisation's threshold.
import Stripe from "stripe";

import { Prisma } from "@eyeball/db";

import { type Clock } from "../../clock";
import { sendAfterCommit } from "../jobs/after-commit";
import { QUEUES } from "../jobs/queue-names";
import { type Db, type Ledger, type Mode, type Queue, type Tx } from "../types";
import { type ApiConfig } from "../../config";
import {
  METADATA_AUTO_RELOAD,
  METADATA_ORG,
  METADATA_PURPOSE,
  MICROS_PER_CENT,
  PURPOSE_CREDITS,
} from "./card-payments";

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export type AutoReloadAction =
  /** Off, not configured, no card, or already disarmed for this crossing. */
  | "none"
  /** Available credit is back at or above the threshold: armed for the next crossing. */
  | "rearmed"
  /** A PaymentIntent was confirmed; the credit arrives with its payment_intent.succeeded webhook. */
  | "charged"
  /** Declined or needs authentication: the reason is in autoReloadLastError, nothing is credited. */
  | "failed";

export interface AutoReloadResult {
  action: AutoReloadAction;
  paymentIntentId?: string;
  error?: string;
}

export interface AutoReload {
  /** Compares live available credit with the threshold under the settings row lock and charges at most once per crossing. */
  check(orgId: string): Promise<AutoReloadResult>;
  /** The safety net: checks every organisation with auto-reload on and a saved card. */
  sweep(): Promise<{ checked: number; charged: number }>;
}

export interface AutoReloadDeps {
  db: Db;
  clock: Clock;
  ledger: Ledger;
  stripe: Stripe;
}

/** The queue message's singleton key: one pending check per organisation, however many holds were placed. */
export function autoReloadSingletonKey(orgId: string): string {
  return `auto-reload:${orgId}`;
}

/**
 * After the commit of a hold placed or raised on live books: asks the worker to compare the
 * organisation's available credit with its auto-reload threshold. Nothing when Stripe is off.
 */
export async function requestAutoReloadCheck(
  deps: { config: Pick<ApiConfig, "stripe">; queue: Queue },
  orgId: string,
  mode: Mode,
): Promise<void> {
  if (deps.config.stripe === null || mode !== "live") return;
  await sendAfterCommit(
    deps.queue,
    QUEUES.autoReloadCheck,
    { orgId },
    { singletonKey: autoReloadSingletonKey(orgId) },
  );
}

async function lockSettings(tx: Tx, orgId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT "id" FROM "billing_settings" WHERE "orgId" = ${orgId} FOR UPDATE`,
  );
  return rows.length > 0;
}

/** Micros → whole cents, rounded up so a reload never credits less than configured. */
function centsOf(amountMicros: bigint): number {
  return Number((amountMicros + MICROS_PER_CENT - 1n) / MICROS_PER_CENT);
}

function failureMessage(error: unknown): string | undefined {
  if (!(error instanceof Stripe.errors.StripeError)) return undefined;
  if (error.code === "authentication_required") {
    return "The card needs authentication for each charge; add credits by hand or save another card.";
  }
  if (error instanceof Stripe.errors.StripeCardError) return `The card was declined: ${error.message}`;
  return undefined;
}

export function createAutoReload(deps: AutoReloadDeps): AutoReload {
  const { db, stripe } = deps;

  async function check(orgId: string): Promise<AutoReloadResult> {
    const attempt = await db.$transaction(async (tx) => {
      if (!(await lockSettings(tx, orgId))) return null;
      const settings = await tx.billingSettings.findUniqueOrThrow({ where: { orgId } });
      const threshold = settings.autoReloadThresholdMicros;
      const amount = settings.autoReloadAmountMicros;
      if (!settings.autoReloadEnabled || threshold === null || amount === null) return null;
      const { availableMicros } = await deps.ledger.balance(orgId, "live", tx);
      if (availableMicros >= threshold) {
        if (settings.autoReloadArmed) return null;
        await tx.billingSettings.update({ where: { orgId }, data: { autoReloadArmed: true } });
        return "rearmed" as const;
      }
      if (!settings.autoReloadArmed || !settings.stripeCustomerId || !settings.stripePaymentMethodId)
        return null;
      // Disarmed in the same transaction that decided: a concurrent check waits on the row lock and finds it disarmed.
      const at = deps.clock.now();
      await tx.billingSettings.update({
        where: { orgId },
        data: { autoReloadArmed: false, autoReloadLastAttemptAt: at, autoReloadLastError: null },
      });
      return {
        at,
        cents: centsOf(amount),
        customer: settings.stripeCustomerId,
        paymentMethod: settings.stripePaymentMethodId,
      };
    }, TRANSACTION_OPTIONS);
    if (attempt === null) return { action: "none" };
    if (attempt === "rearmed") return { action: "rearmed" };

    const recordError = async (message: string): Promise<AutoReloadResult> => {
      await db.billingSettings.updateMany({
        where: { orgId, autoReloadLastAttemptAt: attempt.at },
        data: { autoReloadLastError: message },
      });
      return { action: "failed", error: message };
    };
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: attempt.cents,
          currency: "usd",
          customer: attempt.customer,
          payment_method: attempt.paymentMethod,
          off_session: true,
          confirm: true,
          description: "Eyeball auto-reload",
          metadata: {
            [METADATA_ORG]: orgId,
            [METADATA_PURPOSE]: PURPOSE_CREDITS,
            [METADATA_AUTO_RELOAD]: "true",
          },
        },
        // Unique per crossing (the attempt's time), so a retried request never charges twice.
        { idempotencyKey: `eyeball-auto-reload:${orgId}:${attempt.at.getTime()}` },
      );
      if (intent.status === "requires_action") {
        return await recordError(
          "The card needs authentication for each charge; add credits by hand or save another card.",
        );
      }
      return { action: "charged", paymentIntentId: intent.id };
    } catch (error) {
      const message = failureMessage(error);
      if (message !== undefined) return await recordError(message);
      // Not the card's fault (network, Stripe down): shown to the owner too; the next crossing tries again.
      return await recordError(
        `The charge could not be made: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    check,
    async sweep() {
      const rows = await db.billingSettings.findMany({
        where: { autoReloadEnabled: true, stripePaymentMethodId: { not: null } },
        select: { orgId: true },
      });
      let charged = 0;
      for (const { orgId } of rows) {
        if ((await check(orgId)).action === "charged") charged++;
      }
      return { checked: rows.length, charged };
    },
  };
}
