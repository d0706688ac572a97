// Projects: group jobs (and their tester pools); create, archive and bring back.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { errorMessage } from "../api";
import { StatusBadge } from "../components/badges";
import { Empty, ErrorNote, Loading, LoadMore } from "../components/common";
import { formatDateTime } from "../format";
import { Link } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";

export function ProjectsScreen() {
  useTitle("Projects");
  const api = useApi();
  const queryClient = useQueryClient();
  const [includeArchived, setIncludeArchived] = useState(false);
  const projects = useInfiniteQuery({
    queryKey: ["projects", includeArchived],
    queryFn: ({ pageParam }) => api.projects.list.query({ cursor: pageParam, limit: 50, includeArchived }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["projects"] });
  const archive = useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      archived ? api.projects.unarchive.mutate({ id }) : api.projects.archive.mutate({ id }),
    onSuccess: refresh,
  });
  const all = projects.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="projects-title">
      <div className="page-head">
        <div>
          <h1 id="projects-title">Projects</h1>
          <p className="muted">Group jobs by product or team; each project can keep its own tester pool.</p>
        </div>
      </div>
      <CreateProjectForm onCreated={() => void refresh()} />

      <div className="section-row">
        <h2 className="section-title">Your projects</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={includeArchived}
            onChange={(event) => {
              setIncludeArchived(event.target.checked);
            }}
          />
          Show archived
        </label>
      </div>
      {archive.error && <ErrorNote error={archive.error} />}
      {projects.isPending && <Loading label="Loading projects…" />}
      {projects.error && <ErrorNote error={projects.error} onRetry={() => void projects.refetch()} />}
      {projects.data && all.length === 0 && (
        <Empty title="No projects yet">
          <p className="muted">Jobs without a project still work; projects help once you have many.</p>
        </Empty>
      )}
      {all.length > 0 && (
        <ul className="project-list" role="list">
          {all.map((project) => (
            <li key={project.id} className={`card project${project.archived ? " dimmed" : ""}`}>
              <div className="min0">
                <h3 id={`project-${project.id}`}>
                  <Link to={`/projects/${project.id}`}>{project.name}</Link>
                </h3>
                {project.description && <p className="muted">{project.description}</p>}
                <p className="small-text muted">Created {formatDateTime(project.createdAt)}</p>
              </div>
              <div className="project-side">
                {project.archived && <StatusBadge status="archived" />}
                <button
                  type="button"
                  className="small"
                  aria-describedby={`project-${project.id}`}
                  disabled={archive.isPending && archive.variables.id === project.id}
                  onClick={() => {
                    archive.mutate({ id: project.id, archived: project.archived });
                  }}
                >
                  {project.archived ? "Unarchive" : "Archive"}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={projects} />
    </section>
  );
}

function CreateProjectForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api.projects.create.mutate({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    onSuccess() {
      setName("");
      setDescription("");
      onCreated();
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="create-project-title">
      <h2 id="create-project-title">New project</h2>
      <div className="form-row">
        <label className="grow">
          Name
          <input
            name="name"
            required
            value={name}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
        <label className="grow2">
          Description <span className="muted">(optional)</span>
          <input
            name="description"
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
            }}
          />
        </label>
        <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create project"}
        </button>
      </div>
      {create.error && (
        <p className="notice danger" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}
