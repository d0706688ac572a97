// The billing read service: the caller's balance, holds and auto-reload settings, in USD at full precision.
import { z } from "zod";

import { DomainError, micros, microsToUsd, parseOrThrow, usdToMicros } from "@eyeball/core";
import { type BillingSettings } from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock, systemClock } from "../../clock";
import { type Page } from "../../pagination";
import { ownerCaller } from "../jobs/job-access";
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
  /** `{cursor?, limit?, from?, to?}`: every transaction on the caller's credit or hold, newest first. */
  ledger(actor: Actor, input: unknown): Promise<Page<LedgerEntryView>>;
  /** `{from?, to?}`: the same rows as RFC 4180 CSV, with a file name naming the org and the day. */
  ledgerCsv(actor: Actor, input: unknown): Promise<{ filename: string; csv: string; rows: number }>;
  /** `{cursor?, limit?}`: every credit that arrived, newest first. */
  receipts(actor: Actor, input: unknown): Promise<Page<ReceiptView>>;
  receipt(actor: Actor, id: string): Promise<ReceiptView>;
}

export interface BillingServiceDeps {
  db: Db;
  ledger: Ledger;
  /** For export file names; the system clock when absent. */
  clock?: Clock;
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

export function createBillingService({
  db,
  ledger,
  clock = systemClock,
}: BillingServiceDeps): BillingService {
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
  };
}
