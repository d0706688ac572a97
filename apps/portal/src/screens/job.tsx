// One job, live: status, cost and duration, the extracted result, the tester's own words, each slot, and the owner's actions.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { isTerminalJobStatus } from "@eyeball/core";

import { errorMessage, isAuthError, type JobView } from "../api";
import { ModeBadge, StatusBadge } from "../components/badges";
import { ErrorNote, Loading } from "../components/common";
import { LiveIndicator } from "../components/live-indicator";
import { RecordingSection } from "../components/recording";
import { formatDateTime, formatDuration, formatUsd, humanize, jobName, screenLabel } from "../format";
import { applyJobUpdate, jobKey, useLiveJobs } from "../live-jobs";
import { chargedSlotIds, type OwnerAction, ownerActionLegality, resizeBounds } from "../owner-actions";
import { Link } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";
import "./targeting.css";

export function JobScreen({ id }: { id: string }) {
  const api = useApi();
  const job = useQuery({ queryKey: jobKey(id), queryFn: () => api.jobs.get.query({ id }), retry: false });
  const live = useLiveJobs(id);
  useTitle(job.data ? jobName(job.data) : "Job");

  return (
    <article aria-labelledby="job-title" className="job-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/jobs">← All jobs</Link>
      </nav>
      {job.isPending && <Loading label="Loading the job…" />}
      {job.error && !isAuthError(job.error) && (
        <ErrorNote error={job.error} onRetry={() => void job.refetch()} />
      )}
      {job.data && <JobDetail job={job.data} live={live} />}
    </article>
  );
}

function JobDetail({ job, live }: { job: JobView; live: ReturnType<typeof useLiveJobs> }) {
  return (
    <>
      <header className="page-head">
        <div className="min0">
          <h1 id="job-title">{jobName(job)}</h1>
          <a className="url" href={job.url} target="_blank" rel="noreferrer noopener">
            {job.url}
          </a>
          <div className="badges">
            <StatusBadge status={job.status} />
            <ModeBadge mode={job.mode} />
            {job.control !== "active" && !isTerminalJobStatus(job.status) && (
              <StatusBadge status={job.control} label={`Claims ${job.control}`} />
            )}
            {job.settlement !== "unsettled" && <StatusBadge status={job.settlement} />}
          </div>
        </div>
        <LiveIndicator live={live} />
      </header>

      <dl className="stats">
        <div className="card stat">
          <dt>Cost</dt>
          <dd className="money" data-testid="job-cost">
            {formatUsd(job.costMicros)}
          </dd>
          {job.holdMicros > 0 && <dd className="stat-sub">{formatUsd(job.holdMicros)} on hold</dd>}
        </div>
        <div className="card stat">
          <dt>Duration</dt>
          <dd>{formatDuration(job.testDurationSeconds)}</dd>
          <dd className="stat-sub">target {job.targetDurationMinutes} min</dd>
        </div>
        <div className="card stat">
          <dt>Screen</dt>
          <dd>{screenLabel(job.screenSize)}</dd>
        </div>
        <div className="card stat">
          <dt>Testers</dt>
          <dd>{job.testerCount}</dd>
          {job.tester && <dd className="stat-sub">{job.tester.alias}</dd>}
        </div>
      </dl>

      <OwnerActions job={job} />

      <DisputeOutcomes job={job} />

      <div className="job-grid">
        <section className="card" aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          {job.result ? (
            <>
              <p className={job.result.success ? "ok strong" : "warn strong"}>
                {job.result.success ? "✓ Every question answered" : "Some questions were not answered"}
              </p>
              <h3>Explanation</h3>
              <p className="prose">{job.result.explanation || "—"}</p>
              <h3>Data</h3>
              <pre className="json" aria-label="Result data" data-testid="result-data">
                {JSON.stringify(job.result.data, null, 2)}
              </pre>
            </>
          ) : (
            <p className="muted">
              {!isTerminalJobStatus(job.status)
                ? "The result appears here as soon as the tester submits."
                : "This job ended without a result."}
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="response-title">
          <h2 id="response-title">Tester’s response</h2>
          {job.testerResponse ? (
            <blockquote className="response">{job.testerResponse}</blockquote>
          ) : (
            <p className="muted">No response yet.</p>
          )}
          <h2>Instructions</h2>
          <p className="prose">{job.description}</p>
          {(job.projectId || job.category || job.participantFilters.length > 0) && (
            <>
              <h3>Targeting</h3>
              <dl className="targeting" data-testid="job-targeting">
                {job.projectId && (
                  <div>
                    <dt>Project</dt>
                    <dd>
                      <Link to={`/projects/${job.projectId}`}>Open the project</Link>
                    </dd>
                  </div>
                )}
                <div>
                  <dt>Category</dt>
                  <dd>{job.category?.name ?? "None"}</dd>
                </div>
                <div>
                  <dt>Participant filters</dt>
                  <dd>{job.participantFilters.map((filter) => filter.name).join(", ") || "None"}</dd>
                </div>
              </dl>
            </>
          )}
          {job.outputSchema && (
            <>
              <h3>Output schema</h3>
              <pre className="json small-text">{JSON.stringify(job.outputSchema, null, 2)}</pre>
            </>
          )}
        </section>
      </div>

      <RecordingSection job={job} />

      <section className="card" aria-labelledby="slots-title">
        <h2 id="slots-title">Testers and timeline</h2>
        <dl className="timeline">
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(job.createdAt)}</dd>
          </div>
          <div>
            <dt>Posted</dt>
            <dd>{formatDateTime(job.postedAt)}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(job.startedAt)}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{formatDateTime(job.completedAt ?? job.cancelledAt)}</dd>
          </div>
        </dl>
        <div className="table-wrap">
          <table className="responsive">
            <caption className="sr-only">Assignment slots</caption>
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Tester</th>
                <th scope="col">Status</th>
                <th scope="col">Claimed</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {job.slots.map((slot) => (
                <tr key={slot.id}>
                  <th scope="row" data-label="Slot">
                    #{slot.slotIndex + 1}
                    {slot.replaced && <span className="muted small-text"> (replaced)</span>}
                  </th>
                  <td data-label="Tester">{slot.tester?.alias ?? "—"}</td>
                  <td data-label="Status">
                    <StatusBadge status={slot.status} />
                    {slot.rejectReason && <span className="small-text muted"> {slot.rejectReason}</span>}
                  </td>
                  <td data-label="Claimed">{formatDateTime(slot.claimedAt)}</td>
                  <td data-label="Duration" className="num">
                    {formatDuration(slot.durationSeconds)}
                  </td>
                  <td data-label="Cost" className="num money">
                    {formatUsd(slot.costMicros)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

const ACTION_LABELS: Record<
  Exclude<OwnerAction, "dispute" | "resize">,
  { label: string; busy: string; help: string }
> = {
  pause: { label: "Pause", busy: "Pausing…", help: "No new testers claim it; working testers continue." },
  resume: { label: "Resume", busy: "Resuming…", help: "Testers may claim it again." },
  stop: { label: "Stop", busy: "Stopping…", help: "Open slots close for good; working testers finish." },
  settle: { label: "Settle", busy: "Settling…", help: "Close the job and compute the final charge." },
  approve: { label: "Approve", busy: "Approving…", help: "Final: the testers are paid." },
};

function OwnerActions({ job }: { job: JobView }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const legality = ownerActionLegality(job);
  const [disputing, setDisputing] = useState(false);
  const [resizing, setResizing] = useState(false);
  const act = useMutation({
    mutationFn: (action: Exclude<OwnerAction, "dispute" | "resize">) =>
      api.jobs[action].mutate({ id: job.id }),
    onSuccess(view) {
      applyJobUpdate(queryClient, view);
    },
  });

  return (
    <section className="card owner-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Owner actions</h2>
      <div className="actions">
        {(Object.keys(ACTION_LABELS) as (keyof typeof ACTION_LABELS)[]).map((action) => {
          const rule = legality[action];
          const text = ACTION_LABELS[action];
          const busy = act.isPending && act.variables === action;
          return (
            <button
              key={action}
              type="button"
              className={action === "approve" ? "primary" : action === "stop" ? "danger" : undefined}
              disabled={!rule.allowed || act.isPending}
              title={rule.allowed ? text.help : `Not now: ${rule.reason}`}
              onClick={() => {
                act.mutate(action);
              }}
            >
              {busy ? text.busy : text.label}
            </button>
          );
        })}
        <button
          type="button"
          disabled={!legality.dispute.allowed || act.isPending}
          aria-expanded={disputing}
          title={
            legality.dispute.allowed
              ? "Dispute charged work, with a reason"
              : `Not now: ${legality.dispute.reason}`
          }
          onClick={() => {
            setDisputing((value) => !value);
          }}
        >
          Dispute…
        </button>
        <button
          type="button"
          disabled={!legality.resize.allowed || act.isPending}
          aria-expanded={resizing}
          title={
            legality.resize.allowed
              ? "Change how many testers the job asks for"
              : `Not now: ${legality.resize.reason}`
          }
          onClick={() => {
            setResizing((value) => !value);
          }}
        >
          Resize…
        </button>
      </div>
      <p className="field-hint">
        Actions are enabled when the job’s state allows them; hover or focus one to see why it is not.
      </p>
      {act.error && (
        <p className="notice danger" role="alert">
          {errorMessage(act.error)}
        </p>
      )}
      {disputing && legality.dispute.allowed && (
        <DisputeForm
          job={job}
          onDone={() => {
            setDisputing(false);
          }}
        />
      )}
      {resizing && legality.resize.allowed && (
        <ResizeForm
          job={job}
          onDone={() => {
            setResizing(false);
          }}
        />
      )}
    </section>
  );
}

function ResizeForm({ job, onDone }: { job: JobView; onDone: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const bounds = resizeBounds(job);
  const [count, setCount] = useState(String(bounds.current));
  const resize = useMutation({
    mutationFn: (testerCount: number) => api.jobs.resize.mutate({ id: job.id, testerCount }),
    onSuccess(view) {
      applyJobUpdate(queryClient, view);
      onDone();
    },
  });
  const value = Number(count);
  const valid = count.trim() !== "" && Number.isInteger(value) && value >= 1 && value <= bounds.max;
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (valid) resize.mutate(value);
  }
  return (
    <form className="dispute resize" onSubmit={submit} aria-label="Resize the job">
      <label>
        Number of testers
        <input
          type="number"
          inputMode="numeric"
          required
          min={1}
          max={bounds.max}
          step={1}
          value={count}
          aria-describedby="resize-hint"
          onChange={(event) => {
            setCount(event.target.value);
          }}
        />
      </label>
      <p className="field-hint" id="resize-hint">
        Now {bounds.current} {bounds.current === 1 ? "tester" : "testers"}
        {bounds.claimed > 0 ? `, ${bounds.claimed} already claimed` : ""}. Between {bounds.min} and{" "}
        {bounds.max}; more testers hold more credit, fewer close open slots and release theirs.
      </p>
      {resize.error && (
        <p className="notice danger" role="alert">
          {errorMessage(resize.error)}
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={resize.isPending || !valid || value === bounds.current}
        >
          {resize.isPending ? "Resizing…" : "Resize"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DisputeForm({ job, onDone }: { job: JobView; onDone: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const charged = chargedSlotIds(job);
  const [chosen, setChosen] = useState<string[]>(charged);
  const [reason, setReason] = useState("");
  const dispute = useMutation({
    mutationFn: () => api.jobs.dispute.mutate({ id: job.id, assignmentIds: chosen, reason: reason.trim() }),
    onSuccess(view) {
      applyJobUpdate(queryClient, view);
      onDone();
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    dispute.mutate();
  }
  return (
    <form className="dispute" onSubmit={submit} aria-label="Dispute charges">
      <fieldset>
        <legend>Charged work to dispute</legend>
        {job.slots
          .filter((slot) => charged.includes(slot.id))
          .map((slot) => (
            <label key={slot.id} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(slot.id)}
                onChange={(event) => {
                  setChosen((list) =>
                    event.target.checked ? [...list, slot.id] : list.filter((item) => item !== slot.id),
                  );
                }}
              />
              Slot #{slot.slotIndex + 1} · {slot.tester?.alias ?? "tester"} · {formatUsd(slot.costMicros)} ·{" "}
              {humanize(slot.status)}
            </label>
          ))}
      </fieldset>
      <label>
        Reason
        <textarea
          required
          maxLength={2000}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
          }}
        />
      </label>
      {dispute.error && (
        <p className="notice danger" role="alert">
          {errorMessage(dispute.error)}
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={dispute.isPending || chosen.length === 0 || !reason.trim()}
        >
          {dispute.isPending ? "Sending…" : "Open dispute"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The owner's disputes on this job and, once an admin decided, the outcome and the admin's note. */
function DisputeOutcomes({ job }: { job: JobView }) {
  const disputed = job.slots.filter((slot) => slot.dispute !== null);
  if (disputed.length === 0) return null;
  return (
    <section
      className="card"
      aria-labelledby="disputes-title"
      data-testid="job-disputes"
      style={{ marginBottom: "1rem" }}
    >
      <h2 id="disputes-title">Disputes</h2>
      <ul className="plain-list" role="list">
        {disputed.map((slot) => {
          const dispute = slot.dispute;
          if (!dispute) return null;
          return (
            <li key={slot.id} data-dispute-status={dispute.status}>
              <div className="grow">
                <p>
                  <StatusBadge status={dispute.status} label={`Dispute ${dispute.status}`} /> Slot #
                  {slot.slotIndex + 1} · {slot.tester?.alias ?? "tester"} · {formatUsd(slot.costMicros)}
                  {dispute.status === "refunded" && " refunded to your credit"}
                </p>
                <p className="muted small-text">
                  Your reason: {dispute.reason} (opened {formatDateTime(dispute.createdAt)})
                </p>
                {dispute.status === "open" ? (
                  <p className="muted small-text">An Eyeball admin reviews the evidence and decides.</p>
                ) : (
                  <p className="small-text">
                    Decided {formatDateTime(dispute.resolvedAt)}: {dispute.resolutionNote ?? "—"}
                  </p>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
