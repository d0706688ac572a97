// The platform's testers and organisations, newest first, a page at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Empty, ErrorNote, Loading } from "../../components/common";
import { formatDateTime, formatShortDateTime } from "../../format";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

const PAGE_SIZE = 20;

function LoadMore({
  hasNextPage,
  fetching,
  onMore,
}: {
  hasNextPage: boolean;
  fetching: boolean;
  onMore: () => void;
}) {
  if (!hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" onClick={onMore} disabled={fetching}>
        {fetching ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}

export function AdminTestersScreen() {
  useTitle("Testers");
  const api = useApi();
  const [includeSandbox, setIncludeSandbox] = useState(false);
  const testers = useInfiniteQuery({
    queryKey: ["admin", "testers", includeSandbox],
    queryFn: ({ pageParam }) =>
      api.admin.testers.query({ limit: PAGE_SIZE, cursor: pageParam, includeSandbox }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = testers.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="admin-testers-title">
      <div className="page-head">
        <div>
          <h1 id="admin-testers-title">Testers</h1>
          <p className="muted">Everyone who tests on the platform, newest first.</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={includeSandbox}
            onChange={(event) => {
              setIncludeSandbox(event.target.checked);
            }}
          />
          Include the sandbox’s simulated testers
        </label>
      </div>
      {testers.isPending && <Loading label="Loading testers…" />}
      {testers.error && <ErrorNote error={testers.error} onRetry={() => void testers.refetch()} />}
      {testers.data && rows.length === 0 && (
        <Empty title="No testers yet">
          <p className="muted">Testers appear here once they sign up in the desktop app.</p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">Testers, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Email</th>
                <th scope="col">Country</th>
                <th scope="col">Languages</th>
                <th scope="col" className="num">
                  Assignments
                </th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((tester) => (
                <tr key={tester.testerId}>
                  <th scope="row" data-label="Alias">
                    {tester.alias}
                    {tester.isSandbox && <span className="muted small-text"> (sandbox)</span>}
                  </th>
                  <td data-label="Email">{tester.email}</td>
                  <td data-label="Country">{tester.country ?? "—"}</td>
                  <td data-label="Languages">
                    {tester.languages.length > 0 ? tester.languages.join(", ") : "—"}
                  </td>
                  <td data-label="Assignments" className="num">
                    {tester.assignmentCount}
                  </td>
                  <td data-label="Joined">
                    <span title={formatDateTime(tester.createdAt)}>
                      {formatShortDateTime(tester.createdAt)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasNextPage={testers.hasNextPage}
        fetching={testers.isFetchingNextPage}
        onMore={() => void testers.fetchNextPage()}
      />
    </section>
  );
}

export function AdminOrgsScreen() {
  useTitle("Organisations");
  const api = useApi();
  const orgs = useInfiniteQuery({
    queryKey: ["admin", "orgs"],
    queryFn: ({ pageParam }) => api.admin.orgs.query({ limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = orgs.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="admin-orgs-title">
      <div className="page-head">
        <div>
          <h1 id="admin-orgs-title">Organisations</h1>
          <p className="muted">Every organisation on the platform, newest first.</p>
        </div>
      </div>
      {orgs.isPending && <Loading label="Loading organisations…" />}
      {orgs.error && <ErrorNote error={orgs.error} onRetry={() => void orgs.refetch()} />}
      {orgs.data && rows.length === 0 && <Empty title="No organisations yet" />}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">Organisations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col" className="num">
                  Projects
                </th>
                <th scope="col" className="num">
                  Jobs
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((org) => (
                <tr key={org.id}>
                  <th scope="row" data-label="Name">
                    {org.name}
                  </th>
                  <td data-label="Slug">{org.slug}</td>
                  <td data-label="Members" className="num">
                    {org.memberCount}
                  </td>
                  <td data-label="Projects" className="num">
                    {org.projectCount}
                  </td>
                  <td data-label="Jobs" className="num">
                    {org.jobCount}
                  </td>
                  <td data-label="Created">
                    <span title={formatDateTime(org.createdAt)}>{formatShortDateTime(org.createdAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasNextPage={orgs.hasNextPage}
        fetching={orgs.isFetchingNextPage}
        onMore={() => void orgs.fetchNextPage()}
      />
    </section>
  );
}
