// Usage: jobs, spend and turnaround per day or week over the last 7, 30 or 90 days, in the viewer's time zone, as charts with tables.
import "./usage.css";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import type { Outputs } from "../api";
import { Chart, type ChartSeries } from "../components/chart";
import { Empty, ErrorNote, Loading } from "../components/common";
import { formatDuration, formatUsd } from "../format";
import { Link, useRouter } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";

type Summary = Outputs["usage"]["summary"];
type BucketRow = Summary["buckets"][number];

const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];
type Bucket = "day" | "week";
type Mode = "live" | "test";

/**
 * The range in the browser's (the viewer's) zone: from the first day's local midnight (a Monday for
 * weeks) to the end of today, so the key stays put all day and a refetch still sees today's newest jobs.
 */
function rangeWindow(range: Range, bucket: Bucket, now: Date): { from: Date; to: Date } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (range - 1));
  if (bucket === "week") from.setDate(from.getDate() - ((from.getDay() + 6) % 7));
  return { from, to: new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1) };
}

/** "Mar 29" for a bucket's local date (`YYYY-MM-DD`, already in the viewer's zone). */
function dayLabel(date: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
    ...options,
  });
}

function bucketName(row: BucketRow, bucket: Bucket): string {
  return bucket === "week"
    ? `Week of ${dayLabel(row.date, { year: "numeric" })}`
    : dayLabel(row.date, { weekday: "short", year: "numeric" });
}

const usdAxis = (value: number) =>
  value === 0
    ? "$0"
    : `$${value < 1 ? value.toFixed(value < 0.1 ? 3 : 2) : value.toFixed(value < 10 ? 1 : 0)}`;
const countAxis = (value: number) => (Number.isInteger(value) ? String(value) : "");
const durationAxis = (value: number) => formatDuration(value);

function pick<T extends string | number>(value: string | null, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly (string | number)[]).map(String).includes(value ?? "")
    ? (allowed.find((item) => String(item) === value) ?? fallback)
    : fallback;
}

export function UsageScreen() {
  useTitle("Usage");
  const api = useApi();
  const { search, navigate } = useRouter();
  const range = pick<Range>(search.get("range"), RANGES, 30);
  const bucket = pick<Bucket>(search.get("bucket"), ["day", "week"], "day");
  const mode = pick<Mode>(search.get("mode"), ["live", "test"], "live");
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(name, value);
    navigate(`/usage?${next.toString()}`, { replace: true });
  };

  const { from, to } = useMemo(() => rangeWindow(range, bucket, new Date()), [range, bucket]);
  const summary = useQuery({
    queryKey: ["usage", mode, range, bucket, timeZone, from.toISOString(), to.toISOString()],
    queryFn: () =>
      api.usage.summary.query({
        from: from.toISOString(),
        to: to.toISOString(),
        bucket,
        timeZone,
        mode,
      }),
    // Switching range keeps the charts (and any open tables) on screen until the new figures arrive.
    placeholderData: keepPreviousData,
  });

  return (
    <section aria-labelledby="usage-title" className="usage">
      <div className="page-head">
        <div>
          <h1 id="usage-title">Usage</h1>
          <p className="muted">
            Jobs, spend and turnaround over the last {range} days, by {bucket}, in {timeZone}.
          </p>
        </div>
      </div>

      <div className="toolbar usage-toolbar">
        <Choice
          legend="Range"
          name="range"
          value={String(range)}
          options={RANGES.map((r) => ({ value: String(r), label: `${r} days` }))}
          onChange={(value) => {
            setParam("range", value);
          }}
        />
        <Choice
          legend="Per"
          name="bucket"
          value={bucket}
          options={[
            { value: "day", label: "Day" },
            { value: "week", label: "Week" },
          ]}
          onChange={(value) => {
            setParam("bucket", value);
          }}
        />
        <Choice
          legend="Mode"
          name="mode"
          value={mode}
          options={[
            { value: "live", label: "Live" },
            { value: "test", label: "Test" },
          ]}
          onChange={(value) => {
            setParam("mode", value);
          }}
        />
      </div>

      {summary.isPending && <Loading label="Loading usage…" />}
      {summary.error && <ErrorNote error={summary.error} onRetry={() => void summary.refetch()} />}
      {summary.data && (
        <div aria-busy={summary.isPlaceholderData}>
          <UsageBody summary={summary.data} range={range} mode={summary.data.mode} />
        </div>
      )}
    </section>
  );
}

function Choice({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <fieldset className="segmented usage-choice">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className={option.value === value ? "on" : undefined}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => {
              onChange(option.value);
            }}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function UsageBody({ summary, range, mode }: { summary: Summary; range: Range; mode: Mode }) {
  const { totals, buckets, bucket } = summary;
  const per = bucket === "week" ? "week" : "day";
  const xLabels = useMemo(() => buckets.map((row) => dayLabel(row.date)), [buckets]);
  const jobSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "Created", values: buckets.map((row) => row.created), color: "--accent" },
      { label: "Completed", values: buckets.map((row) => row.completed), color: "--ok" },
    ],
    [buckets],
  );
  const spendSeries = useMemo<ChartSeries[]>(
    () => [{ label: "Spend", values: buckets.map((row) => row.spendUsd), color: "--info", kind: "bars" }],
    [buckets],
  );
  const turnaroundSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "Median", values: buckets.map((row) => row.turnaroundMedianSeconds), color: "--accent" },
      {
        label: "90th percentile",
        values: buckets.map((row) => row.turnaroundP90Seconds),
        color: "--warn",
        dashed: true,
      },
    ],
    [buckets],
  );

  const ended = totals.completed + totals.failed + totals.cancelled;
  if (totals.created === 0 && ended === 0 && totals.spendMicros === 0) {
    return (
      <Empty title={`No ${mode} jobs in the last ${range} days`}>
        <p className="muted">
          {mode === "live" ? (
            <>
              Sandbox jobs are counted under Test. Post a job from <Link to="/jobs/new">New job</Link> and it
              shows up here.
            </>
          ) : (
            <>
              Create a test job from <Link to="/jobs/new">New job</Link>; the simulated tester finishes it in
              seconds.
            </>
          )}
        </p>
      </Empty>
    );
  }

  return (
    <>
      <dl className="stats usage-totals" aria-label="Totals">
        <div className="card stat">
          <dt>Jobs created</dt>
          <dd data-testid="total-created">{totals.created}</dd>
        </div>
        <div className="card stat">
          <dt>Completed</dt>
          <dd data-testid="total-completed">{totals.completed}</dd>
          <dd className="stat-sub">
            {totals.failed} failed · {totals.cancelled} cancelled
          </dd>
        </div>
        <div className="card stat">
          <dt>Spend</dt>
          <dd className="money" data-testid="total-spend">
            {formatUsd(totals.spendMicros)}
          </dd>
          {mode === "test" && <dd className="stat-sub">sandbox credit, not charged</dd>}
        </div>
        <div className="card stat">
          <dt>Median turnaround</dt>
          <dd data-testid="total-turnaround">{formatDuration(totals.turnaroundMedianSeconds)}</dd>
          <dd className="stat-sub">p90 {formatDuration(totals.turnaroundP90Seconds)}</dd>
        </div>
      </dl>

      <div className="usage-charts">
        <ChartCard
          id="usage-jobs"
          title="Jobs"
          label={`Jobs created and completed per ${per}, chart`}
          xLabels={xLabels}
          series={jobSeries}
          formatY={countAxis}
          table={{
            columns: ["Created", "Completed", "Failed", "Cancelled"],
            rows: buckets.map((row) => [row.created, row.completed, row.failed, row.cancelled].map(String)),
          }}
          names={buckets.map((row) => bucketName(row, bucket))}
        />
        <ChartCard
          id="usage-spend"
          title="Spend"
          label={`Spend in USD per ${per}, chart`}
          xLabels={xLabels}
          series={spendSeries}
          formatY={usdAxis}
          table={{ columns: ["Spend"], rows: buckets.map((row) => [formatUsd(row.spendMicros)]) }}
          names={buckets.map((row) => bucketName(row, bucket))}
        />
        <ChartCard
          id="usage-turnaround"
          title="Turnaround"
          label={`Turnaround from creation to completion per ${per}, median and 90th percentile, chart`}
          xLabels={xLabels}
          series={turnaroundSeries}
          formatY={durationAxis}
          table={{
            columns: ["Median", "90th percentile"],
            rows: buckets.map((row) => [
              formatDuration(row.turnaroundMedianSeconds),
              formatDuration(row.turnaroundP90Seconds),
            ]),
          }}
          names={buckets.map((row) => bucketName(row, bucket))}
        />
      </div>
    </>
  );
}

function ChartCard({
  id,
  title,
  label,
  xLabels,
  series,
  formatY,
  table,
  names,
}: {
  id: string;
  title: string;
  label: string;
  xLabels: string[];
  series: ChartSeries[];
  formatY: (value: number) => string;
  table: { columns: string[]; rows: string[][] };
  names: string[];
}) {
  return (
    <section className="card usage-chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Chart label={label} xLabels={xLabels} series={series} formatY={formatY} />
      <details className="usage-numbers">
        <summary>Show the numbers</summary>
        {/* Scrolls on long ranges: focusable so keyboard users can scroll it too. */}
        <div className="usage-table-wrap" role="region" aria-label={`${title} table`} tabIndex={0}>
          <table>
            <caption className="sr-only">{title}, in numbers</caption>
            <thead>
              <tr>
                <th scope="col">{names.length > 0 && names[0]?.startsWith("Week") ? "Week" : "Day"}</th>
                {table.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((cells, index) => (
                <tr key={names[index] ?? index}>
                  <th scope="row">{names[index]}</th>
                  {cells.map((cell, column) => (
                    <td key={table.columns[column] ?? column}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
