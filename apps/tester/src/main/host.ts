// The app's main-process side of the bridge: session, test window, recorder, spool and uploads, with the platform (Electron or a test) injected.
import {
  type CdpTransport,
  ffmpegAvailable,
  fitScale,
  type Recording,
  startRecording,
  type Viewport,
} from "@eyeball/recorder";

import type {
  AppInfo,
  OpenTestWindowInput,
  RecordingStatus,
  StoredSession,
  TestWindowState,
  TesterBridge,
} from "../shared/bridge";
import { type UploadClient, createRecordingSpool, createUploadClient, createUploadQueue } from "./uploads";

/** The page under test, in a window of its own (Electron) or a browser page (tests). */
export interface TestPage {
  cdp: CdpTransport;
  close(): Promise<void>;
  /** Called once when the tester closes the window themselves. */
  onClosed(listener: () => void): void;
}

export interface OpenTestPageInput {
  assignmentId: string;
  viewport: Viewport;
  /** The window shows the page at this scale (≤ 1); the page itself still sees `viewport`. */
  displayScale: number;
  title: string;
}

export interface SessionStore {
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

export interface HostDeps {
  /** Where recordings are spooled before upload. */
  spoolDir: string;
  sessions: SessionStore;
  openTestPage(input: OpenTestPageInput): Promise<TestPage>;
  /** The room a test window may take on the tester's display (work area, in screen points). */
  displaySize(): Viewport;
  notify(title: string, body: string): void;
  appVersion: string;
  platform: string;
  ffmpegPath?: string;
  /** Builds the upload client for a session (tests may wrap it). */
  uploadClient?: (session: StoredSession) => UploadClient;
  uploadRetry?: { retries: number; minTimeoutMs: number; maxTimeoutMs: number };
}

interface ActiveTest {
  input: OpenTestWindowInput;
  state: TestWindowState;
  page: TestPage;
  recording: Recording;
  startedAt: Date;
  screenshots: number;
  video: RecordingStatus["video"];
  videoReason?: string;
  finishing?: Promise<RecordingStatus>;
}

export interface TesterHost extends TesterBridge {
  /** Picks up uploads a previous run left unfinished (call once at start). */
  start(): Promise<void>;
  /** Waits until every queued upload is done (tests, quitting). */
  drainUploads(): Promise<void>;
  close(): Promise<void>;
}

export function createTesterHost(deps: HostDeps): TesterHost {
  let session: StoredSession | null = null;
  let active: ActiveTest | null = null;
  let last: RecordingStatus | null = null;
  const videoCheck = ffmpegAvailable(deps.ffmpegPath);
  const makeClient = deps.uploadClient ?? ((s: StoredSession) => createUploadClient(s));
  let client: UploadClient | null = null;

  const uploads = createUploadQueue({
    spoolDir: deps.spoolDir,
    client: () => client,
    ...(deps.uploadRetry ? { retry: deps.uploadRetry } : {}),
  });

  function useSession(next: StoredSession | null): void {
    session = next;
    client = next ? makeClient(next) : null;
    if (next) uploads.kick();
  }

  function statusOf(test: ActiveTest, recording: boolean): RecordingStatus {
    const snap = test.recording.snapshot();
    return {
      assignmentId: test.input.assignmentId,
      recording,
      startedAt: test.startedAt.toISOString(),
      console: snap.console.length,
      network: snap.network.length,
      clicks: snap.clicks.length,
      screenshots: test.screenshots,
      video: test.video,
      ...(test.videoReason ? { videoReason: test.videoReason } : {}),
    };
  }

  /** Stops the recorder, marks the spool finished and queues its files; safe to call twice. */
  function finish(test: ActiveTest): Promise<RecordingStatus> {
    test.finishing ??= (async () => {
      test.state = { ...test.state, open: false };
      const result = await test.recording.stop();
      if (test.video === "recording") test.video = result.video ? "finished" : "unavailable";
      const status = statusOf(test, false);
      spoolFor(test.input.assignmentId).finish();
      await uploads.enqueueAssignment(test.input.assignmentId);
      last = status;
      if (active === test) active = null;
      return status;
    })();
    return test.finishing;
  }

  const spools = new Map<string, ReturnType<typeof createRecordingSpool>>();
  function spoolFor(assignmentId: string): ReturnType<typeof createRecordingSpool> {
    let spool = spools.get(assignmentId);
    if (!spool) {
      spool = createRecordingSpool({ dir: deps.spoolDir, assignmentId });
      spools.set(assignmentId, spool);
    }
    return spool;
  }

  const host: TesterHost = {
    async start() {
      useSession(await deps.sessions.load());
      await uploads.resume();
    },

    async appInfo(): Promise<AppInfo> {
      const video = await videoCheck;
      return {
        version: deps.appVersion,
        platform: deps.platform,
        video: video.available
          ? { available: true }
          : { available: false, reason: video.reason ?? "ffmpeg was not found" },
      };
    },

    loadSession() {
      return Promise.resolve(session);
    },

    async saveSession(next) {
      await deps.sessions.save(next);
      useSession(next);
    },

    async clearSession() {
      await deps.sessions.clear();
      useSession(null);
    },

    async openTestWindow(input) {
      if (active) {
        if (active.input.assignmentId === input.assignmentId && active.state.open) return active.state;
        await finish(active);
      }
      const displayScale = fitScale(input.viewport, deps.displaySize());
      const spool = spoolFor(input.assignmentId);
      const video = await videoCheck;
      const page = await deps.openTestPage({
        assignmentId: input.assignmentId,
        viewport: input.viewport,
        displayScale,
        title: input.title ?? input.url,
      });
      // The recorder's own screenshots (on load) count towards the test once it exists.
      const opening: { test?: ActiveTest } = {};
      let recording: Recording;
      try {
        recording = await startRecording(page.cdp, {
          viewport: input.viewport,
          displayScale,
          ...(video.available
            ? {
                video: { path: spool.videoPath, ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}) },
              }
            : {}),
          onEntry: (entry) => {
            spool.append(entry);
          },
          onScreenshot: (shot) => {
            spool.writeScreenshot(shot);
            if (opening.test) opening.test.screenshots += 1;
          },
        });
      } catch (error) {
        await page.close();
        throw error;
      }
      // The recorder's start is the video's frame 0: the portal places timeline entries in the video from it.
      const startedAt = recording.snapshot().startedAt;
      if (video.available) spool.markVideoStart(startedAt);
      const state: TestWindowState = {
        assignmentId: input.assignmentId,
        url: input.url,
        viewport: input.viewport,
        displayScale,
        open: true,
      };
      const opened: ActiveTest = {
        input,
        state,
        page,
        recording,
        startedAt,
        screenshots: 0,
        video: video.available ? "recording" : "unavailable",
        ...(video.available ? {} : { videoReason: video.reason ?? "ffmpeg was not found" }),
      };
      opening.test = opened;
      active = opened;
      page.onClosed(() => {
        void finish(opened);
      });
      await recording.navigate(input.url);
      return state;
    },

    testWindowState() {
      return Promise.resolve(active?.state ?? null);
    },

    async takeScreenshot(label = "manual") {
      const test = active;
      if (!test) throw new Error("No test window is open");
      const shot = await test.recording.screenshot(label);
      spoolFor(test.input.assignmentId).writeScreenshot(shot);
      test.screenshots += 1;
      return {
        width: shot.width,
        height: shot.height,
        takenAt: shot.takenAt.toISOString(),
        label: shot.label,
      };
    },

    async closeTestWindow() {
      const test = active;
      if (!test) return last;
      const status = await finish(test);
      await test.page.close();
      return status;
    },

    recordingStatus() {
      return Promise.resolve(active ? statusOf(active, active.state.open) : last);
    },

    uploadStatus() {
      return Promise.resolve(uploads.status());
    },

    notify({ title, body }) {
      deps.notify(title, body);
      return Promise.resolve();
    },

    drainUploads() {
      return uploads.drain();
    },

    async close() {
      if (active) {
        const test = active;
        await finish(test);
        await test.page.close();
      }
      await uploads.close();
    },
  };
  return host;
}
