// The billing read service: the caller's balance, holds and auto-reload settings, in USD at full precision.
import { z } from "zod";

import { DomainError, micros, microsToUsd, parseOrThrow, usdToMicros } from "@eyeball/core";
import { type BillingSettings } from "@eyeball/db";

import { type Actor } from "../../actor";
import { ownerCaller } from "../jobs/job-access";
import { type Db, type Ledger, type Mode } from "../types";

/** Auto-reload amounts are bounded so a typo cannot charge a card a fortune (once payments exist). */
export const MAX_AUTO_RELOAD_USD = 100_000;
/** Stripe's minimum card charge is $0.50; a reload below $1 makes no sense. */
export const MIN_AUTO_RELOAD_AMOUNT_USD = 1;

export interface AutoReloadView {
  enabled: boolean;
  thresholdUsd: number | null;
  amountUsd: number | null;
}

export interface PaymentMethodView {
  provider: "stripe";
  id: string;
}

export interface HoldView {
  jobId: string;
  /** Still held now (placed + raised − captured − released). */
  amountUsd: number;
  /** Everything ever held for the job (placed + raised). */
  placedUsd: number;
  capturedUsd: number;
  releasedUsd: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BillingView {
  /** The books these figures come from: an API key's own mode, live for portal users. */
  mode: Mode;
  balanceUsd: number;
  heldUsd: number;
  availableUsd: number;
  autoReload: AutoReloadView;
  /** Null until card payments are configured and a method is set up. */
  paymentMethod: PaymentMethodView | null;
  /** Open holds, newest first. */
  holds: HoldView[];
}

export interface BillingService {
  overview(actor: Actor): Promise<BillingView>;
  /** `{enabled, thresholdUsd, amountUsd}` (both amounts required when enabled); live settings only. */
  configureAutoReload(actor: Actor, input: unknown): Promise<BillingView>;
}

export interface BillingServiceDeps {
  db: Db;
  ledger: Ledger;
}

/** Exact bigint micros → USD number (amounts stay far below 2^53 micros). */
function usd(amount: bigint): number {
  return microsToUsd(micros(Number(amount)));
}

/** Whether a USD number converts to micros exactly (at most six decimals). */
function isExactUsd(value: number): boolean {
  try {
    usdToMicros(value);
    return true;
  } catch {
    return false;
  }
}

const usdAmount = (min: number, minMessage: string) =>
  z
    .number({ error: "must be a number of USD" })
    .min(min, { error: minMessage })
    .max(MAX_AUTO_RELOAD_USD, { error: `must be at most ${MAX_AUTO_RELOAD_USD}` })
    .refine(isExactUsd, { error: "must have at most 6 decimals" });

const autoReloadSchema = z
  .strictObject({
    enabled: z.boolean({ error: "must be true or false" }),
    thresholdUsd: usdAmount(0, "must not be negative").nullish(),
    amountUsd: usdAmount(
      MIN_AUTO_RELOAD_AMOUNT_USD,
      `must be at least ${MIN_AUTO_RELOAD_AMOUNT_USD}`,
    ).nullish(),
  })
  .superRefine((value, ctx) => {
    if (!value.enabled) return;
    if (value.thresholdUsd === undefined || value.thresholdUsd === null) {
      ctx.addIssue({ code: "custom", path: ["thresholdUsd"], message: "is required when enabled is true" });
    }
    if (value.amountUsd === undefined || value.amountUsd === null) {
      ctx.addIssue({ code: "custom", path: ["amountUsd"], message: "is required when enabled is true" });
    }
  });

function autoReloadView(settings: BillingSettings | null): AutoReloadView {
  if (!settings) return { enabled: false, thresholdUsd: null, amountUsd: null };
  return {
    enabled: settings.autoReloadEnabled,
    thresholdUsd:
      settings.autoReloadThresholdMicros === null ? null : usd(settings.autoReloadThresholdMicros),
    amountUsd: settings.autoReloadAmountMicros === null ? null : usd(settings.autoReloadAmountMicros),
  };
}

function toMicrosOrKeep(value: number | null | undefined): bigint | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return BigInt(usdToMicros(value));
}

export function createBillingService({ db, ledger }: BillingServiceDeps): BillingService {
  async function overview(actor: Actor): Promise<BillingView> {
    const caller = ownerCaller(actor);
    const mode: Mode = caller.mode ?? "live";
    const [balance, settings, holds] = await Promise.all([
      ledger.balance(caller.orgId, mode),
      db.billingSettings.findUnique({ where: { orgId: caller.orgId } }),
      // Holds have no mode column: the job's mode says which books a hold lives in.
      db.hold.findMany({
        where: { orgId: caller.orgId, status: "active", job: { mode } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      }),
    ]);
    return {
      mode,
      balanceUsd: usd(balance.balanceMicros),
      heldUsd: usd(balance.heldMicros),
      availableUsd: usd(balance.availableMicros),
      autoReload: autoReloadView(settings),
      paymentMethod: settings?.stripePaymentMethodId
        ? { provider: "stripe", id: settings.stripePaymentMethodId }
        : null,
      holds: holds.map((hold) => ({
        jobId: hold.jobId,
        amountUsd: usd(hold.amountMicros - hold.capturedMicros - hold.releasedMicros),
        placedUsd: usd(hold.amountMicros),
        capturedUsd: usd(hold.capturedMicros),
        releasedUsd: usd(hold.releasedMicros),
        createdAt: hold.createdAt,
        updatedAt: hold.updatedAt,
      })),
    };
  }

  return {
    overview,

    async configureAutoReload(actor, input) {
      const caller = ownerCaller(actor);
      // Auto-reload charges real money: a test key must not change the organisation's live settings.
      if (caller.mode === "test") {
        throw new DomainError("FORBIDDEN", "auto-reload is configured with a live key or in the portal");
      }
      const body = parseOrThrow(autoReloadSchema, input);
      const threshold = toMicrosOrKeep(body.thresholdUsd);
      const amount = toMicrosOrKeep(body.amountUsd);
      const values = {
        autoReloadEnabled: body.enabled,
        ...(threshold === undefined ? {} : { autoReloadThresholdMicros: threshold }),
        ...(amount === undefined ? {} : { autoReloadAmountMicros: amount }),
      };
      await db.billingSettings.upsert({
        where: { orgId: caller.orgId },
        create: { orgId: caller.orgId, ...values },
        update: values,
      });
      return overview(actor);
    },
  };
}
