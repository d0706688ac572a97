// Contracts between the services of @eyeball/api: database handles, the ledger, job events and the queue.
import type { Extractor } from "@eyeball/extraction";
import type { Prisma, PrismaClient } from "@eyeball/db";

import type { Clock } from "../clock";
import type { ApiConfig } from "../config";
import type { ArtifactLinks } from "./artifacts/artifact-links";

export type Db = PrismaClient;
/** An interactive transaction's client. Services take one when the caller owns the transaction. */
export type Tx = Prisma.TransactionClient;
export type Mode = "live" | "test";

// ---------------------------------------------------------------------------------------------
// Ledger: double-entry books in integer micro-dollars (bigint). Balances are derived from postings.
// ---------------------------------------------------------------------------------------------
export interface OrgBalance {
  /** Credit the organisation has bought or been granted, less what was charged. */
  balanceMicros: bigint;
  /** Sum of open holds. */
  heldMicros: bigint;
  /** balance − held: what a new job or resize may reserve. */
  availableMicros: bigint;
}

export interface Ledger {
  balance(orgId: string, mode: Mode, tx?: Tx): Promise<OrgBalance>;
  /** Operator or payment credit. Idempotent on `idempotencyKey` when given. */
  grantCredits(input: {
    orgId: string;
    mode: Mode;
    micros: bigint;
    kind?: string;
    memo?: string;
    idempotencyKey?: string;
  }): Promise<void>;
  /**
   * Reserves `micros` for a job inside the caller's transaction; throws DomainError
   * INSUFFICIENT_CREDIT (402) when available credit does not cover it. Safe under concurrency:
   * concurrent holds against one organisation never over-commit it. Test-mode books never refuse
   * (the sandbox tops its test credit up) and never touch live credit.
   */
  placeHold(tx: Tx, input: { orgId: string; jobId: string; mode: Mode; micros: bigint }): Promise<void>;
  /** Raises a job's hold (extension, resize up); same credit check as placeHold. */
  raiseHold(tx: Tx, input: { jobId: string; micros: bigint }): Promise<void>;
  /** Returns part of a job's hold to available credit (resize down, closed slots). */
  releaseHold(tx: Tx, input: { jobId: string; micros: bigint }): Promise<void>;
  /** Charges a finished slot from the job's hold (moves it to platform revenue). Idempotent per assignment. */
  captureCharge(tx: Tx, input: { jobId: string; assignmentId: string; micros: bigint }): Promise<void>;
  /** Releases whatever is left of a job's hold and marks the hold settled. */
  closeHold(tx: Tx, input: { jobId: string }): Promise<{ capturedMicros: bigint; releasedMicros: bigint }>;
  /**
   * A refunded dispute: returns exactly what the assignment's capture took (platform revenue → the
   * organisation's available credit, on the job's mode's books). Idempotent per dispute; 0 when nothing was captured.
   */
  refundCharge(
    tx: Tx,
    input: { jobId: string; assignmentId: string; disputeId: string },
  ): Promise<{ refundedMicros: bigint }>;
  /**
   * A card payment that Stripe confirmed (the webhook is the only caller): stripe_clearing → the
   * organisation's live credit, kind `credit_purchase`. Idempotent on the PaymentIntent id: a
   * replayed or duplicate event credits once. `credited` is false when it had already been booked.
   */
  recordCardPayment(input: {
    orgId: string;
    micros: bigint;
    paymentIntentId: string;
    memo?: string;
  }): Promise<{ credited: boolean }>;
  /**
   * An approved assignment's earning: platform revenue → the tester's payable account, on the
   * job's mode's books, kind `tester_earning`. Idempotent per assignment; no-op for 0.
   */
  accrueEarning(
    tx: Tx,
    input: { jobId: string; assignmentId: string; testerId: string; micros: bigint },
  ): Promise<void>;
  /** A tester's payable (approved, unpaid) and paid-out totals. */
  testerBalance(
    testerId: string,
    mode: Mode,
    tx?: Tx,
  ): Promise<{ payableMicros: bigint; paidMicros: bigint }>;
  /**
   * Books a payout: the tester's payable → paid, kind `payout`, live books only. Refuses with
   * CONFLICT when the payable balance does not cover it. Idempotent per payout id.
   */
  payOut(tx: Tx, input: { testerId: string; micros: bigint; payoutId: string }): Promise<void>;
  /** A payout that failed after it was booked (a reversed transfer): paid → payable again. Idempotent. */
  reversePayout(tx: Tx, input: { testerId: string; payoutId: string }): Promise<{ reversedMicros: bigint }>;
}

// ---------------------------------------------------------------------------------------------
// Job events: an append-only log per job (table job_events) plus a wake-up signal after commit.
// ---------------------------------------------------------------------------------------------
export type JsonObject = { [key: string]: Prisma.InputJsonValue | null };

export interface JobEventInput {
  jobId: string;
  assignmentId?: string | null;
  /** e.g. "job.created", "job.posted", "assignment.claimed", "job.status_changed", "job.finished". */
  type: string;
  payload?: JsonObject;
}

export interface JobEventRecord {
  id: bigint;
  jobId: string;
  orgId: string;
  assignmentId: string | null;
  type: string;
  payload: unknown;
  createdAt: Date;
}

export interface EventFilter {
  jobId?: string;
  orgId?: string;
  types?: readonly string[];
}

export interface EventBus {
  /**
   * Appends an event inside the caller's transaction and signals listeners in every process
   * (pg_notify, delivered only when the transaction commits — so no listener hears of a
   * change that was rolled back).
   */
  append(tx: Tx, event: JobEventInput): Promise<bigint>;
  /** Live events matching the filter, resuming after `afterId` (for SSE `lastEventId`). Ends on abort. */
  subscribe(
    filter: EventFilter,
    options: { afterId?: bigint; signal: AbortSignal },
  ): AsyncIterable<JobEventRecord>;
  /**
   * Resolves with the value `check` returns once it is not undefined, re-checking on each event of
   * the job (never by polling per waiter); resolves undefined when `timeoutMs` passes or on abort.
   */
  waitFor<T>(
    jobId: string,
    check: () => Promise<T | undefined>,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<T | undefined>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Background work: a durable queue in the database (pg-boss on PostgreSQL and on PGlite).
// ---------------------------------------------------------------------------------------------
export interface QueueSendOptions {
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** At most one queued job with this key per queue (e.g. one extraction per assignment). */
  singletonKey?: string;
  retryLimit?: number;
  retryDelayMs?: number;
  retryBackoff?: boolean;
}

export interface Queue {
  send(name: string, data: JsonObject, options?: QueueSendOptions): Promise<string | null>;
  /** Registers a handler; throwing retries per the job's options. Only processes started as workers run handlers. */
  work(name: string, handler: (data: JsonObject) => Promise<void>): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  config: ApiConfig;
  ledger: Ledger;
  events: EventBus;
  queue: Queue;
  extractor: Extractor;
  /** Signs artifact links in what is sent out (webhook run bodies); createServices provides it. */
  artifactLinks?: ArtifactLinks;
}
