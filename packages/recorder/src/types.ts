// The recorder's public types: the CDP transport it drives, what it records, and how it is configured.

/**
 * The Chrome DevTools Protocol as the recorder needs it. Playwright's `CDPSession` has this shape
 * already; `electronCdp()` adapts Electron's `webContents.debugger`.
 */
export interface CdpTransport {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  on(event: string, listener: (params: CdpEventParams) => void): unknown;
  off(event: string, listener: (params: CdpEventParams) => void): unknown;
}

/**
 * An event's parameters, whose type depends on the event name. `any` (not `never` or `unknown`) because
 * it is the only type Playwright's generic `CDPSession.on` listener accepts for an arbitrary string
 * event: with `never`, `CDPSession` is not assignable to `CdpTransport`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type CdpEventParams = any;

export interface Viewport {
  width: number;
  height: number;
}

/** The timeline entries, in the server's upload format (`tester.artifacts`, JSON lines). */
export interface ConsoleEntry {
  /** log, info, warning, error, debug, … (CDP's console types; uncaught exceptions are "error"). */
  type: string;
  message: string;
  /** ISO 8601. */
  timestamp: string;
}

export interface NetworkEntry {
  url: string;
  method: string;
  /** HTTP status; 0 when the request failed; absent while it is still in flight. */
  status?: number;
  /** ISO 8601, when the request was sent. */
  timestamp: string;
}

export interface ClickEntry {
  /** Viewport CSS pixels, the same coordinates as the screenshots and the video (device scale 1). */
  x: number;
  y: number;
  timestamp: string;
  /** A CSS selector for the clicked element. */
  element?: string;
}

export type TimelineEntry =
  | { kind: "console"; entry: ConsoleEntry }
  | { kind: "network"; entry: NetworkEntry }
  | { kind: "clicks"; entry: ClickEntry };

export interface Screenshot {
  png: Buffer;
  width: number;
  height: number;
  takenAt: Date;
  /** Why it was taken: "load", "manual", "submit", … */
  label: string;
}

export interface VideoResult {
  path: string;
  width: number;
  height: number;
  contentType: string;
  /** Frames written to the file (constant frame rate). */
  frames: number;
  /** Distinct frames Chromium delivered (the rest are repeats of the last one). */
  capturedFrames: number;
  fps: number;
  durationMs: number;
}

export interface VideoOptions {
  /** Where the video is written. */
  path: string;
  /** Constant output frame rate; default 25. */
  fps?: number;
  /** ffmpeg binary; default "ffmpeg" on PATH. */
  ffmpegPath?: string;
}

export interface RecorderOptions {
  viewport: Viewport;
  /**
   * Shrinks what the tester sees to fit a smaller display, without changing what the page sees:
   * `innerWidth`×`innerHeight`, screenshots and video stay exactly `viewport`. Default 1.
   */
  displayScale?: number;
  /** Record a video; omitted = no video. */
  video?: VideoOptions;
  /** Take a screenshot after each main-frame load (label "load"). Default true. */
  screenshotOnLoad?: boolean;
  /**
   * Called for every timeline entry as it happens (the app appends it to disk at once, so a crash
   * loses nothing it had seen) and for every screenshot the recorder takes on its own.
   */
  onEntry?: (entry: TimelineEntry) => void;
  onScreenshot?: (shot: Screenshot) => void;
  /** Wall clock for entries CDP gives no time for; default Date.now. */
  now?: () => number;
  /** How long `navigate()` waits for the load event before rejecting; default 30 000 ms. */
  navigationTimeoutMs?: number;
}

export interface RecordingResult {
  console: ConsoleEntry[];
  network: NetworkEntry[];
  clicks: ClickEntry[];
  screenshots: Screenshot[];
  video: VideoResult | null;
  /** Why `video` is null although a video was asked for (ffmpeg missing or failed, no frames). */
  videoError?: string;
  startedAt: Date;
  stoppedAt: Date;
}

export interface Recording {
  /** Navigates the recorded page (the recorder is attached first, so nothing of the load is missed). */
  navigate(url: string): Promise<void>;
  /** A PNG of exactly the viewport. */
  screenshot(label?: string): Promise<Screenshot>;
  /** What has been recorded so far. */
  snapshot(): Omit<RecordingResult, "video" | "stoppedAt">;
  /** Stops capture, finishes the video file and detaches listeners. Idempotent. */
  stop(): Promise<RecordingResult>;
}
