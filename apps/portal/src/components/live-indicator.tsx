// Whether live updates are flowing.
import type { Live } from "../live-jobs";

export function LiveIndicator({ live }: { live: Live }) {
  return (
    <span className={`live-indicator ${live}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      {live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Offline, retrying"}
    </span>
  );
}
