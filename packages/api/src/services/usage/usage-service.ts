// The usage read service: an organisation's jobs, spend and turnaround per day or week in the viewer's time zone.
import { z } from "zod";

import { DomainError, micros, microsToUsd, parseOrThrow, validationError } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { type Actor } from "../../actor";
import { ownerCaller } from "../jobs/job-access";
import { type Db, type Mode } from "../types";

export const USAGE_BUCKETS = ["day", "week"] as const;
export type UsageBucket = (typeof USAGE_BUCKETS)[number];
/** The most buckets one summary may span (a year of days, with room for partial ends). */
export const MAX_USAGE_BUCKETS = 370;

const BUCKET_MS: Record<UsageBucket, number> = { day: 86_400_000, week: 7 * 86_400_000 };

export interface UsageFigures {
  /** Jobs created in the bucket. */
  created: number;
  /** Jobs that reached `completed` in the bucket. */
  completed: number;
  /** Jobs that ended in the bucket without completing: incomplete, abandoned, rejected or error. */
  failed: number;
  /** Jobs cancelled in the bucket. */
  cancelled: number;
  /**
   * What the organisation was charged, exact: the ledger's captures into platform revenue less dispute
   * refunds of them, each dated when the charged slot finished (so a refund nets out its charge's bucket).
   */
  spendMicros: number;
  spendUsd: number;
  /** Created → completed, in seconds, over the jobs completed in the bucket; null when none. */
  turnaroundMedianSeconds: number | null;
  turnaroundP90Seconds: number | null;
}

export interface UsageBucketRow extends UsageFigures {
  /** The bucket's first local day in the time zone, `YYYY-MM-DD` (weeks start on Monday). */
  date: string;
  /** The bucket's boundaries as instants (ISO 8601, UTC); a DST change makes a day 23 or 25 hours. */
  start: string;
  end: string;
}

export interface UsageSummary {
  mode: Mode;
  bucket: UsageBucket;
  timeZone: string;
  from: string;
  to: string;
  /** One row per bucket overlapping [from, to), oldest first, empty buckets included with zeros. */
  buckets: UsageBucketRow[];
  /** The whole range [from, to) (turnaround percentiles over every job completed in it). */
  totals: UsageFigures;
}

export interface UsageService {
  /** `{from, to, bucket, timeZone, mode?}`; an API key sees its own mode, portal users live unless they ask for test. */
  summary(actor: Actor, input: unknown): Promise<UsageSummary>;
}

/** A canonical IANA zone name, or null. Names only (no "+03:00" or POSIX strings, which PostgreSQL reads inverted). */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const instant = z.union(
  [
    z.date({ error: "must be a date" }),
    z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).transform((s) => new Date(s)),
  ],
  { error: "must be an ISO 8601 date-time" },
);

export const usageSummaryInputSchema = z
  .strictObject({
    from: instant,
    to: instant,
    bucket: z.enum(USAGE_BUCKETS, { error: "must be day or week" }).default("day"),
    timeZone: z
      .string({ error: "must be an IANA time zone name such as Europe/Berlin" })
      .trim()
      .transform((value, ctx) => {
        const zone = canonicalTimeZone(value);
        if (zone === null) {
          ctx.addIssue({ code: "custom", message: "must be an IANA time zone name such as Europe/Berlin" });
          return z.NEVER;
        }
        return zone;
      }),
    mode: z.enum(["live", "test"], { error: "must be live or test" }).optional(),
  })
  .superRefine((value, ctx) => {
    if (Number.isNaN(value.from.getTime()) || Number.isNaN(value.to.getTime())) return;
    if (value.to.getTime() <= value.from.getTime()) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
      return;
    }
    const span = value.to.getTime() - value.from.getTime();
    if (span > MAX_USAGE_BUCKETS * BUCKET_MS[value.bucket]) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `must be at most ${MAX_USAGE_BUCKETS} ${value.bucket}s after from`,
      });
    }
  });

export type UsageSummaryInput = z.input<typeof usageSummaryInputSchema>;

type RawNumber = bigint | number | string;

interface SeriesRow {
  date: string;
  /** float8 (a JavaScript number on both adapters). */
  startMs: number;
  endMs: number;
}

interface JobsRow {
  date: string | null;
  created: RawNumber;
  completed: RawNumber;
  failed: RawNumber;
  cancelled: RawNumber;
  median: number | null;
  p90: number | null;
}

interface SpendRow {
  date: string | null;
  spend: string | null;
}

const FAILED_STATUSES = ["incomplete", "abandoned", "rejected", "error"] as const;

/** Seconds rounded to milliseconds (percentiles interpolate). */
function seconds(value: number | string | null): number | null {
  if (value === null) return null;
  return Math.round(Number(value) * 1000) / 1000;
}

function figures(jobs: JobsRow | undefined, spend: SpendRow | undefined): UsageFigures {
  const spendMicros = Number(spend?.spend ?? 0);
  return {
    created: Number(jobs?.created ?? 0),
    completed: Number(jobs?.completed ?? 0),
    failed: Number(jobs?.failed ?? 0),
    cancelled: Number(jobs?.cancelled ?? 0),
    spendMicros,
    spendUsd: microsToUsd(micros(spendMicros)),
    turnaroundMedianSeconds: seconds(jobs?.median ?? null),
    turnaroundP90Seconds: seconds(jobs?.p90 ?? null),
  };
}

/**
 * Timestamps are stored as UTC without a zone (Prisma's TIMESTAMP(3)): `local(x)` reads one as UTC and
 * gives the wall-clock time in the viewer's zone, so `date_trunc` cuts at local midnights (DST-safe).
 */
export function createUsageService({ db }: { db: Db }): UsageService {
  return {
    async summary(actor, input) {
      const caller = ownerCaller(actor);
      const body = parseOrThrow(usageSummaryInputSchema, input);
      if (body.mode !== undefined && caller.mode !== null && body.mode !== caller.mode) {
        throw validationError("mode", `must be ${caller.mode} (the API key's mode) or omitted`);
      }
      const mode: Mode = caller.mode ?? body.mode ?? "live";
      const { bucket, timeZone } = body;
      const from = body.from.toISOString();
      const to = body.to.toISOString();
      const step = bucket === "day" ? "1 day" : "1 week";
      const fromUtc = Prisma.sql`(${from}::timestamptz AT TIME ZONE 'UTC')`;
      const toUtc = Prisma.sql`(${to}::timestamptz AT TIME ZONE 'UTC')`;
      const local = (column: Prisma.Sql) =>
        Prisma.sql`date_trunc(${bucket}, ((${column}) AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})`;

      // The buckets themselves: local starts from the one holding `from` up to the last before `to`.
      const series = db.$queryRaw<SeriesRow[]>(Prisma.sql`
        SELECT to_char(b, 'YYYY-MM-DD') AS "date",
               (extract(epoch FROM b AT TIME ZONE ${timeZone}) * 1000)::float8 AS "startMs",
               (extract(epoch FROM (b + ${step}::interval) AT TIME ZONE ${timeZone}) * 1000)::float8 AS "endMs"
          FROM generate_series(
                 date_trunc(${bucket}, ${from}::timestamptz AT TIME ZONE ${timeZone}),
                 (${to}::timestamptz AT TIME ZONE ${timeZone}) - interval '1 microsecond',
                 ${step}::interval) AS b
         ORDER BY b`);

      // Jobs: one row per creation and one per ending, grouped per bucket and over the whole range.
      const jobs = db.$queryRaw<JobsRow[]>(Prisma.sql`
        WITH scoped AS (
          SELECT j."createdAt", j."completedAt", j."cancelledAt", j."status"::text AS status
            FROM "jobs" j
           WHERE j."orgId" = ${caller.orgId} AND j."mode" = ${mode}::"key_mode"
        ), happenings AS (
          SELECT ${local(Prisma.sql`"createdAt"`)} AS b, 'created' AS kind, status, NULL::float8 AS secs
            FROM scoped WHERE "createdAt" >= ${fromUtc} AND "createdAt" < ${toUtc}
          UNION ALL
          SELECT ${local(Prisma.sql`COALESCE("completedAt", "cancelledAt")`)}, 'ended', status,
                 CASE WHEN status = 'completed'
                      THEN extract(epoch FROM ("completedAt" - "createdAt"))::float8 END
            FROM scoped
           WHERE COALESCE("completedAt", "cancelledAt") >= ${fromUtc}
             AND COALESCE("completedAt", "cancelledAt") < ${toUtc}
             AND status IN ('completed', 'cancelled', ${Prisma.join([...FAILED_STATUSES])})
        )
        SELECT CASE WHEN GROUPING(b) = 0 THEN to_char(b, 'YYYY-MM-DD') END AS "date",
               count(*) FILTER (WHERE kind = 'created')::int AS created,
               count(*) FILTER (WHERE kind = 'ended' AND status = 'completed')::int AS completed,
               count(*) FILTER (WHERE kind = 'ended' AND status IN (${Prisma.join([...FAILED_STATUSES])}))::int AS failed,
               count(*) FILTER (WHERE kind = 'ended' AND status = 'cancelled')::int AS cancelled,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) FILTER (WHERE secs IS NOT NULL) AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) FILTER (WHERE secs IS NOT NULL) AS p90
          FROM happenings
         GROUP BY GROUPING SETS ((b), ())`);

      // Spend: what moved into platform revenue for the organisation's jobs (captures, less refunds), by slot end.
      const spend = db.$queryRaw<SpendRow[]>(Prisma.sql`
        WITH captures AS (
          SELECT COALESCE(a."finishedAt", t."createdAt") AS at, p."amountMicros" AS amount
            FROM "ledger_transactions" t
            JOIN "jobs" j ON j."id" = t."jobId"
            JOIN "ledger_postings" p ON p."transactionId" = t."id"
            JOIN "ledger_accounts" acc ON acc."id" = p."accountId" AND acc."kind" = 'platform_revenue'
            LEFT JOIN "assignments" a ON a."id" = t."assignmentId"
           WHERE t."kind" IN ('hold_capture', 'dispute_refund') AND t."mode" = ${mode}::"key_mode" AND j."orgId" = ${caller.orgId}
        ), bucketed AS (
          SELECT ${local(Prisma.sql`at`)} AS b, amount FROM captures WHERE at >= ${fromUtc} AND at < ${toUtc}
        )
        SELECT CASE WHEN GROUPING(b) = 0 THEN to_char(b, 'YYYY-MM-DD') END AS "date",
               COALESCE(sum(amount), 0)::text AS spend
          FROM bucketed
         GROUP BY GROUPING SETS ((b), ())`);

      const [seriesRows, jobRows, spendRows] = await Promise.all([series, jobs, spend]);
      if (seriesRows.length > MAX_USAGE_BUCKETS + 2) {
        throw new DomainError("INTERNAL", `usage summary produced ${seriesRows.length} buckets`);
      }
      const jobsBy = new Map(jobRows.map((row) => [row.date, row]));
      const spendBy = new Map(spendRows.map((row) => [row.date, row]));
      return {
        mode,
        bucket,
        timeZone,
        from,
        to,
        buckets: seriesRows.map((row) => ({
          date: row.date,
          start: new Date(row.startMs).toISOString(),
          end: new Date(row.endMs).toISOString(),
          ...figures(jobsBy.get(row.date), spendBy.get(row.date)),
        })),
        totals: figures(jobsBy.get(null), spendBy.get(null)),
      };
    },
  };
}
