// The disputes queue: oldest first, filtered by status (open by default), loaded a page at a time.
import { useInfiniteQuery } from "@tanstack/react-query";

import type { Outputs } from "../../api";
import { ModeBadge, StatusBadge } from "../../components/badges";
import { Empty, ErrorNote, Loading, LoadMore } from "../../components/common";
import { formatDateTime, formatShortDateTime, formatUsd, humanize, jobName } from "../../format";
import { Link, useRouter } from "../../router";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

const PAGE_SIZE = 20;
const FILTERS = ["open", "resolved", "upheld", "refunded"] as const;
type Filter = (typeof FILTERS)[number];
export type AdminDisputeRow = Outputs["admin"]["disputes"]["data"][number];

export function adminDisputesKey(status: Filter) {
  return ["admin", "disputes", status] as const;
}

export function AdminDisputesScreen() {
  useTitle("Disputes");
  const api = useApi();
  const { search, navigate } = useRouter();
  const param = search.get("status");
  const status: Filter = (FILTERS as readonly string[]).includes(param ?? "") ? (param as Filter) : "open";

  const disputes = useInfiniteQuery({
    queryKey: adminDisputesKey(status),
    queryFn: ({ pageParam }) => api.admin.disputes.query({ limit: PAGE_SIZE, cursor: pageParam, status }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = disputes.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="admin-disputes-title">
      <div className="page-head">
        <div>
          <h1 id="admin-disputes-title">Disputes</h1>
          <p className="muted">Oldest first: the order to work through them. Open one to see the evidence.</p>
        </div>
      </div>
      <div className="toolbar" role="search" aria-label="Filter disputes">
        <label className="inline">
          Status
          <select
            name="status"
            value={status}
            onChange={(event) => {
              const value = event.target.value;
              navigate(value === "open" ? "/admin/disputes" : `/admin/disputes?status=${value}`, {
                replace: true,
              });
            }}
          >
            {FILTERS.map((value) => (
              <option key={value} value={value}>
                {value === "resolved" ? "Resolved (upheld or refunded)" : humanize(value)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {disputes.isPending && <Loading label="Loading disputes…" />}
      {disputes.error && <ErrorNote error={disputes.error} onRetry={() => void disputes.refetch()} />}
      {disputes.data && rows.length === 0 && (
        <Empty title={status === "open" ? "No open disputes" : `No ${status} disputes`}>
          <p className="muted">
            {status === "open"
              ? "Owners dispute charged work from a job’s page; their disputes land here."
              : "Decided disputes appear here."}
          </p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">{humanize(status)} disputes, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Organisation</th>
                <th scope="col">Reason</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Opened</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <DisputeRow key={row.id} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={disputes} />
    </section>
  );
}

function DisputeRow({ row }: { row: AdminDisputeRow }) {
  const name = jobName({ title: row.jobTitle, url: row.jobUrl });
  return (
    <tr>
      <th scope="row" data-label="Job">
        <Link to={`/admin/disputes/${row.id}`} className="strong">
          {name}
        </Link>
        <span className="url admin-sub">{row.jobUrl}</span>
        {row.mode === "test" && <ModeBadge mode="test" />}
      </th>
      <td data-label="Organisation">{row.orgName}</td>
      <td data-label="Reason" className="admin-reason">
        {row.reason}
      </td>
      <td data-label="Amount" className="num money">
        {formatUsd(row.amountMicros)}
      </td>
      <td data-label="Opened">
        <span title={formatDateTime(row.openedAt)}>{formatShortDateTime(row.openedAt)}</span>
      </td>
      <td data-label="Status">
        <StatusBadge status={row.status} />
      </td>
    </tr>
  );
}
