// The recording's timeline: clicks, console and network entries in time order, filter chips per kind, click to
// seek the video; while it plays, the entry at the current time is marked (aria-current) and kept in view.
import { useEffect, useMemo, useRef, useState } from "react";

import {
  activeIndex,
  buildTimeline,
  consoleTone,
  countByKind,
  filterTimeline,
  formatOffset,
  type RecordingInput,
  TIMELINE_KINDS,
  type TimelineItem,
  type TimelineKind,
} from "../timeline";

const KIND_LABELS: Record<TimelineKind, string> = { click: "Clicks", console: "Console", network: "Network" };

export function RecordingTimeline({
  recording,
  start,
  time,
  canSeek,
  onSeek,
}: {
  recording: RecordingInput;
  start: number;
  /** The video's currentTime, in seconds. */
  time: number;
  canSeek: boolean;
  onSeek: (offset: number) => void;
}) {
  const all = useMemo(() => buildTimeline(recording, start), [recording, start]);
  const counts = useMemo(() => countByKind(all), [all]);
  const [kinds, setKinds] = useState<ReadonlySet<TimelineKind>>(() => new Set(TIMELINE_KINDS));
  const items = useMemo(() => filterTimeline(all, kinds), [all, kinds]);
  const active = canSeek ? activeIndex(items, time) : -1;
  const activeId = items[active]?.id;
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    if (!list || activeId === undefined) return;
    const row = list.querySelector<HTMLElement>(`[data-entry="${activeId}"]`);
    if (!row) return;
    // Scroll the list itself, not the page.
    const top = row.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 3), behavior: "smooth" });
    }
  }, [activeId]);

  return (
    <div className="recording-timeline">
      <div className="recording-timeline-head">
        <h3 className="recording-sub" id="recording-timeline-title">
          Timeline
        </h3>
        <div className="recording-chips" role="group" aria-label="Show entries">
          {TIMELINE_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className={`recording-chip kind-${kind}`}
              aria-pressed={kinds.has(kind)}
              onClick={() => {
                setKinds((previous) => {
                  const next = new Set(previous);
                  if (next.has(kind)) next.delete(kind);
                  else next.add(kind);
                  return next;
                });
              }}
            >
              {KIND_LABELS[kind]} <span className="recording-chip-count">{counts[kind]}</span>
            </button>
          ))}
        </div>
      </div>
      {all.length === 0 ? (
        <p className="muted">No clicks, console messages or requests were recorded.</p>
      ) : items.length === 0 ? (
        <p className="muted">No entries of the chosen kinds: switch a filter on.</p>
      ) : (
        <ol ref={listRef} className="recording-entries" aria-labelledby="recording-timeline-title">
          {items.map((item, index) => (
            <li key={item.id} data-entry={item.id} data-kind={item.kind}>
              <button
                type="button"
                className={`recording-entry${index === active ? " active" : ""}`}
                aria-current={index === active ? "true" : undefined}
                disabled={!canSeek}
                title={canSeek ? `Play from ${formatOffset(item.offset)}` : undefined}
                onClick={() => {
                  onSeek(item.offset);
                }}
              >
                <time className="recording-offset">{formatOffset(item.offset)}</time>
                <Entry item={item} />
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Entry({ item }: { item: TimelineItem }) {
  switch (item.kind) {
    case "click":
      return (
        <span className="recording-entry-text">
          <span className="recording-kind kind-click">Click</span> at {Math.round(item.x)},
          {Math.round(item.y)}
          {item.element && <code className="recording-detail">{item.element}</code>}
        </span>
      );
    case "console":
      return (
        <span className={`recording-entry-text tone-${consoleTone(item.type)}`}>
          <span className="recording-kind kind-console">{item.type}</span>
          <span className="recording-detail recording-message">{item.message}</span>
        </span>
      );
    case "network":
      return (
        <span className={`recording-entry-text${item.failed ? " tone-danger" : ""}`}>
          <span className="recording-kind kind-network">{item.method}</span>
          <span className="recording-detail recording-url">{item.url}</span>
          <span className="recording-status">{item.status === null ? "failed" : item.status}</span>
        </span>
      );
  }
}
