// One dispute's evidence (reason, the tester's words, the result, cost, the recording) and the admin's decision: uphold or refund, with a note.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useRef, useState } from "react";

import { errorMessage, isAuthError, type Outputs } from "../../api";
import { ModeBadge, StatusBadge } from "../../components/badges";
import { ErrorNote, Loading } from "../../components/common";
import { SlotRecording } from "../../components/recording";
import "../../components/recording.css";
import { formatDateTime, formatDuration, formatUsd, humanize, jobName } from "../../format";
import { Link } from "../../router";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

export type DisputeEvidence = Outputs["admin"]["dispute"];
type Resolution = "uphold" | "refund";
const MAX_NOTE = 2000;

function disputeKey(id: string) {
  return ["admin", "dispute", id] as const;
}

export function AdminDisputeScreen({ id }: { id: string }) {
  const api = useApi();
  const evidence = useQuery({
    queryKey: disputeKey(id),
    queryFn: () => api.admin.dispute.query({ id }),
    retry: false,
  });
  const data = evidence.data;
  useTitle(data ? `Dispute · ${jobName(data.job)}` : "Dispute");

  return (
    <article aria-labelledby="dispute-title" className="admin-dispute">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/admin/disputes">← Disputes queue</Link>
      </nav>
      {evidence.isPending && <Loading label="Loading the dispute…" />}
      {evidence.error && !isAuthError(evidence.error) && (
        <>
          <h1 id="dispute-title">Dispute</h1>
          <ErrorNote error={evidence.error} onRetry={() => void evidence.refetch()} />
        </>
      )}
      {data && <DisputeDetail evidence={data} />}
    </article>
  );
}

function DisputeDetail({ evidence }: { evidence: DisputeEvidence }) {
  const { dispute, job, assignment, recording } = evidence;
  const hasRecording =
    recording !== null &&
    (recording.video !== null ||
      recording.screenshots.length > 0 ||
      recording.consoleMessages.length > 0 ||
      recording.networkRequests.length > 0 ||
      recording.clicks.length > 0);

  return (
    <>
      <header className="page-head">
        <div className="min0">
          <h1 id="dispute-title">Dispute: {jobName(job)}</h1>
          <a className="url" href={job.url} target="_blank" rel="noreferrer noopener">
            {job.url}
          </a>
          <div className="badges">
            <StatusBadge status={dispute.status} label={`Dispute ${dispute.status}`} />
            <ModeBadge mode={job.mode} />
            <StatusBadge status={job.status} />
            <StatusBadge status={job.settlement} />
          </div>
        </div>
      </header>

      <dl className="stats">
        <div className="card stat">
          <dt>Disputed charge</dt>
          <dd className="money" data-testid="dispute-amount">
            {formatUsd(dispute.amountMicros)}
          </dd>
          <dd className="stat-sub">{job.mode === "test" ? "test-mode books" : "live credit"}</dd>
        </div>
        <div className="card stat">
          <dt>Worked</dt>
          <dd>{formatDuration(assignment.durationSeconds)}</dd>
          <dd className="stat-sub">submitted {formatDateTime(assignment.submittedAt)}</dd>
        </div>
        <div className="card stat">
          <dt>Organisation</dt>
          <dd className="admin-stat-text">{job.orgName}</dd>
          <dd className="stat-sub">{job.orgSlug}</dd>
        </div>
        <div className="card stat">
          <dt>Tester</dt>
          <dd className="admin-stat-text">{assignment.tester?.alias ?? "—"}</dd>
          <dd className="stat-sub">
            slot #{assignment.slotIndex + 1} · {humanize(assignment.status)}
          </dd>
        </div>
      </dl>

      {dispute.status === "open" ? <DecisionForm evidence={evidence} /> : <Outcome evidence={evidence} />}

      <div className="job-grid">
        <section className="card" aria-labelledby="reason-title">
          <h2 id="reason-title">Owner’s reason</h2>
          <blockquote className="response" data-testid="dispute-reason">
            {dispute.reason}
          </blockquote>
          <p className="muted small-text">
            Opened {formatDateTime(dispute.createdAt)}
            {dispute.openedBy
              ? ` by ${dispute.openedBy.name || dispute.openedBy.email} (${dispute.openedBy.email})`
              : ""}
            . Dispute window ends {formatDateTime(dispute.disputeWindowEndsAt)}.
          </p>
          <h2>Instructions</h2>
          <p className="prose">{job.description}</p>
        </section>

        <section className="card" aria-labelledby="tester-response-title">
          <h2 id="tester-response-title">Tester’s response</h2>
          {assignment.testerResponse ? (
            <blockquote className="response" data-testid="tester-response">
              {assignment.testerResponse}
            </blockquote>
          ) : (
            <p className="muted">The tester wrote nothing.</p>
          )}
          <h2>Extracted result</h2>
          {assignment.result ? (
            <>
              <p className={assignment.result.success ? "ok strong" : "warn strong"}>
                {assignment.result.success ? "✓ Every question answered" : "Some questions were not answered"}
              </p>
              <h3>Explanation</h3>
              <p className="prose" data-testid="result-explanation">
                {assignment.result.explanation || "—"}
              </p>
              <h3>Data</h3>
              <pre className="json" aria-label="Result data" data-testid="result-data">
                {JSON.stringify(assignment.result.data, null, 2)}
              </pre>
            </>
          ) : (
            <p className="muted">No result was extracted for this assignment.</p>
          )}
        </section>
      </div>

      <section className="card recording" aria-labelledby="recording-title">
        <div className="recording-head">
          <h2 id="recording-title">Recording</h2>
        </div>
        {recording && hasRecording ? (
          <SlotRecording slot={recording} job={job} />
        ) : (
          <div className="empty recording-empty">
            <p className="empty-title">No recording</p>
            <p className="muted">
              The tester uploaded no video, screenshots or timeline for this assignment.
            </p>
          </div>
        )}
      </section>
    </>
  );
}

function Outcome({ evidence }: { evidence: DisputeEvidence }) {
  const { dispute } = evidence;
  const refunded = dispute.status === "refunded";
  return (
    <section className="card admin-outcome" aria-labelledby="outcome-title" data-testid="dispute-outcome">
      <h2 id="outcome-title">{refunded ? "Refunded" : "Upheld"}</h2>
      <p className="strong">
        {refunded
          ? `${formatUsd(dispute.amountMicros)} went back to ${evidence.job.orgName}’s credit; the tester earns nothing for this work.`
          : "The charge stands; the tester is paid when the owner approves the settlement."}
      </p>
      <p className="muted small-text">
        Decided {formatDateTime(dispute.resolvedAt)}
        {dispute.resolvedBy ? ` by ${dispute.resolvedBy.name || dispute.resolvedBy.email}` : ""}.
      </p>
      <h3>Note to the owner</h3>
      <p className="prose">{dispute.resolutionNote ?? "—"}</p>
    </section>
  );
}

function DecisionForm({ evidence }: { evidence: DisputeEvidence }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { dispute } = evidence;
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Resolution | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const amount = formatUsd(dispute.amountMicros);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const resolve = useMutation({
    mutationFn: (resolution: Resolution) =>
      api.admin.resolveDispute.mutate({ id: dispute.id, resolution, note: note.trim() }),
    onSuccess(next) {
      queryClient.setQueryData(disputeKey(dispute.id), next);
      void queryClient.invalidateQueries({ queryKey: ["admin", "disputes"] });
      void queryClient.invalidateQueries({ queryKey: ["admin", "overview"] });
    },
    onError() {
      setConfirming(null);
    },
  });

  function ask(resolution: Resolution) {
    const trimmed = note.trim();
    if (trimmed.length === 0) {
      setNoteError("Write a note first: it tells the owner why, and stays on the record.");
      noteRef.current?.focus();
      return;
    }
    setNoteError(null);
    resolve.reset();
    setConfirming(resolution);
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (confirming) resolve.mutate(confirming);
  }

  const question =
    confirming === "refund"
      ? `Refund ${amount} to ${evidence.job.orgName}? The tester will earn nothing for this work.`
      : `Uphold the ${amount} charge? The tester is paid once the owner approves.`;

  return (
    <section className="card admin-decision" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <form onSubmit={submit} aria-labelledby="decision-title" noValidate>
        <div className="field">
          <label htmlFor="resolution-note">Note to the owner (required)</label>
          <textarea
            id="resolution-note"
            ref={noteRef}
            name="note"
            required
            maxLength={MAX_NOTE}
            rows={3}
            value={note}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={
              noteError ? "resolution-note-error resolution-note-hint" : "resolution-note-hint"
            }
            onChange={(event) => {
              setNote(event.target.value);
              if (noteError && event.target.value.trim()) setNoteError(null);
              setConfirming(null);
            }}
          />
          <p className="field-hint" id="resolution-note-hint">
            Shown to the owner on the job’s page. {note.length}/{MAX_NOTE} characters.
          </p>
          {noteError && (
            <p className="field-error" id="resolution-note-error" role="alert">
              {noteError}
            </p>
          )}
        </div>
        {confirming === null ? (
          <div className="actions">
            <button
              type="button"
              disabled={resolve.isPending}
              onClick={() => {
                ask("uphold");
              }}
            >
              Uphold charge
            </button>
            <button
              type="button"
              className="danger"
              disabled={resolve.isPending}
              onClick={() => {
                ask("refund");
              }}
            >
              Refund {amount}
            </button>
          </div>
        ) : (
          <div className="confirm admin-confirm" role="group" aria-label="Confirm the decision">
            <span className="confirm-q">{question}</span>
            <span className="actions">
              <button
                ref={confirmRef}
                type="submit"
                className={confirming === "refund" ? "danger-solid" : "primary"}
                disabled={resolve.isPending}
              >
                {resolve.isPending
                  ? "Saving…"
                  : confirming === "refund"
                    ? `Yes, refund ${amount}`
                    : "Yes, uphold"}
              </button>
              <button
                type="button"
                disabled={resolve.isPending}
                onClick={() => {
                  setConfirming(null);
                }}
              >
                Cancel
              </button>
            </span>
          </div>
        )}
        {resolve.error && (
          <p className="notice danger" role="alert">
            {errorMessage(resolve.error)}
          </p>
        )}
      </form>
    </section>
  );
}
