// The test in progress: brief, checklist, credentials and countdown beside the test window; recording; findings with the done rule; submit, abandon or reject.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { remainingExtensionMinutes } from "@eyeball/core";

import { type Claimed, errorMessage } from "../api";
import { useSignedIn } from "../api-context";
import { getBridge } from "../bridge";
import { checkDraft, showValue } from "../checklist";
import { formatCountdown, formatMinutes, formatUsd, screenLabel } from "../format";

const HEARTBEAT_MS = 30_000;
const draftKey = (assignmentId: string) => `eyeball.draft.${assignmentId}`;

export function WorkScreen({ assignmentId, onLeave }: { assignmentId: string; onLeave: () => void }) {
  const { api } = useSignedIn();
  const claimed = useQuery({
    queryKey: ["assignment", assignmentId],
    queryFn: () => api.tester.assignment.query({ id: assignmentId }),
    refetchInterval: 15_000,
  });

  if (claimed.isPending) return <p className="muted">Loading the job…</p>;
  if (claimed.error) {
    return (
      <section className="card">
        <p className="error" role="alert">
          {errorMessage(claimed.error)}
        </p>
        <button type="button" onClick={onLeave}>
          Back to jobs
        </button>
      </section>
    );
  }
  const { data } = claimed;
  if (data.assignment.status !== "working") return <Finished claimed={data} onLeave={onLeave} />;
  return <Working claimed={data} />;
}

function Working({ claimed }: { claimed: Claimed }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const { assignment, job, credentials } = claimed;
  const [draft, setDraft] = useState(() => localStorage.getItem(draftKey(assignment.id)) ?? "");
  const [deadline, setDeadline] = useState<number | null>(() =>
    assignment.deadlineAt ? new Date(assignment.deadlineAt).getTime() : null,
  );
  const check = useMemo(() => checkDraft(job.outputSchema, draft), [job.outputSchema, draft]);
  // After submit, abandon or reject: this assignment, and the history and earnings it now counts in.
  const refresh = () =>
    Promise.all(
      [["assignment", assignment.id], ["history"], ["earnings"]].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    ).then(() => undefined);

  // The draft is kept on disk as it is typed, so a crash or a restart loses none of the tester's words.
  useEffect(() => {
    localStorage.setItem(draftKey(assignment.id), draft);
  }, [assignment.id, draft]);

  // Heartbeats keep the slot alive and re-base the countdown on the server's clock.
  useEffect(() => {
    let stopped = false;
    const beat = () => {
      void api.tester.heartbeat.mutate({ id: assignment.id }).then(
        (timing) => {
          if (!stopped) setDeadline(Date.now() + timing.remainingMs);
        },
        () => undefined,
      );
    };
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, assignment.id]);

  const testWindow = useQuery({
    queryKey: ["testWindow", assignment.id],
    queryFn: () => getBridge().testWindowState(),
    refetchInterval: 2_000,
  });
  const open = useMutation({
    mutationFn: () =>
      getBridge().openTestWindow({
        assignmentId: assignment.id,
        url: job.url,
        viewport: { width: job.screenSize.width, height: job.screenSize.height },
        title: job.title ?? job.url,
      }),
    onSettled: () => void testWindow.refetch(),
  });
  // Claiming opens the site at once; reopening is the tester's choice after they close it.
  const windowState = testWindow.data;
  const shouldOpen =
    testWindow.isSuccess && windowState === null && !open.isPending && !open.isError && !open.isSuccess;
  useEffect(() => {
    if (shouldOpen) open.mutate();
  }, [shouldOpen, open]);

  const submit = useMutation({
    mutationFn: async () => {
      const bridge = getBridge();
      if ((await bridge.testWindowState())?.open)
        await bridge.takeScreenshot("submit").catch(() => undefined);
      const view = await api.tester.submit.mutate({ id: assignment.id, message: draft.trim() });
      await bridge.closeTestWindow();
      return view;
    },
    onSuccess: () => {
      localStorage.removeItem(draftKey(assignment.id));
      void refresh();
    },
  });

  return (
    <div className="work">
      <section className="work-brief" aria-labelledby="brief-title">
        <div className="section-head">
          <h1 id="brief-title">{job.title ?? job.url}</h1>
          <Countdown deadline={deadline} />
        </div>
        <p className="url">
          {job.url} · {screenLabel(job.screenSize)}
          {windowState && windowState.displayScale < 1 && (
            <span className="muted">
              {" "}
              · shown at {Math.round(windowState.displayScale * 100)}% to fit your screen
            </span>
          )}
        </p>
        <h2>Instructions</h2>
        <p className="instructions">{job.description}</p>
        {credentials.length > 0 && <Credentials credentials={credentials} />}
        {claimed.repoContext && claimed.repoContext.files.length > 0 ? (
          <ProjectNotes repo={claimed.repoContext.repo} files={claimed.repoContext.files} />
        ) : (
          job.repoName && (
            <>
              <h2>Repository</h2>
              <p>{job.repoName}</p>
            </>
          )
        )}
        <Extension
          claimed={claimed}
          onGranted={(remainingMs) => {
            setDeadline(Date.now() + remainingMs);
          }}
        />
        <RecordingPanel
          assignmentId={assignment.id}
          windowOpen={windowState?.open === true}
          onReopen={() => {
            open.mutate();
          }}
        />
        {open.error && (
          <p className="error" role="alert">
            The test window could not be opened: {errorMessage(open.error)}
          </p>
        )}
      </section>

      <section className="work-findings" aria-labelledby="findings-title">
        <h2 id="findings-title">Checklist</h2>
        {check.items.length === 0 ? (
          <p className="muted">No fields to fill: describe what you found.</p>
        ) : (
          <ul className="checklist" role="list">
            {check.items.map((item) => (
              <li key={item.name} className={item.answered ? "answered" : "unanswered"}>
                <span className="check" aria-hidden="true">
                  {item.answered ? "✓" : "○"}
                </span>
                <span>
                  <strong>{item.name}</strong> <span className="muted">({item.type})</span> —{" "}
                  {item.description}
                  {item.answered && <span className="answer"> → {showValue(item.value)}</span>}
                  <span className="sr-only">{item.answered ? " answered" : " not answered yet"}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
        <label htmlFor="findings">Your findings</label>
        <textarea
          id="findings"
          rows={10}
          value={draft}
          placeholder={
            'Write what you did and saw, in plain words. End with the word "done" when you are finished.'
          }
          onChange={(event) => {
            setDraft(event.target.value);
          }}
          aria-describedby="done-rule"
        />
        <p id="done-rule" className={check.final ? "ok" : "hint"} role="status">
          {check.final
            ? check.unanswered.length === 0
              ? "Ready to submit."
              : `Ready to submit. Still unanswered: ${check.unanswered.join(", ")}.`
            : 'End your findings with the word "done" to submit.'}
          {!check.final &&
            check.unanswered.length > 0 &&
            ` Still unanswered: ${check.unanswered.join(", ")}.`}
        </p>
        {submit.error && (
          <p className="error" role="alert">
            {errorMessage(submit.error)}
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!check.final || submit.isPending}
            onClick={() => {
              submit.mutate();
            }}
          >
            {submit.isPending ? "Submitting…" : "Submit findings"}
          </button>
          <Abandon assignmentId={assignment.id} onDone={refresh} />
          <Reject assignmentId={assignment.id} onDone={refresh} />
        </div>
      </section>
    </div>
  );
}

function Countdown({ deadline }: { deadline: number | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  if (deadline === null) return null;
  const left = deadline - now;
  return (
    <div className={`countdown${left < 60_000 ? " urgent" : ""}`} role="timer" aria-label="Time left">
      {formatCountdown(left)}
      {left < 0 && <span className="muted"> over time: submit now</span>}
    </div>
  );
}

function Credentials({ credentials }: { credentials: Claimed["credentials"] }) {
  return (
    <>
      <h2>Site credentials</h2>
      <ul className="credentials" role="list">
        {credentials.map((credential, index) => (
          <li key={index}>
            <span>
              <span className="muted">User</span> <code>{credential.username}</code>
            </span>
            <span>
              <span className="muted">Password</span> <code>{credential.password}</code>
            </span>
            <button
              type="button"
              className="small"
              onClick={() => void navigator.clipboard.writeText(credential.password)}
              aria-label={`Copy the password for ${credential.username}`}
            >
              Copy password
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function Extension({ claimed, onGranted }: { claimed: Claimed; onGranted: (remainingMs: number) => void }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const { job, assignment } = claimed;
  const remaining = remainingExtensionMinutes(
    {
      targetDurationMinutes: job.targetDurationMinutes,
      allowDurationExtension: job.allowDurationExtension,
      maxExtensionMinutes: job.maxExtensionMinutes,
    },
    assignment.extensionMinutesGranted,
  );
  const choices = [1, 2, 5, 10].filter((m) => remaining === null || m <= remaining);
  if (remaining !== null && remaining > 0 && !choices.includes(remaining) && remaining < 10)
    choices.push(remaining);
  const [minutes, setMinutes] = useState(choices[0] ?? 1);
  const extend = useMutation({
    mutationFn: () => api.tester.requestExtension.mutate({ id: assignment.id, minutes }),
    onSuccess: (timing) => {
      onGranted(timing.remainingMs);
      void queryClient.invalidateQueries({ queryKey: ["assignment", assignment.id] });
    },
  });

  if (!job.allowDurationExtension)
    return <p className="muted small-text">This job does not allow extra time.</p>;
  if (remaining === 0)
    return <p className="muted small-text">All the extra time this job allows has been granted.</p>;
  return (
    <div className="extension">
      <label htmlFor="extension-minutes">Need more time?</label>
      <select
        id="extension-minutes"
        value={minutes}
        onChange={(event) => {
          setMinutes(Number(event.target.value));
        }}
      >
        {choices.map((m) => (
          <option key={m} value={m}>
            {formatMinutes(m)}
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={() => {
          extend.mutate();
        }}
        disabled={extend.isPending}
      >
        Request
      </button>
      <span className="muted small-text">
        {remaining === null ? "No limit on extra time" : `Up to ${formatMinutes(remaining)} more`}
      </span>
      {extend.error && (
        <p className="error" role="alert">
          {errorMessage(extend.error)}
        </p>
      )}
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function RecordingPanel({
  assignmentId,
  windowOpen,
  onReopen,
}: {
  assignmentId: string;
  windowOpen: boolean;
  onReopen: () => void;
}) {
  const status = useQuery({
    queryKey: ["recording", assignmentId],
    queryFn: () => getBridge().recordingStatus(),
    refetchInterval: 1_000,
  });
  const queryClient = useQueryClient();
  const shot = useMutation({
    mutationFn: () => getBridge().takeScreenshot("manual"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["recording", assignmentId] }),
  });
  const data = status.data?.assignmentId === assignmentId ? status.data : null;
  return (
    <div className="recording card" aria-label="Recording">
      <div className="recording-head">
        <span className={`dot${data?.recording ? " on" : ""}`} aria-hidden="true" />
        <strong>{data?.recording ? "Recording" : "Not recording"}</strong>
        {data && (
          <span className="muted">
            {count(data.clicks, "click")} · {count(data.console, "console message")} ·{" "}
            {count(data.network, "request")} · {count(data.screenshots, "screenshot")} · video{" "}
            {data.video === "unavailable" ? `off (${data.videoReason ?? "unavailable"})` : data.video}
          </span>
        )}
      </div>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            shot.mutate();
          }}
          disabled={!windowOpen || shot.isPending}
        >
          Take screenshot
        </button>
        {!windowOpen && (
          <button type="button" onClick={onReopen}>
            Reopen test window
          </button>
        )}
      </div>
      {shot.error && (
        <p className="error" role="alert">
          {errorMessage(shot.error)}
        </p>
      )}
    </div>
  );
}

function Abandon({ assignmentId, onDone }: { assignmentId: string; onDone: () => Promise<void> }) {
  const { api } = useSignedIn();
  const [confirming, setConfirming] = useState(false);
  const abandon = useMutation({
    mutationFn: async () => {
      const view = await api.tester.abandon.mutate({ id: assignmentId });
      await getBridge().closeTestWindow();
      return view;
    },
    onSuccess: () => void onDone(),
  });
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Abandon
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label="Confirm abandoning">
      <span>Give this job up? You are not paid for it.</span>
      <button
        type="button"
        className="danger"
        onClick={() => {
          abandon.mutate();
        }}
        disabled={abandon.isPending}
      >
        Yes, abandon
      </button>
      <button
        type="button"
        onClick={() => {
          setConfirming(false);
        }}
      >
        Keep testing
      </button>
      {abandon.error && <span className="error">{errorMessage(abandon.error)}</span>}
    </span>
  );
}

function Reject({ assignmentId, onDone }: { assignmentId: string; onDone: () => Promise<void> }) {
  const { api } = useSignedIn();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const reject = useMutation({
    mutationFn: async () => {
      const view = await api.tester.reject.mutate({ id: assignmentId, reason: reason.trim() });
      await getBridge().closeTestWindow();
      return view;
    },
    onSuccess: () => void onDone(),
  });
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => {
          setOpen(true);
        }}
      >
        Impossible to test…
      </button>
    );
  }
  return (
    <form
      className="reject"
      onSubmit={(event) => {
        event.preventDefault();
        reject.mutate();
      }}
    >
      <label htmlFor="reject-reason">Why can this job not be done?</label>
      <textarea
        id="reject-reason"
        rows={3}
        required
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
        }}
      />
      <div className="actions">
        <button type="submit" className="danger" disabled={reason.trim() === "" || reject.isPending}>
          Reject job
        </button>
        <button
          type="button"
          onClick={() => {
            setOpen(false);
          }}
        >
          Cancel
        </button>
      </div>
      {reject.error && (
        <p className="error" role="alert">
          {errorMessage(reject.error)}
        </p>
      )}
    </form>
  );
}

const OUTCOME: Record<string, string> = {
  submitted: "Submitted: your findings are being read.",
  completed: "Completed. Thank you!",
  incomplete: "Submitted, but some fields were left unanswered.",
  abandoned: "You abandoned this job.",
  closed: "This slot was closed by the job owner.",
  rejected: "You rejected this job as impossible.",
  error: "Something went wrong with this job.",
};

function Finished({ claimed, onLeave }: { claimed: Claimed; onLeave: () => void }) {
  const { assignment, job } = claimed;
  return (
    <section className="card finished" aria-labelledby="finished-title">
      <h1 id="finished-title">{job.title ?? job.url}</h1>
      <p className="outcome" role="status">
        {OUTCOME[assignment.status] ?? assignment.status}
      </p>
      {assignment.costMicros > 0 && (
        <p>
          Working time charged: <span className="money">{formatUsd(assignment.costMicros)}</span>
        </p>
      )}
      {assignment.testerResponse && (
        <>
          <h2>Your findings</h2>
          <blockquote>{assignment.testerResponse}</blockquote>
        </>
      )}
      <p className="muted">The recording keeps uploading in the background; see the indicator at the top.</p>
      <button type="button" className="primary" onClick={onLeave}>
        Back to jobs
      </button>
    </section>
  );
}

/** The repository's README.md and CLAUDE.md, fetched when the job was created: context for what to test. */
function ProjectNotes({ repo, files }: { repo: string; files: { path: string; content: string }[] }) {
  return (
    <section className="project-notes" aria-labelledby="project-notes-title">
      <h2 id="project-notes-title">Project notes from {repo}</h2>
      {files.map((file) => (
        <details key={file.path}>
          <summary>{file.path}</summary>
          <pre tabIndex={0} aria-label={`${file.path} of ${repo}`}>
            {file.content}
          </pre>
        </details>
      ))}
    </section>
  );
}
