// The upload queue against a real server: uploads read back, crash resume from the server's offset,
// a lost connection, a rejected file, a spool left live by a crash, and a signed-out session.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { pngOf } from "@eyeball/api/testing";

import { startTestPlatform, type TestPlatform } from "../../../test/test-platform";
import { createRecordingSpool, listRecordingFiles, readManifest } from "./recording-spool";
import { createUploadClient, type UploadClient } from "./upload-client";
import { createUploadQueue, QUEUE_FILE, type UploadQueue } from "./upload-queue";
import {
  claimNewJob,
  fakeBytes,
  hangUntilAborted,
  recordingClient,
  sha256,
  signInTester,
} from "./upload-test-kit";

const FAST_RETRY = { retries: 10_000, minTimeoutMs: 5, maxTimeoutMs: 50 };

let platform: TestPlatform;
let token: string;
let realClient: UploadClient;
const dirs: string[] = [];
const queues: UploadQueue[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  token = await signInTester(platform);
  realClient = createUploadClient({ serverUrl: platform.url, token });
}, 120_000);

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await platform?.close();
});

function spoolDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "eyeball-spool-"));
  dirs.push(dir);
  return dir;
}

function queueOf(options: Parameters<typeof createUploadQueue>[0]): UploadQueue {
  const queue = createUploadQueue(options);
  queues.push(queue);
  return queue;
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 2, 10, 0, second)).toISOString();
const consoleEntries = [
  { type: "log", message: "shop loaded", timestamp: at(1) },
  { type: "error", message: "Buy failed: 500", timestamp: at(3) },
];
const networkEntries = [
  { url: "https://shop.example.com/api/buy", method: "POST", status: 500, timestamp: at(2) },
];
const clickEntries = [{ x: 120, y: 80, timestamp: at(2), element: "button#buy" }];
/** The recorder's startedAt for the spooled video. */
const VIDEO_FRAME_0 = "2026-01-02T10:00:00.120Z";

/** A finished recording: two screenshots, the three timelines and a (fake) video. */
function spoolRecording(
  dir: string,
  assignmentId: string,
  viewport: { width: number; height: number },
  video: Buffer,
) {
  const spool = createRecordingSpool({ dir, assignmentId });
  const pngs = [pngOf(viewport.width, viewport.height), pngOf(viewport.width, viewport.height, 60)];
  for (const entry of consoleEntries) spool.append({ kind: "console", entry });
  for (const entry of networkEntries) spool.append({ kind: "network", entry });
  for (const entry of clickEntries) spool.append({ kind: "clicks", entry });
  spool.writeScreenshot({ png: pngs[0]!, ...viewport, takenAt: new Date(at(1)), label: "load" });
  spool.writeScreenshot({ png: pngs[1]!, ...viewport, takenAt: new Date(at(3)), label: "manual" });
  writeFileSync(spool.videoPath, video);
  spool.markVideoStart(new Date(VIDEO_FRAME_0));
  spool.finish();
  return { spool, pngs };
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("upload queue against a running server", () => {
  it("uploads a finished recording in order, the server reads it back, and the spool folder goes", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const video = fakeBytes(150_000, 7);
    const { spool, pngs } = spoolRecording(dir, slot.assignmentId, slot.viewport, video);
    const local = spool.files();
    const { client, log } = recordingClient(realClient);
    const changes: string[] = [];
    const queue = queueOf({
      spoolDir: dir,
      client: () => client,
      retry: FAST_RETRY,
      chunkBytes: 64 * 1024,
      onChange: (items) => changes.push(items.map((item) => item.state).join(",")),
    });

    await queue.enqueueAssignment(slot.assignmentId);
    // Enqueueing again (a second finish) adds nothing.
    await queue.enqueueAssignment(slot.assignmentId);
    await queue.drain();

    const items = queue.status();
    expect(items.map((item) => item.kind)).toEqual([
      "screenshot",
      "screenshot",
      "console",
      "network",
      "clicks",
      "video",
    ]);
    expect(items.every((item) => item.state === "done" && item.uploadedBytes === item.bytes)).toBe(true);
    expect(changes.length).toBeGreaterThan(0);
    // What the server holds matches the files byte for byte.
    const server = await realClient.list({ assignmentId: slot.assignmentId });
    expect(server).toHaveLength(6);
    // One begin and one complete per file; the video went in 64 KiB chunks (150 000 bytes → 3 appends).
    expect([log.begins, log.completes]).toEqual([6, 6]);
    expect(
      log.appends
        .filter((append) => append.artifactId === server[5]!.id)
        .map((append) => [append.offset, append.bytes]),
    ).toEqual([
      [0, 65_536],
      [65_536, 65_536],
      [131_072, 150_000 - 131_072],
    ]);
    for (const [index, file] of local.entries()) {
      const artifact = server[index]!;
      expect(artifact.status).toBe("complete");
      expect(artifact.kind).toBe(file.kind);
      expect(artifact.uploadedBytes).toBe(file.bytes);
    }
    expect(server[0]!.sha256).toBe(sha256(pngs[0]!));
    expect(server[5]!.sha256).toBe(sha256(video));

    // The owner's side: the slot's recording, and the files behind its signed links.
    const [recording] = await platform.platform.services.artifacts.recordings([slot.assignmentId]);
    expect(recording!.consoleMessages).toEqual(consoleEntries);
    expect(recording!.networkRequests).toEqual(networkEntries);
    expect(recording!.clicks).toEqual(clickEntries);
    expect(recording!.screenshots.map((shot) => [shot.width, shot.height])).toEqual([
      [slot.viewport.width, slot.viewport.height],
      [slot.viewport.width, slot.viewport.height],
    ]);
    expect(await download(recording!.screenshots[1]!.url)).toEqual(pngs[1]);
    // Each file's capture time went with its upload: the video's frame 0 places the timeline in it.
    expect(recording!.videoStartedAt?.toISOString()).toBe(VIDEO_FRAME_0);
    expect(recording!.screenshots.map((shot) => shot.capturedAt?.toISOString())).toEqual([at(1), at(3)]);
    expect(sha256(await download(recording!.video!.url))).toBe(sha256(video));

    // Uploaded: the spool folder is gone, and the queue's record says so.
    expect(existsSync(spool.folder)).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(dir, QUEUE_FILE), "utf8")) as {
      items: { state: string }[];
    };
    expect(saved.items.map((item) => item.state)).toEqual(Array(6).fill("done"));
  });

  it("after a crash mid-upload, a new queue goes on from the server's offset and finishes with the right SHA-256", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const chunkBytes = 16 * 1024;
    const video = fakeBytes(10 * chunkBytes + 1234, 11);
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    writeFileSync(spool.videoPath, video);
    spool.finish();

    // First run: the 5th chunk lands on the server but its answer never comes back; then the app dies.
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    const first = recordingClient(realClient, {
      afterAppend: async (index, signal) => {
        if (index < 4) return;
        crashed();
        await hangUntilAborted(signal);
      },
    });
    const queue1 = createUploadQueue({
      spoolDir: dir,
      client: () => first.client,
      retry: FAST_RETRY,
      chunkBytes,
    });
    await queue1.enqueueAssignment(slot.assignmentId);
    await crash;
    await queue1.close();
    expect(first.log.appends).toHaveLength(5);
    const saved = JSON.parse(readFileSync(path.join(dir, QUEUE_FILE), "utf8")) as {
      items: { uploadedBytes: number; artifactId: string; state: string }[];
    };
    // The record on disk lags one chunk behind the server.
    expect(saved.items[0]!.uploadedBytes).toBe(4 * chunkBytes);
    const artifactId = saved.items[0]!.artifactId;
    const [held] = await realClient.list({ assignmentId: slot.assignmentId });
    expect(held).toMatchObject({ id: artifactId, status: "uploading", uploadedBytes: 5 * chunkBytes });

    // Next start: resume asks the server, and sends only the rest.
    const second = recordingClient(realClient);
    const queue2 = queueOf({ spoolDir: dir, client: () => second.client, retry: FAST_RETRY, chunkBytes });
    expect(queue2.status()[0]).toMatchObject({ state: "queued", uploadedBytes: 4 * chunkBytes });
    await queue2.resume();
    await queue2.drain();

    expect(second.log.begins).toBe(0);
    expect(second.log.lists).toBeGreaterThanOrEqual(1);
    expect(second.log.appends[0]).toMatchObject({ artifactId, offset: 5 * chunkBytes });
    expect(second.log.appends.map((append) => append.bytes).reduce((a, b) => a + b, 0)).toBe(
      video.byteLength - 5 * chunkBytes,
    );
    expect(second.log.appends).toHaveLength(6);
    expect(queue2.status()[0]).toMatchObject({ state: "done", uploadedBytes: video.byteLength });
    const [done] = await realClient.list({ assignmentId: slot.assignmentId });
    expect(done).toMatchObject({
      id: artifactId,
      status: "complete",
      uploadedBytes: video.byteLength,
      sha256: sha256(video),
    });
    expect(existsSync(spool.folder)).toBe(false);
  });

  it("resume marks an upload done when the server already completed it before the crash", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    spool.writeScreenshot({
      png: pngOf(slot.viewport.width, slot.viewport.height),
      ...slot.viewport,
      takenAt: new Date(),
      label: "load",
    });
    spool.finish();
    // The completion landed, the answer was lost.
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    const lossy: UploadClient = {
      ...realClient,
      async complete(input, options) {
        await realClient.complete(input, options);
        crashed();
        return hangUntilAborted(options?.signal);
      },
    };
    const queue1 = createUploadQueue({ spoolDir: dir, client: () => lossy, retry: FAST_RETRY });
    await queue1.enqueueAssignment(slot.assignmentId);
    await crash;
    await queue1.close();

    const second = recordingClient(realClient);
    const queue2 = queueOf({ spoolDir: dir, client: () => second.client, retry: FAST_RETRY });
    await queue2.resume();
    await queue2.drain();
    expect(queue2.status()[0]?.state).toBe("done");
    expect(second.log.appends).toHaveLength(0);
    expect(second.log.completes).toBe(0);
    expect(existsSync(spool.folder)).toBe(false);
  });

  it("rides out a lost connection: retrying while the server is gone, done once it is back", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const video = fakeBytes(8 * 8192, 3);
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    writeFileSync(spool.videoPath, video);
    spool.finish();
    let paused = false;
    const { client } = recordingClient(realClient, {
      beforeAppend: async (index) => {
        if (index === 3 && !paused) {
          paused = true;
          await platform.pause();
        }
      },
    });
    const states = new Set<string>();
    const queue = queueOf({
      spoolDir: dir,
      client: () => client,
      retry: FAST_RETRY,
      chunkBytes: 8192,
      onChange: (items) => {
        for (const item of items) states.add(item.state);
      },
    });
    await queue.enqueueAssignment(slot.assignmentId);
    try {
      await expect.poll(() => queue.status()[0]?.state, { timeout: 20_000, interval: 10 }).toBe("retrying");
      expect(queue.status()[0]?.error).toBeTruthy();
    } finally {
      await platform.resume();
    }
    await queue.drain();
    expect(states.has("retrying")).toBe(true);
    expect(queue.status()[0]).toMatchObject({ state: "done", uploadedBytes: video.byteLength });
    expect(queue.status()[0]?.error).toBeUndefined();
    const [artifact] = await realClient.list({ assignmentId: slot.assignmentId });
    expect(artifact).toMatchObject({ status: "complete", sha256: sha256(video) });
  });

  it("a file the server refuses ends failed with the server's message; the others upload", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    const good = pngOf(slot.viewport.width, slot.viewport.height);
    spool.writeScreenshot({ png: good, ...slot.viewport, takenAt: new Date(), label: "load" });
    spool.writeScreenshot({
      png: Buffer.from("not a picture at all"),
      ...slot.viewport,
      takenAt: new Date(),
      label: "broken",
    });
    // The server records a screenshot's size; it takes one of another size than the job's screen.
    spool.writeScreenshot({
      png: pngOf(330, 330),
      width: 330,
      height: 330,
      takenAt: new Date(),
      label: "odd size",
    });
    spool.append({ kind: "console", entry: consoleEntries[0]! });
    spool.finish();

    const queue = queueOf({ spoolDir: dir, client: () => realClient, retry: FAST_RETRY });
    await queue.enqueueAssignment(slot.assignmentId);
    await queue.drain();

    const items = queue.status();
    expect(items.map((item) => item.state)).toEqual(["done", "failed", "done", "done"]);
    expect(items[1]?.error).toContain("is not a PNG or JPEG image");
    const server = await realClient.list({ assignmentId: slot.assignmentId });
    expect(server.filter((artifact) => artifact.status === "complete")).toHaveLength(3);
    const [recording] = await platform.platform.services.artifacts.recordings([slot.assignmentId]);
    expect(recording!.screenshots.map((shot) => [shot.width, shot.height])).toEqual([
      [slot.viewport.width, slot.viewport.height],
      [330, 330],
    ]);
    // The uploaded files are gone; the refused one stays on disk, and so does its folder.
    expect(listRecordingFiles(spool.folder).map((file) => file.name)).toEqual(["screenshot-0002-broken.png"]);

    // A later start does not send it again.
    await queue.close();
    const again = recordingClient(realClient);
    const queue2 = queueOf({ spoolDir: dir, client: () => again.client, retry: FAST_RETRY });
    await queue2.resume();
    await queue2.drain();
    expect(queue2.status().map((item) => item.state)).toEqual(["failed"]);
    expect(again.log.begins + again.log.appends.length).toBe(0);
  });

  it("a recording a crash left live is sealed at start, its torn last line dropped, and uploaded", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    for (const entry of consoleEntries) spool.append({ kind: "console", entry });
    spool.append({ kind: "clicks", entry: clickEntries[0]! });
    spool.writeScreenshot({
      png: pngOf(slot.viewport.width, slot.viewport.height),
      ...slot.viewport,
      takenAt: new Date(),
      label: "load",
    });
    // The app died mid-write: half a line, and a screenshot's temp file.
    appendFileSync(path.join(spool.folder, "console.ndjson"), '{"type":"log","message":"half wri');
    writeFileSync(path.join(spool.folder, "screenshot-0002.png.abcd1234.tmp"), "partial");
    expect(readManifest(spool.folder)?.live).toBe(true);

    const queue = queueOf({ spoolDir: dir, client: () => realClient, retry: FAST_RETRY });
    // Live files are never queued while the recording goes on.
    await queue.enqueueAssignment(slot.assignmentId);
    expect(queue.status()).toEqual([]);
    await queue.resume();
    await queue.drain();

    expect(queue.status().map((item) => [item.kind, item.state])).toEqual([
      ["screenshot", "done"],
      ["console", "done"],
      ["clicks", "done"],
    ]);
    const [recording] = await platform.platform.services.artifacts.recordings([slot.assignmentId]);
    expect(recording!.consoleMessages).toEqual(consoleEntries);
    expect(recording!.clicks).toEqual(clickEntries);
    expect(recording!.screenshots).toHaveLength(1);
    expect(existsSync(spool.folder)).toBe(false);
  });

  it("leaves a new live recording's files alone when the finished one is uploaded", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    spool.append({ kind: "console", entry: consoleEntries[0]! });
    spool.finish();
    // The tester opened the test window again: a second recording is being written.
    spool.append({ kind: "console", entry: consoleEntries[1]! });

    const queue = queueOf({ spoolDir: dir, client: () => realClient, retry: FAST_RETRY });
    await queue.enqueueAssignment(slot.assignmentId);
    await queue.drain();
    expect(queue.status().map((item) => item.state)).toEqual(["done"]);
    expect(listRecordingFiles(spool.folder).map((file) => file.name)).toEqual(["console-2.ndjson"]);
    expect(readManifest(spool.folder)?.live).toBe(true);

    spool.finish();
    await queue.enqueueAssignment(slot.assignmentId);
    await queue.drain();
    expect(queue.status().map((item) => item.state)).toEqual(["done", "done"]);
    expect(existsSync(spool.folder)).toBe(false);
    const [recording] = await platform.platform.services.artifacts.recordings([slot.assignmentId]);
    expect(recording!.consoleMessages).toEqual(consoleEntries);
  });

  it("waits while signed out or unauthorized, and goes on after kick() with a new session", async () => {
    const slot = await claimNewJob(platform, token);
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: slot.assignmentId });
    spool.append({ kind: "network", entry: networkEntries[0]! });
    spool.finish();

    let current: UploadClient | null = null;
    const queue = queueOf({ spoolDir: dir, client: () => current, retry: FAST_RETRY });
    await queue.enqueueAssignment(slot.assignmentId);
    expect(queue.status()[0]?.state).toBe("queued");

    // An expired session: the server answers UNAUTHORIZED and the queue waits, the file still queued.
    current = createUploadClient({ serverUrl: platform.url, token: "eb_tst_not-a-real-session" });
    queue.kick();
    await expect
      .poll(() => queue.status()[0]?.error, { timeout: 10_000, interval: 10 })
      .toBe("Sign in again to finish this upload");
    expect(queue.status()[0]?.state).toBe("queued");

    current = createUploadClient({ serverUrl: platform.url, token: await signInTester(platform) });
    queue.kick();
    await queue.drain();
    expect(queue.status()[0]).toMatchObject({ state: "done" });
    expect(queue.status()[0]?.error).toBeUndefined();
  });
});
