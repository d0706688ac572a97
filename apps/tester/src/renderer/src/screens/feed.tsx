// The live feed: jobs this tester may claim, pushed by the server as they appear and go, with a desktop notice for each new one.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { errorMessage, type FeedItem } from "../api";
import { useSignedIn } from "../api-context";
import { formatMinutes, formatUsd, screenLabel } from "../format";
import { useFeed, useFeedLive } from "../live-feed";

export function FeedScreen({ onClaimed }: { onClaimed: (assignmentId: string) => void }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const live = useFeedLive();
  const feed = useFeed();

  const claim = useMutation({
    mutationFn: (jobId: string) => api.tester.claim.mutate({ jobId }),
    onSuccess(claimed) {
      void queryClient.invalidateQueries({ queryKey: ["feed"] });
      onClaimed(claimed.assignment.id);
    },
  });

  return (
    <section aria-labelledby="feed-title">
      <div className="section-head">
        <h1 id="feed-title">Jobs for you</h1>
        <span className={`live ${live}`} role="status">
          {live === "live" ? "● Live" : live === "connecting" ? "Connecting…" : "Offline, retrying"}
        </span>
      </div>
      {claim.error && (
        <p className="error" role="alert">
          {errorMessage(claim.error)}
        </p>
      )}
      {feed.isPending && <p className="muted">Loading jobs…</p>}
      {feed.error && (
        <p className="error" role="alert">
          {errorMessage(feed.error)}
        </p>
      )}
      {feed.data?.length === 0 && (
        <div className="empty">
          <p>No jobs right now.</p>
          <p className="muted">
            New jobs appear here the moment they are posted, and you get a notification.
          </p>
        </div>
      )}
      <ul className="job-list" role="list">
        {feed.data?.map((item) => (
          <FeedCard
            key={item.jobId}
            item={item}
            busy={claim.isPending && claim.variables === item.jobId}
            onClaim={() => {
              claim.mutate(item.jobId);
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function FeedCard({ item, busy, onClaim }: { item: FeedItem; busy: boolean; onClaim: () => void }) {
  const titleId = `job-${item.jobId}`;
  return (
    <li className="card job-card" aria-labelledby={titleId}>
      <div className="job-main">
        <h2 id={titleId}>{item.title ?? new URL(item.url).host}</h2>
        <p className="url">{item.url}</p>
        <p className="description">{item.description}</p>
        <dl className="facts">
          <div>
            <dt>Pays up to</dt>
            <dd className="money">{formatUsd(item.payMicros)}</dd>
          </div>
          <div>
            <dt>Target</dt>
            <dd>{formatMinutes(item.targetDurationMinutes)}</dd>
          </div>
          <div>
            <dt>Screen</dt>
            <dd>{screenLabel(item.screenSize)}</dd>
          </div>
          <div>
            <dt>Project</dt>
            <dd>{item.projectName ?? "—"}</dd>
          </div>
          {item.openSlots > 1 && (
            <div>
              <dt>Open slots</dt>
              <dd>{item.openSlots}</dd>
            </div>
          )}
        </dl>
      </div>
      <button type="button" className="primary" onClick={onClaim} disabled={busy} aria-describedby={titleId}>
        {busy ? "Claiming…" : "Claim"}
      </button>
    </li>
  );
}
