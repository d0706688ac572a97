// Admin overview: open disputes, jobs by status, organisations and testers, from admin.overview.
import { useQuery } from "@tanstack/react-query";

import { JOB_STATUSES } from "@eyeball/core";

import { ErrorNote, Loading } from "../../components/common";
import { humanize } from "../../format";
import { Link } from "../../router";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

export function AdminOverviewScreen() {
  useTitle("Admin overview");
  const api = useApi();
  const overview = useQuery({
    queryKey: ["admin", "overview"],
    queryFn: () => api.admin.overview.query({}),
  });
  const data = overview.data;

  return (
    <section aria-labelledby="admin-overview-title">
      <div className="page-head">
        <div>
          <h1 id="admin-overview-title">Overview</h1>
          <p className="muted">The whole platform at a glance, live and test jobs together.</p>
        </div>
      </div>
      {overview.isPending && <Loading label="Loading the overview…" />}
      {overview.error && <ErrorNote error={overview.error} onRetry={() => void overview.refetch()} />}
      {data && (
        <>
          <dl className="stats">
            <div className="card stat">
              <dt>Open disputes</dt>
              <dd data-testid="open-disputes">{data.openDisputes}</dd>
              <dd className="stat-sub">
                <Link to="/admin/disputes">Review the queue</Link>
              </dd>
            </div>
            <div className="card stat">
              <dt>Jobs</dt>
              <dd>{data.jobs}</dd>
            </div>
            <div className="card stat">
              <dt>Organisations</dt>
              <dd>{data.organisations}</dd>
              <dd className="stat-sub">
                <Link to="/admin/orgs">All organisations</Link>
              </dd>
            </div>
            <div className="card stat">
              <dt>Testers</dt>
              <dd>{data.testers}</dd>
              <dd className="stat-sub">
                <Link to="/admin/testers">All testers</Link>
              </dd>
            </div>
          </dl>
          <section className="card" aria-labelledby="admin-jobs-title">
            <h2 id="admin-jobs-title">Jobs by status</h2>
            <dl className="admin-counts">
              {JOB_STATUSES.map((status) => (
                <div key={status}>
                  <dt>{humanize(status)}</dt>
                  <dd>{data.jobsByStatus[status]}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      )}
    </section>
  );
}
