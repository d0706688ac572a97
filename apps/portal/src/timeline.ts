// A recording's timeline as the job page shows it: clicks, console and network entries in time order, each at an
// offset (seconds) from the recording's start, and the mapping between those offsets and the video's currentTime.

export type TimelineKind = "click" | "console" | "network";
export const TIMELINE_KINDS: readonly TimelineKind[] = ["click", "console", "network"];

type Stamp = string | Date;

export interface RecordingInput {
  consoleMessages: readonly { type: string; message: string; timestamp: Stamp }[];
  networkRequests: readonly { url: string; method: string; status?: number | undefined; timestamp: Stamp }[];
  clicks: readonly { x: number; y: number; element?: string | undefined; timestamp: Stamp }[];
  /** `capturedAt` is the moment taken (when the uploader said); `createdAt` when it was stored. */
  screenshots?: readonly { createdAt: Stamp; capturedAt?: Stamp | null }[];
  /** The video's frame 0, when the server knows it (recordings from before it was recorded have none). */
  videoStartedAt?: Stamp | null;
}

interface Base {
  /** Stable within one recording: kind and index in its own list. */
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** Seconds since the recording's start (never negative). */
  offset: number;
}
export type TimelineItem =
  | (Base & { kind: "click"; x: number; y: number; element: string | null })
  | (Base & { kind: "console"; type: string; message: string })
  | (Base & { kind: "network"; method: string; url: string; status: number | null; failed: boolean });

function ms(value: Stamp): number {
  return typeof value === "string" ? Date.parse(value) : value.getTime();
}

/** A screenshot's moment: when it was taken if known, else when it was stored. */
export function shotTime(shot: { createdAt: Stamp; capturedAt?: Stamp | null }): number {
  return ms(shot.capturedAt ?? shot.createdAt);
}

/** The recording's start: the earliest timestamp of any entry or screenshot, or null when there is none. */
export function recordingStart(recording: RecordingInput): number | null {
  const stamps = [
    ...recording.consoleMessages.map((entry) => ms(entry.timestamp)),
    ...recording.networkRequests.map((entry) => ms(entry.timestamp)),
    ...recording.clicks.map((entry) => ms(entry.timestamp)),
    ...(recording.screenshots ?? []).map(shotTime),
  ].filter((value) => Number.isFinite(value));
  return stamps.length === 0 ? null : Math.min(...stamps);
}

/**
 * Where offsets count from (ms since the epoch). Exact when the video's frame 0 is known (`videoStartedAt`): an
 * entry's offset is then its place in the video. Otherwise (older recordings) approximate: the first timeline
 * entry, else the first screenshot, else 0.
 */
export function timelineStart(recording: RecordingInput): number {
  const videoStart = recording.videoStartedAt == null ? NaN : ms(recording.videoStartedAt);
  if (Number.isFinite(videoStart)) return videoStart;
  return recordingStart({ ...recording, screenshots: [] }) ?? recordingStart(recording) ?? 0;
}

/** Whether `timelineStart` is the video's own frame 0 (offsets are exact) rather than an estimate. */
export function isExactSync(recording: Pick<RecordingInput, "videoStartedAt">): boolean {
  return recording.videoStartedAt != null && Number.isFinite(ms(recording.videoStartedAt));
}

/** A request failed when it got no answer (no status, or 0) or an HTTP error (400 and up). */
export function isFailedRequest(status: number | null | undefined): boolean {
  return status === null || status === undefined || status === 0 || status >= 400;
}

/** Seconds from `start` (ms since the epoch) to `at`, never negative. */
export function offsetOf(at: number, start: number): number {
  return Math.max(0, (at - start) / 1000);
}

/** Every entry in time order (ties keep the order click, console, network, then their own order). */
export function buildTimeline(
  recording: RecordingInput,
  start = recordingStart(recording) ?? 0,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  recording.clicks.forEach((entry, index) => {
    const at = ms(entry.timestamp);
    items.push({
      id: `click-${index}`,
      kind: "click",
      at,
      offset: offsetOf(at, start),
      x: entry.x,
      y: entry.y,
      element: entry.element ?? null,
    });
  });
  recording.consoleMessages.forEach((entry, index) => {
    const at = ms(entry.timestamp);
    items.push({
      id: `console-${index}`,
      kind: "console",
      at,
      offset: offsetOf(at, start),
      type: entry.type,
      message: entry.message,
    });
  });
  recording.networkRequests.forEach((entry, index) => {
    const at = ms(entry.timestamp);
    const status = entry.status ?? null;
    items.push({
      id: `network-${index}`,
      kind: "network",
      at,
      offset: offsetOf(at, start),
      method: entry.method,
      url: entry.url,
      status,
      failed: isFailedRequest(status),
    });
  });
  // Array.prototype.sort is stable: equal times keep the insertion order.
  return items.sort((a, b) => a.at - b.at);
}

/** Only the kinds switched on. */
export function filterTimeline(
  items: readonly TimelineItem[],
  kinds: ReadonlySet<TimelineKind>,
): TimelineItem[] {
  return items.filter((item) => kinds.has(item.kind));
}

/** How many entries of each kind. */
export function countByKind(items: readonly TimelineItem[]): Record<TimelineKind, number> {
  const counts: Record<TimelineKind, number> = { click: 0, console: 0, network: 0 };
  for (const item of items) counts[item.kind] += 1;
  return counts;
}

/**
 * The entry the video is at: the last one whose offset is at or before `currentTime` (seconds), or -1 before the
 * first. `items` must be in time order (as buildTimeline gives them).
 */
export function activeIndex(items: readonly { offset: number }[], currentTime: number): number {
  if (!Number.isFinite(currentTime)) return -1;
  // A little slack: seeking to an entry's offset must make that entry the active one despite float rounding.
  const time = currentTime + 0.001;
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((items[middle]?.offset ?? Infinity) <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Where to seek the video for an entry: its offset, kept within the video's duration when that is known. */
export function seekTime(offset: number, duration?: number): number {
  const time = Math.max(0, offset);
  return duration !== undefined && Number.isFinite(duration) && duration > 0
    ? Math.min(time, duration)
    : time;
}

/** An offset as the timeline shows it: "0:03.2", "12:05.0", "1:02:03.4" (tenths, rounded down). */
export function formatOffset(seconds: number): string {
  const tenths = Math.floor(Math.max(0, Number.isFinite(seconds) ? seconds : 0) * 10 + 1e-6);
  const fraction = tenths % 10;
  const whole = Math.floor(tenths / 10);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}.${fraction}`
    : `${minutes}:${secs}.${fraction}`;
}

/** The console type's tone for colouring: errors red, warnings amber, the rest neutral. */
export function consoleTone(type: string): "danger" | "warn" | "info" | "muted" {
  const value = type.toLowerCase();
  if (value === "error" || value === "assert") return "danger";
  if (value === "warning" || value === "warn") return "warn";
  if (value === "info") return "info";
  return "muted";
}
