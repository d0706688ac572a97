// The one bridge (types and method names only: the preload bundles this, so it imports nothing) between the renderer and the app: what the preload exposes as `window.eyeball`, method by method.
export interface Viewport {
  width: number;
  height: number;
}

export interface StoredSession {
  serverUrl: string;
  token: string;
  expiresAt: string;
  testerAlias: string;
}

export interface OpenTestWindowInput {
  assignmentId: string;
  url: string;
  viewport: Viewport;
  title?: string;
}

export interface NotifyInput {
  title: string;
  body: string;
}

export interface AppInfo {
  version: string;
  platform: string;
  /** Whether the recorder can write a video (ffmpeg found); the reason when it cannot. */
  video: { available: boolean; reason?: string };
}

export interface TestWindowState {
  assignmentId: string;
  url: string;
  viewport: { width: number; height: number };
  /** < 1 when the page is shown shrunk to fit the display; the page still sees `viewport`. */
  displayScale: number;
  open: boolean;
}

export interface RecordingStatus {
  assignmentId: string;
  recording: boolean;
  startedAt: string;
  console: number;
  network: number;
  clicks: number;
  screenshots: number;
  video: "recording" | "finished" | "unavailable";
  videoReason?: string;
}

export interface UploadItemStatus {
  localId: string;
  assignmentId: string;
  kind: string;
  bytes: number;
  uploadedBytes: number;
  state: "queued" | "uploading" | "done" | "retrying" | "failed";
  error?: string;
}

export interface ScreenshotInfo {
  width: number;
  height: number;
  takenAt: string;
  label: string;
}

/** `window.eyeball` in the renderer. Every method goes to the main process (or a test's stand-in). */
export interface TesterBridge {
  appInfo(): Promise<AppInfo>;
  loadSession(): Promise<StoredSession | null>;
  saveSession(session: StoredSession): Promise<void>;
  clearSession(): Promise<void>;
  /** Opens the job's page in the test window at exactly `viewport` and starts recording. */
  openTestWindow(input: OpenTestWindowInput): Promise<TestWindowState>;
  testWindowState(): Promise<TestWindowState | null>;
  takeScreenshot(label?: string): Promise<ScreenshotInfo>;
  /** Stops recording, closes the test window and queues every artifact for upload. */
  closeTestWindow(): Promise<RecordingStatus | null>;
  recordingStatus(): Promise<RecordingStatus | null>;
  uploadStatus(): Promise<UploadItemStatus[]>;
  notify(input: NotifyInput): Promise<void>;
}

export const BRIDGE_METHODS = [
  "appInfo",
  "loadSession",
  "saveSession",
  "clearSession",
  "openTestWindow",
  "testWindowState",
  "takeScreenshot",
  "closeTestWindow",
  "recordingStatus",
  "uploadStatus",
  "notify",
] as const satisfies readonly (keyof TesterBridge)[];
export type BridgeMethod = (typeof BRIDGE_METHODS)[number];

export const IPC_PREFIX = "eyeball:";
