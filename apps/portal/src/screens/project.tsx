// One project: its details (edit, archive, delete), its tester pool and its recent jobs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { type SyntheticEvent, useId, useState } from "react";

import { errorMessage, isAuthError } from "../api";
import { StatusBadge } from "../components/badges";
import { ConfirmButton, Empty, ErrorNote, Loading } from "../components/common";
import { formatDateTime, jobName } from "../format";
import { serverFieldErrors } from "../job-form";
import { Link, useRouter } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";
import "./project.css";

type Api = ReturnType<typeof useApi>;
type Project = Awaited<ReturnType<Api["projects"]["get"]["query"]>>;
type PoolEntry = Awaited<ReturnType<Api["projects"]["testers"]["list"]["query"]>>[number];

const PROJECT_FIELDS = ["name", "description", "slackWebhookUrl"] as const;

function isBadRequest(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "BAD_REQUEST"
  );
}

export function ProjectScreen({ id }: { id: string }) {
  const api = useApi();
  const project = useQuery({
    queryKey: ["project", id],
    queryFn: () => api.projects.get.query({ id }),
  });
  useTitle(project.data ? project.data.name : "Project");

  return (
    <article aria-labelledby="project-title" className="project-page">
      <p className="small-text back-link">
        <Link to="/projects">← Projects</Link>
      </p>
      {project.isPending && <Loading label="Loading the project…" />}
      {project.error && !isAuthError(project.error) && (
        <>
          <h1 id="project-title">Project</h1>
          <ErrorNote error={project.error} onRetry={() => void project.refetch()} />
        </>
      )}
      {project.data && <ProjectDetail project={project.data} />}
    </article>
  );
}

function ProjectDetail({ project }: { project: Project }) {
  return (
    <>
      <header className="page-head">
        <div className="min0">
          <h1 id="project-title">{project.name}</h1>
          {project.description ? (
            <p className="muted prose">{project.description}</p>
          ) : (
            <p className="muted">No description.</p>
          )}
          <div className="badges">
            {project.archived ? (
              <StatusBadge status="archived" />
            ) : (
              <StatusBadge status="active" label="Active" />
            )}
            <span className="small-text muted">Created {formatDateTime(project.createdAt)}</span>
          </div>
        </div>
        {!project.archived && (
          <Link className="button primary" to={`/jobs/new?projectId=${encodeURIComponent(project.id)}`}>
            New job in this project
          </Link>
        )}
      </header>
      {project.archived && (
        <p className="notice warn">
          This project is archived: it takes no new jobs. Unarchive it below to use it again.
        </p>
      )}

      <div className="project-grid">
        <EditProjectForm project={project} />
        <ProjectJobs projectId={project.id} />
      </div>
      <TesterPool projectId={project.id} />
      <DangerZone project={project} />
    </>
  );
}

function EditProjectForm({ project }: { project: Project }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const base = useId();
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? "");
  const [slack, setSlack] = useState(project.slackWebhookUrl ?? "");
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api.projects.update.mutate({
        id: project.id,
        name: name.trim(),
        description: description.trim() === "" ? null : description.trim(),
        slackWebhookUrl: slack.trim() === "" ? null : slack.trim(),
      }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(["project", project.id], updated);
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ["projects"] });
    },
  });
  const fieldErrors =
    save.error && isBadRequest(save.error) ? serverFieldErrors(save.error.message, PROJECT_FIELDS) : {};
  const unplaced = save.error && Object.keys(fieldErrors).length === 0;
  const dirty =
    name.trim() !== project.name ||
    description.trim() !== (project.description ?? "") ||
    slack.trim() !== (project.slackWebhookUrl ?? "");

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }
  const field = (key: (typeof PROJECT_FIELDS)[number]) => {
    const error = fieldErrors[key];
    return {
      id: `${base}-${key}`,
      "aria-invalid": error ? true : undefined,
      "aria-describedby":
        [key === "slackWebhookUrl" ? `${base}-${key}-hint` : null, error ? `${base}-${key}-error` : null]
          .filter(Boolean)
          .join(" ") || undefined,
    };
  };
  const errorLine = (key: (typeof PROJECT_FIELDS)[number], label: string) =>
    fieldErrors[key] && (
      <span className="field-error" id={`${base}-${key}-error`}>
        {label} {fieldErrors[key]}
      </span>
    );
  const edit = () => {
    setSaved(false);
    if (save.error) save.reset();
  };

  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby={`${base}-title`} noValidate>
      <h2 id={`${base}-title`}>Details</h2>
      <div className={`field${fieldErrors.name ? " invalid" : ""}`}>
        <label htmlFor={`${base}-name`}>Name</label>
        <input
          {...field("name")}
          name="name"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            edit();
          }}
        />
        {errorLine("name", "Name")}
      </div>
      <div className={`field${fieldErrors.description ? " invalid" : ""}`}>
        <label htmlFor={`${base}-description`}>
          Description <span className="muted">(optional)</span>
        </label>
        <textarea
          {...field("description")}
          name="description"
          rows={3}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            edit();
          }}
        />
        {errorLine("description", "Description")}
      </div>
      <div className={`field${fieldErrors.slackWebhookUrl ? " invalid" : ""}`}>
        <label htmlFor={`${base}-slackWebhookUrl`}>
          Slack webhook URL <span className="muted">(optional)</span>
        </label>
        <input
          {...field("slackWebhookUrl")}
          name="slackWebhookUrl"
          type="url"
          inputMode="url"
          placeholder="https://hooks.slack.com/services/…"
          value={slack}
          onChange={(e) => {
            setSlack(e.target.value);
            edit();
          }}
        />
        <span className="field-hint" id={`${base}-slackWebhookUrl-hint`}>
          New jobs in this project are announced to this Slack incoming webhook.
        </span>
        {errorLine("slackWebhookUrl", "Slack webhook URL")}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending || !dirty || !name.trim()}>
          {save.isPending ? "Saving…" : "Save changes"}
        </button>
        <span role="status" className="small-text ok">
          {saved && !dirty ? "Saved." : ""}
        </span>
      </div>
      {unplaced && (
        <p className="notice danger" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </form>
  );
}

function ProjectJobs({ projectId }: { projectId: string }) {
  const api = useApi();
  const jobs = useQuery({
    queryKey: ["jobs", "project", projectId],
    queryFn: () => api.jobs.list.query({ projectId, limit: 10 }),
  });
  return (
    <section className="card" aria-labelledby="project-jobs-title">
      <h2 id="project-jobs-title">Recent jobs</h2>
      {jobs.isPending && <Loading label="Loading jobs…" />}
      {jobs.error && <ErrorNote error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.data && jobs.data.data.length === 0 && (
        <Empty title="No jobs in this project yet">
          <p className="muted">Pick this project under Targeting when you create a job.</p>
        </Empty>
      )}
      {jobs.data && jobs.data.data.length > 0 && (
        <ul className="project-jobs" role="list">
          {jobs.data.data.map((job) => (
            <li key={job.id}>
              <Link to={`/jobs/${job.id}`} className="min0 truncate">
                {jobName(job)}
              </Link>
              <StatusBadge status={job.status} />
            </li>
          ))}
        </ul>
      )}
      {jobs.data?.next && <p className="small-text muted">Showing the 10 newest.</p>}
    </section>
  );
}

function TesterPool({ projectId }: { projectId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const key = ["project", projectId, "testers"];
  const pool = useQuery({ queryKey: key, queryFn: () => api.projects.testers.list.query({ id: projectId }) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const entries = pool.data ?? [];
  const unblocked = entries.filter((entry) => !entry.blocked).length;

  return (
    <section className="card pool" aria-labelledby="pool-title">
      <h2 id="pool-title">Tester pool</h2>
      <div className="pool-explain" id="pool-explain">
        <p>
          A pool decides who sees this project’s jobs. <strong>Blocked</strong> testers never see them. As
          soon as the pool holds one tester who is not blocked, <strong>only</strong> the unblocked testers in
          the pool see the project’s jobs; with no unblocked tester, every tester (except the blocked) does.{" "}
          <strong>Preferred</strong> marks testers you trust; it does not change who can claim.
        </p>
        {pool.data && (
          <p className="small-text" data-testid="pool-state">
            {unblocked > 0
              ? `Now: only the ${unblocked} unblocked tester${unblocked === 1 ? "" : "s"} below see this project’s jobs.`
              : "Now: every tester who is not blocked sees this project’s jobs."}
          </p>
        )}
      </div>
      <AddTesterForm projectId={projectId} onAdded={() => void refresh()} />
      {pool.isPending && <Loading label="Loading the pool…" />}
      {pool.error && <ErrorNote error={pool.error} onRetry={() => void pool.refetch()} />}
      {pool.data && entries.length === 0 && (
        <Empty title="No testers in the pool">
          <p className="muted">Add a tester by the email they signed up with.</p>
        </Empty>
      )}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="pool-table">
            <caption className="sr-only">Testers in this project’s pool</caption>
            <thead>
              <tr>
                <th scope="col">Tester</th>
                <th scope="col">Preferred</th>
                <th scope="col">Blocked</th>
                <th scope="col">Notes</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <PoolRow key={entry.testerId} entry={entry} onChanged={refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PoolRow({ entry, onChanged }: { entry: PoolEntry; onChanged: () => Promise<unknown> }) {
  const api = useApi();
  const rowId = `tester-${entry.testerId}`;
  const [notes, setNotes] = useState(entry.notes ?? "");
  // The flags as just clicked, shown until the pool reloads (the toggles answer at once, not after the round trip).
  const [pending, setPending] = useState<{ preferred: boolean; blocked: boolean } | null>(null);
  const flags = pending ?? { preferred: entry.preferred, blocked: entry.blocked };
  const update = useMutation({
    mutationFn: (change: { preferred?: boolean; blocked?: boolean; notes?: string | null }) =>
      api.projects.testers.update.mutate({ id: entry.projectId, testerId: entry.testerId, ...change }),
    onSettled: async () => {
      await onChanged();
      setPending(null);
    },
  });
  const setFlags = (next: { preferred: boolean; blocked: boolean }) => {
    setPending(next);
    update.mutate(next);
  };
  const remove = useMutation({
    mutationFn: () => api.projects.testers.remove.mutate({ id: entry.projectId, testerId: entry.testerId }),
    onSuccess: onChanged,
  });
  const busy = update.isPending || remove.isPending;
  const notesChanged = notes.trim() !== (entry.notes ?? "");
  const error = update.error ?? remove.error;

  return (
    <tr className={flags.blocked ? "blocked" : undefined}>
      <th scope="row" data-label="Tester">
        <span className="tester-name" id={rowId}>
          <span
            className="tester-dot"
            aria-hidden="true"
            style={entry.color ? { background: entry.color } : undefined}
          />
          {entry.alias}
        </span>
        <span className="small-text muted mono">{entry.testerId}</span>
        {error && (
          <span className="field-error" role="alert">
            {errorMessage(error)}
          </span>
        )}
      </th>
      <td data-label="Preferred">
        <label className="check">
          <input
            type="checkbox"
            checked={flags.preferred}
            disabled={busy}
            aria-describedby={rowId}
            onChange={(e) => {
              // Never both: preferring a tester unblocks them.
              setFlags({ preferred: e.target.checked, blocked: e.target.checked ? false : flags.blocked });
            }}
          />
          <span className="sr-only">Preferred: </span>
          {flags.preferred ? "Yes" : "No"}
        </label>
      </td>
      <td data-label="Blocked">
        <label className="check">
          <input
            type="checkbox"
            checked={flags.blocked}
            disabled={busy}
            aria-describedby={rowId}
            onChange={(e) => {
              // Never both: blocking a tester drops the preference.
              setFlags({ blocked: e.target.checked, preferred: e.target.checked ? false : flags.preferred });
            }}
          />
          <span className="sr-only">Blocked: </span>
          {flags.blocked ? "Yes" : "No"}
        </label>
      </td>
      <td data-label="Notes">
        <form
          className="notes-form"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ notes: notes.trim() === "" ? null : notes.trim() });
          }}
        >
          <input
            aria-label={`Notes on ${entry.alias}`}
            value={notes}
            maxLength={2000}
            onChange={(e) => {
              setNotes(e.target.value);
            }}
          />
          {notesChanged && (
            <button type="submit" className="small" disabled={busy}>
              Save
            </button>
          )}
        </form>
      </td>
      <td className="row-actions" data-label="">
        <ConfirmButton
          label="Remove"
          confirmLabel="Remove"
          question={`Remove ${entry.alias}?`}
          busy={busy}
          describedBy={rowId}
          onConfirm={() => {
            remove.mutate();
          }}
        />
      </td>
    </tr>
  );
}

function AddTesterForm({ projectId, onAdded }: { projectId: string; onAdded: () => void }) {
  const api = useApi();
  const base = useId();
  const [email, setEmail] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (address: string) => api.projects.testers.add.mutate({ id: projectId, email: address }),
    onSuccess: (entry) => {
      setAdded(`${entry.alias} was added to the pool.`);
      setEmail("");
      onAdded();
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setAdded(null);
    add.mutate(email.trim());
  }
  const error = add.error;
  return (
    <form className="add-tester" onSubmit={submit} aria-labelledby={`${base}-title`} noValidate>
      <h3 id={`${base}-title`}>Add a tester by email</h3>
      <div className="form-row">
        <div className={`field grow${error ? " invalid" : ""}`}>
          <label htmlFor={`${base}-email`}>Tester’s email</label>
          <input
            id={`${base}-email`}
            name="email"
            type="email"
            autoComplete="off"
            required
            value={email}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${base}-error` : undefined}
            onChange={(e) => {
              setEmail(e.target.value);
              if (add.error) add.reset();
            }}
          />
        </div>
        <button type="submit" className="primary" disabled={add.isPending || !email.trim()}>
          {add.isPending ? "Adding…" : "Add tester"}
        </button>
      </div>
      {error && (
        <p className="notice danger" role="alert" id={`${base}-error`}>
          {addErrorText(error, add.variables ?? email.trim())}
        </p>
      )}
      <p role="status" className="small-text ok">
        {added ?? ""}
      </p>
    </form>
  );
}

/** The server's words, with the 404 and 409 cases said plainly. */
function addErrorText(error: unknown, email: string): string {
  const code =
    error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
  const message = errorMessage(error);
  if (code === "NOT_FOUND") return `Not found: ${message}. The person must sign up as a tester first.`;
  // The 409 names ids only; say who instead.
  if (code === "CONFLICT") {
    return `Already in the pool: ${email} is already in this project’s pool. Change their flags in the table below.`;
  }
  return message;
}

function DangerZone({ project }: { project: Project }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const archive = useMutation({
    mutationFn: () =>
      project.archived
        ? api.projects.unarchive.mutate({ id: project.id })
        : api.projects.archive.mutate({ id: project.id }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(["project", project.id], updated);
      await queryClient.invalidateQueries({ queryKey: ["projects"] });
    },
  });
  const remove = useMutation({
    mutationFn: () => api.projects.delete.mutate({ id: project.id }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ["project", project.id] });
      await queryClient.invalidateQueries({ queryKey: ["projects"] });
      navigate("/projects");
    },
  });
  const deleteConflict =
    remove.error instanceof TRPCClientError &&
    (remove.error.data as { code?: string } | undefined)?.code === "CONFLICT";
  return (
    <section className="card danger-zone" aria-labelledby="danger-title">
      <h2 id="danger-title">Archive or delete</h2>
      <div className="danger-row">
        <div className="min0">
          <h3>{project.archived ? "Unarchive" : "Archive"}</h3>
          <p className="muted small-text">
            {project.archived
              ? "Make the project available for new jobs again."
              : "Keep the project and its history, but take no new jobs in it."}
          </p>
        </div>
        <button
          type="button"
          disabled={archive.isPending}
          onClick={() => {
            archive.mutate();
          }}
        >
          {project.archived ? "Unarchive project" : "Archive project"}
        </button>
      </div>
      {archive.error && <ErrorNote error={archive.error} />}
      <div className="danger-row">
        <div className="min0">
          <h3>Delete</h3>
          <p className="muted small-text">
            Removes the project and its pool. Finished jobs are kept without a project; a project with running
            jobs cannot be deleted.
          </p>
        </div>
        <ConfirmButton
          label="Delete project"
          confirmLabel="Delete"
          question={`Delete ${project.name}?`}
          busy={remove.isPending}
          onConfirm={() => {
            remove.mutate();
          }}
        />
      </div>
      {remove.error && (
        <p className="notice danger" role="alert">
          {deleteConflict
            ? // The 409 names the project by id; on its own page "this project" says it plainer.
              `Cannot delete yet: ${errorMessage(remove.error).replace(/^project \S+ has/, "this project has")}.`
            : errorMessage(remove.error)}
        </p>
      )}
    </section>
  );
}
