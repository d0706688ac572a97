// The billing read service: the caller's balance, holds and auto-reload settings, in USD at full precision.
import { z } from "zod";

import { DomainError, micros, microsToUsd, parseOrThrow, usdToMicros, validationError } from "@eyeball/core";
import { type BillingSettings } from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock, systemClock } from "../../clock";
import { type Page } from "../../pagination";
import { ownerCaller } from "../jobs/job-access";
import { type CardPayments, type CheckoutView } from "../stripe/card-payments";
import { type Db, type Ledger, type Mode } from "../types";
import { getReceipt, listReceipts, type ReceiptView } from "./receipts";
import {
  entryView,
  type LedgerEntryView,
  parseLedgerPage,
  parseLedgerRange,
  type StatementEntry,
  statementCsv,
  statementPage,
} from "./statement";

/** A CSV export reads at most this many transactions; narrow `from`/`to` beyond it. */
export const MAX_CSV_ROWS = 50_000;

/** Auto-reload amounts are bounded so a typo cannot charge a card a fortune (once payments exist). */
export const MAX_AUTO_RELOAD_USD = 100_000;
/** Stripe's minimum card charge is $0.50; a reload below $1 makes no sense. */
export const MIN_AUTO_RELOAD_AMOUNT_USD = 1;

export interface AutoReloadView {
  enabled: boolean;
  thresholdUsd: number | null;
  amountUsd: number | null;
  /** Why the last off-session charge failed (declined, authentication required), or why auto-reload was switched off. */
  lastError: string | null;
  lastAttemptAt: Date | null;
}

export interface PaymentMethodView {
  provider: "stripe";
  id: string;
  /** Card brand as Stripe names it ("visa", "mastercard"…). */
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
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
  /** Stripe is configured on this server: credits can be bought and a card saved. */
  cardPayments: boolean;
  autoReload: AutoReloadView;
  /** Null until card payments are configured and a method is set up. */
  paymentMethod: PaymentMethodView | null;
  /** Open holds, newest first. */
  holds: HoldView[];
}

export interface BillingService {
  /** Stripe is configured: checkout, setupPaymentMethod and detachPaymentMethod work. */
  readonly cardPaymentsEnabled: boolean;
  overview(actor: Actor): Promise<BillingView>;
  /** `{enabled, thresholdUsd, amountUsd}` (both amounts required when enabled); live settings only. */
  configureAutoReload(actor: Actor, input: unknown): Promise<BillingView>;
  /** `{cursor?, limit?, from?, to?}`: every transaction on the caller's credit or hold, newest first. */
  ledger(actor: Actor, input: unknown): Promise<Page<LedgerEntryView>>;
  /** `{from?, to?}`: the same rows as RFC 4180 CSV, with a file name naming the org and the day. */
  ledgerCsv(actor: Actor, input: unknown): Promise<{ filename: string; csv: string; rows: number }>;
  /** `{cursor?, limit?}`: every credit that arrived, newest first. */
  receipts(actor: Actor, input: unknown): Promise<Page<ReceiptView>>;
  receipt(actor: Actor, id: string): Promise<ReceiptView>;
  /** `{usd}` (5–10,000, whole cents) → a Stripe Checkout page; credits arrive when Stripe confirms the payment. */
  checkout(actor: Actor, input: unknown): Promise<CheckoutView>;
  /** A Stripe Checkout page in setup mode where the owner saves (or replaces) the card. */
  setupPaymentMethod(actor: Actor): Promise<CheckoutView>;
  /** Removes the saved card; auto-reload is switched off. */
  detachPaymentMethod(actor: Actor): Promise<BillingView>;
}

export interface BillingServiceDeps {
  db: Db;
  ledger: Ledger;
  /** For export file names; the system clock when absent. */
  clock?: Clock;
  /** Stripe card payments; null or absent when Stripe is not configured. */
  cardPayments?: CardPayments | null;
}

export const CARD_PAYMENTS_NOT_CONFIGURED =
  "Card payments are not configured on this server; an operator grants credits with `eyeball credits grant`";

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
  if (!settings) {
    return { enabled: false, thresholdUsd: null, amountUsd: null, lastError: null, lastAttemptAt: null };
  }
  return {
    enabled: settings.autoReloadEnabled,
    thresholdUsd:
      settings.autoReloadThresholdMicros === null ? null : usd(settings.autoReloadThresholdMicros),
    amountUsd: settings.autoReloadAmountMicros === null ? null : usd(settings.autoReloadAmountMicros),
    lastError: settings.autoReloadLastError,
    lastAttemptAt: settings.autoReloadLastAttemptAt,
  };
}

function paymentMethodView(settings: BillingSettings | null): PaymentMethodView | null {
  if (!settings?.stripePaymentMethodId) return null;
  return {
    provider: "stripe",
    id: settings.stripePaymentMethodId,
    brand: settings.paymentMethodBrand,
    last4: settings.paymentMethodLast4,
    expMonth: settings.paymentMethodExpMonth,
    expYear: settings.paymentMethodExpYear,
  };
}

function toMicrosOrKeep(value: number | null | undefined): bigint | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return BigInt(usdToMicros(value));
}

export function createBillingService({
  db,
  ledger,
  clock = systemClock,
  cardPayments = null,
}: BillingServiceDeps): BillingService {
  /** Card payments move live credit: the portal (session) or a live key, never a test key. */
  function paymentsCaller(actor: Actor): { orgId: string; payments: CardPayments } {
    const caller = ownerCaller(actor);
    if (cardPayments === null) throw new DomainError("NOT_FOUND", CARD_PAYMENTS_NOT_CONFIGURED);
    if (caller.mode === "test") {
      throw new DomainError("FORBIDDEN", "card payments buy live credit: use a live key or the portal");
    }
    return { orgId: caller.orgId, payments: cardPayments };
  }

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
      cardPayments: cardPayments !== null,
      autoReload: autoReloadView(settings),
      paymentMethod: paymentMethodView(settings),
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
    cardPaymentsEnabled: cardPayments !== null,
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
      if (body.enabled && cardPayments !== null) {
        // Auto-reload charges the saved card: without one it could only fail.
        const saved = await db.billingSettings.findUnique({
          where: { orgId: caller.orgId },
          select: { stripePaymentMethodId: true },
        });
        if (!saved?.stripePaymentMethodId) {
          throw validationError("autoReload", "save a payment method before turning auto-reload on");
        }
      }
      const values = {
        autoReloadEnabled: body.enabled,
        // Saving the settings starts a fresh crossing: armed, the previous error cleared.
        ...(body.enabled ? { autoReloadArmed: true, autoReloadLastError: null } : {}),
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

    async ledger(actor, input) {
      const caller = ownerCaller(actor);
      const request = parseLedgerPage(input);
      const page = await statementPage(db, {
        orgId: caller.orgId,
        mode: caller.mode ?? "live",
        cursor: request.cursor ?? null,
        ...(request.limit === undefined ? {} : { limit: request.limit }),
        ...(request.from ? { from: request.from } : {}),
        ...(request.to ? { to: request.to } : {}),
      });
      return { data: page.data.map(entryView), next: page.next };
    },

    async ledgerCsv(actor, input) {
      const caller = ownerCaller(actor);
      const mode: Mode = caller.mode ?? "live";
      const range = parseLedgerRange(input);
      const entries: StatementEntry[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<StatementEntry> = await statementPage(db, {
          orgId: caller.orgId,
          mode,
          cursor,
          limit: 100,
          ...(range.from ? { from: range.from } : {}),
          ...(range.to ? { to: range.to } : {}),
        });
        entries.push(...page.data);
        cursor = page.next;
        if (entries.length > MAX_CSV_ROWS) {
          throw new DomainError(
            "VALIDATION",
            `from: the export has more than ${MAX_CSV_ROWS} rows; choose a shorter range`,
            { details: { field: "from" } },
          );
        }
      } while (cursor);
      const org = await db.organization.findUniqueOrThrow({
        where: { id: caller.orgId },
        select: { slug: true },
      });
      const day = clock.now().toISOString().slice(0, 10);
      const suffix = mode === "test" ? "-test" : "";
      return {
        filename: `eyeball-ledger-${org.slug}${suffix}-${day}.csv`,
        csv: statementCsv(entries),
        rows: entries.length,
      };
    },

    receipts(actor, input) {
      const caller = ownerCaller(actor);
      return listReceipts(db, { orgId: caller.orgId, mode: caller.mode ?? "live", page: input });
    },

    receipt(actor, id) {
      const caller = ownerCaller(actor);
      return getReceipt(db, { orgId: caller.orgId, mode: caller.mode ?? "live", id });
    },

    checkout(actor, input) {
      const { orgId, payments } = paymentsCaller(actor);
      return payments.checkout(orgId, input);
    },

    setupPaymentMethod(actor) {
      const { orgId, payments } = paymentsCaller(actor);
      return payments.setupPaymentMethod(orgId);
    },

    async detachPaymentMethod(actor) {
      const { orgId, payments } = paymentsCaller(actor);
      await payments.detachPaymentMethod(orgId);
      return overview(actor);
    },
  };
}
