// Jobs: the organisation's jobs, newest first, updating live; filter by status, search on the server (kept in the URL), load more.
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { isTerminalJobStatus, JOB_STATUSES } from "@eyeball/core";

import type { JobView } from "../api";
import { ModeBadge, StatusBadge } from "../components/badges";
import { Empty, ErrorNote, Loading, LoadMore } from "../components/common";
import { LiveIndicator } from "../components/live-indicator";
import {
  formatDateTime,
  formatDuration,
  formatShortDateTime,
  formatUsd,
  humanize,
  jobName,
  screenLabel,
} from "../format";
import { jobsKey, useLiveJobs } from "../live-jobs";
import { Link, useRouter } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";

const PAGE_SIZE = 20;
/** The server's limit on a search (`q`: 1–200 characters). */
const MAX_SEARCH = 200;
const SEARCH_DEBOUNCE_MS = 250;

/** `/jobs` with the given filters (omitted when empty). */
function jobsPath(status: string | null, q: string | null): string {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  if (q) params.set("q", q);
  const query = params.toString();
  return query ? `/jobs?${query}` : "/jobs";
}

export function JobsScreen() {
  useTitle("Jobs");
  const api = useApi();
  const { search, navigate } = useRouter();
  const statusParam = search.get("status");
  const status = (JOB_STATUSES as readonly string[]).includes(statusParam ?? "")
    ? (statusParam as (typeof JOB_STATUSES)[number])
    : null;
  // The search the list shows lives in the URL (`?q=`), so reload and back/forward keep it.
  const q = search.get("q")?.trim().slice(0, MAX_SEARCH) || null;
  const [text, setText] = useState(q ?? "");
  const live = useLiveJobs();

  // Back/forward (or a link) changed the URL's search: the box follows.
  useEffect(() => {
    setText((current) => (current.trim() === (q ?? "") ? current : (q ?? "")));
  }, [q]);

  // Typing settles for a moment before the URL (and so the server query) changes; replace, not push,
  // so history holds one entry per search rather than one per keystroke.
  useEffect(() => {
    const wanted = text.trim() || null;
    if (wanted === q) return;
    const timer = setTimeout(() => {
      navigate(jobsPath(status, wanted), { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [text, q, status, navigate]);

  const jobs = useInfiniteQuery({
    queryKey: jobsKey(status, q),
    queryFn: ({ pageParam }) =>
      api.jobs.list.query({
        limit: PAGE_SIZE,
        cursor: pageParam,
        ...(status ? { status } : {}),
        ...(q ? { q } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    // A new search keeps the previous list on screen until its first page arrives (paging starts over).
    placeholderData: keepPreviousData,
  });

  const shown = useMemo(() => jobs.data?.pages.flatMap((page) => page.data) ?? [], [jobs.data]);
  const searching = jobs.isPlaceholderData;

  return (
    <section aria-labelledby="jobs-title">
      <div className="page-head">
        <div>
          <h1 id="jobs-title">Jobs</h1>
          <p className="muted">Every test your integrations asked for, as it happens.</p>
        </div>
        <div className="page-head-side">
          <LiveIndicator live={live} />
          <Link to="/jobs/new" className="button primary">
            New job
          </Link>
        </div>
      </div>

      <div className="toolbar" role="search" aria-label="Filter jobs">
        <label className="inline">
          Status
          <select
            name="status"
            value={status ?? ""}
            onChange={(event) => {
              const value = event.target.value;
              navigate(jobsPath(value || null, q), { replace: true });
            }}
          >
            <option value="">All statuses</option>
            {JOB_STATUSES.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline search">
          Search
          <input
            type="search"
            name="q"
            placeholder="Title, URL, description or job id"
            aria-describedby="search-hint"
            maxLength={MAX_SEARCH}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
        </label>
        <span id="search-hint" className="sr-only">
          Searches all your jobs as you type.
        </span>
        <span className="sr-only" role="status" aria-live="polite">
          {q && jobs.data && !searching
            ? `${shown.length}${jobs.hasNextPage ? "+" : ""} ${shown.length === 1 ? "job matches" : "jobs match"}`
            : ""}
        </span>
      </div>

      {jobs.isPending && <Loading label="Loading jobs…" />}
      {jobs.error && <ErrorNote error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.data && !q && shown.length === 0 && (
        <Empty title={status ? `No ${humanize(status).toLowerCase()} jobs` : "No jobs yet"}>
          {status ? (
            <p className="muted">Jobs appear here the moment their status changes.</p>
          ) : (
            <>
              <p className="muted">
                Create a test key under <Link to="/api-keys">API keys</Link>, then post a job. It shows up
                here live.
              </p>
              <pre className="snippet">
                {`curl -X POST ${window.location.origin}/api/jobs \\
  -H "Authorization: Bearer eb_test_…" -H "Content-Type: application/json" \\
  -d '{"url":"https://example.com","description":"Check the signup form"}'`}
              </pre>
            </>
          )}
        </Empty>
      )}
      {jobs.data && q && !searching && shown.length === 0 && (
        <Empty title="No jobs match">
          <p className="muted">
            Nothing{status ? ` ${humanize(status).toLowerCase()}` : ""} has “{q}” in its title, URL or
            description. Try other words.
          </p>
        </Empty>
      )}
      {shown.length > 0 && (
        <ul className="job-list" role="list" aria-label="Jobs" aria-busy={searching}>
          {shown.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </ul>
      )}
      <LoadMore query={jobs} />
    </section>
  );
}

function JobRow({ job }: { job: JobView }) {
  const titleId = `job-${job.id}`;
  return (
    <li className="job-row card" aria-labelledby={titleId}>
      <div className="job-row-main">
        <Link to={`/jobs/${job.id}`} className="job-title" id={titleId}>
          {jobName(job)}
        </Link>
        <span className="url">{job.url}</span>
      </div>
      <div className="job-row-meta">
        <StatusBadge status={job.status} />
        {job.mode === "test" && <ModeBadge mode="test" />}
        {job.control !== "active" && !isTerminalJobStatus(job.status) && <StatusBadge status={job.control} />}
      </div>
      <dl className="job-row-facts">
        <div>
          <dt>Created</dt>
          <dd title={formatDateTime(job.createdAt)}>{formatShortDateTime(job.createdAt)}</dd>
        </div>
        <div>
          <dt>Screen</dt>
          <dd>{screenLabel(job.screenSize)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(job.testDurationSeconds)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd className="money">{formatUsd(job.costMicros)}</dd>
        </div>
      </dl>
    </li>
  );
}
