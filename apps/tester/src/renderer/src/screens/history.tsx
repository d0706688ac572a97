// The tester's past and current assignments, newest first, with what each one earned.
import { useInfiniteQuery } from "@tanstack/react-query";

import { errorMessage } from "../api";
import { useSignedIn } from "../api-context";
import { formatDateTime, formatDuration, formatUsd } from "../format";

const STATUS_LABELS: Record<string, string> = {
  open: "Open",
  working: "In progress",
  submitted: "Being read",
  completed: "Completed",
  incomplete: "Incomplete",
  abandoned: "Abandoned",
  rejected: "Rejected as impossible",
  error: "Error",
  closed: "Closed by the owner",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replace(/_/g, " ");
}

export function HistoryScreen() {
  const { api } = useSignedIn();
  const history = useInfiniteQuery({
    queryKey: ["history"],
    queryFn: ({ pageParam }) =>
      api.tester.history.query(pageParam ? { cursor: pageParam, limit: 25 } : { limit: 25 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? null,
  });

  const rows = history.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="history-heading">
      <div className="section-head">
        <h1 id="history-heading">History</h1>
      </div>
      {history.isPending && <p className="muted">Loading your history…</p>}
      {history.error && (
        <p className="error" role="alert">
          {errorMessage(history.error)}
        </p>
      )}
      {history.isSuccess && rows.length === 0 && (
        <div className="empty">
          <p>No tests yet.</p>
          <p className="muted">Jobs you claim appear here with their outcome and what you earned.</p>
        </div>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Your assignments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Project</th>
                <th scope="col">Status</th>
                <th scope="col">Claimed</th>
                <th scope="col" className="num">
                  Time worked
                </th>
                <th scope="col" className="num">
                  Earned
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.assignmentId}>
                  <td>
                    <span className="cell-title">{row.title}</span>
                    <span className="url small-text">{row.url}</span>
                  </td>
                  <td>{row.projectName ?? "—"}</td>
                  <td>
                    <span className={`badge ${row.status}`}>{statusLabel(row.status)}</span>
                    {row.disputed && <span className="badge disputed">Disputed</span>}
                  </td>
                  <td>{formatDateTime(row.claimedAt)}</td>
                  <td className="num">
                    {row.durationSeconds === null ? "—" : formatDuration(row.durationSeconds)}
                  </td>
                  <td className="num money">{formatUsd(row.earningsMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            onClick={() => void history.fetchNextPage()}
            disabled={history.isFetchingNextPage}
          >
            {history.isFetchingNextPage ? "Loading…" : "Show older"}
          </button>
        </div>
      )}
    </section>
  );
}
