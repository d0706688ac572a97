// The spool on its own: file naming, upload order, timeline rollover, clipping to the server's limits, sealing after a crash.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { pngOf } from "@eyeball/api/testing";

import {
  createRecordingSpool,
  finishedFiles,
  isSafeAssignmentId,
  listRecordingFiles,
  parseFileName,
  readManifest,
  sealSpool,
  TIMELINE_FILE_LIMIT,
} from "./recording-spool";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spoolDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "eyeball-spool-unit-"));
  dirs.push(dir);
  return dir;
}

const timestamp = "2026-01-02T10:00:00.000Z";
const shot = (label: string) => ({
  png: pngOf(320, 320),
  width: 320,
  height: 320,
  takenAt: new Date(),
  label,
});

describe("recording spool", () => {
  it("names files by kind and number, and lists them screenshots first, video last", () => {
    const spool = createRecordingSpool({ dir: spoolDir(), assignmentId: "asg_1" });
    const video = spool.videoPath;
    writeFileSync(video, "webm");
    spool.append({ kind: "clicks", entry: { x: 1, y: 2, timestamp } });
    spool.append({ kind: "console", entry: { type: "log", message: "hi", timestamp } });
    spool.writeScreenshot(shot("Load"));
    spool.writeScreenshot(shot("After pressing “Buy” — a very long label indeed!"));
    expect(path.basename(video)).toBe("video.webm");
    expect(spool.files().map((file) => file.name)).toEqual([
      "screenshot-0001-load.png",
      "screenshot-0002-after-pressing-buy-a-very-long.png",
      "console.ndjson",
      "clicks.ndjson",
      "video.webm",
    ]);
    expect(spool.files().map((file) => file.contentType)).toEqual([
      "image/png",
      "image/png",
      "application/x-ndjson",
      "application/x-ndjson",
      "video/webm",
    ]);
    // Nothing is uploadable until the recording finishes.
    expect(finishedFiles(spool.folder)).toEqual([]);
    spool.finish();
    expect(finishedFiles(spool.folder)).toHaveLength(5);
  });

  it("starts a new recording in new files, never reusing a name, even after the folder was removed", () => {
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: "asg_2" });
    spool.append({ kind: "network", entry: { url: "https://a.example/", method: "GET", timestamp } });
    spool.writeScreenshot(shot("load"));
    const firstVideo = spool.videoPath;
    spool.finish();
    spool.append({ kind: "network", entry: { url: "https://a.example/b", method: "GET", timestamp } });
    expect(path.basename(spool.videoPath)).toBe("video-2.webm");
    expect(path.basename(firstVideo)).toBe("video.webm");
    expect(readManifest(spool.folder)).toEqual({
      live: true,
      finished: ["screenshot-0001-load.png", "network.ndjson"],
      capturedAt: { "screenshot-0001-load.png": expect.any(String) as string },
    });
    expect(finishedFiles(spool.folder).map((file) => file.name)).toEqual([
      "screenshot-0001-load.png",
      "network.ndjson",
    ]);
    spool.finish();

    // The queue removed the uploaded folder; the next recording still gets fresh names.
    rmSync(spool.folder, { recursive: true });
    spool.writeScreenshot(shot("load"));
    spool.append({ kind: "network", entry: { url: "https://a.example/c", method: "GET", timestamp } });
    expect(spool.files().map((file) => file.name)).toEqual(["screenshot-0002-load.png", "network-3.ndjson"]);

    // A new spool object (the app restarted) moves past every name on disk or finished.
    const again = createRecordingSpool({ dir, assignmentId: "asg_2" });
    spool.finish();
    again.writeScreenshot(shot(""));
    expect(listRecordingFiles(again.folder).map((file) => file.name)).toContain("screenshot-0003.png");
  });

  it("rolls a timeline over into a new file before it passes the server's per-artifact limit", () => {
    const spool = createRecordingSpool({ dir: spoolDir(), assignmentId: "asg_3" });
    const message = "x".repeat(19_000);
    const lineBytes = Buffer.byteLength(`${JSON.stringify({ type: "log", message, timestamp })}\n`);
    const lines = Math.floor(TIMELINE_FILE_LIMIT / lineBytes) + 2;
    for (let index = 0; index < lines; index += 1) {
      spool.append({ kind: "console", entry: { type: "log", message, timestamp } });
    }
    const files = spool.files();
    expect(files.map((file) => file.name)).toEqual(["console.ndjson", "console-2.ndjson"]);
    expect(files[0]!.bytes).toBeLessThanOrEqual(TIMELINE_FILE_LIMIT);
    expect(files[0]!.bytes + files[1]!.bytes).toBe(lines * lineBytes);
    expect(files[1]!.bytes % lineBytes).toBe(0);
  });

  it("clips over-long fields to the server's limits instead of letting one line fail the file", () => {
    const spool = createRecordingSpool({ dir: spoolDir(), assignmentId: "asg_4" });
    spool.append({
      kind: "console",
      entry: { type: "t".repeat(100), message: "m".repeat(30_000), timestamp },
    });
    spool.append({
      kind: "network",
      entry: {
        url: `https://a.example/${"u".repeat(9_000)}`,
        method: "PROPFIND".repeat(5),
        status: 207,
        timestamp,
      },
    });
    spool.append({ kind: "clicks", entry: { x: 3, y: 4, timestamp, element: "div > ".repeat(1_000) } });
    spool.append({ kind: "clicks", entry: { x: 5, y: 6, timestamp } });
    const read = (name: string) =>
      readFileSync(path.join(spool.folder, name), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const [entry] = read("console.ndjson");
    expect((entry!.type as string).length).toBe(40);
    expect((entry!.message as string).length).toBe(20_000);
    expect(entry!.message as string).toMatch(/m…$/);
    const [request] = read("network.ndjson");
    expect((request!.url as string).length).toBe(8_000);
    expect((request!.method as string).length).toBe(20);
    expect(request!.status).toBe(207);
    const clicks = read("clicks.ndjson");
    expect((clicks[0]!.element as string).length).toBe(2_000);
    expect(clicks[1]).toEqual({ x: 5, y: 6, timestamp });
  });

  it("seals a spool a crash left live: temp files and torn last lines dropped, everything finished", () => {
    const spool = createRecordingSpool({ dir: spoolDir(), assignmentId: "asg_5" });
    spool.append({ kind: "console", entry: { type: "log", message: "kept", timestamp } });
    writeFileSync(path.join(spool.folder, "console.ndjson"), '{"type":"log","message":"torn', { flag: "a" });
    writeFileSync(path.join(spool.folder, "network.ndjson"), '{"url":"only a torn line');
    writeFileSync(path.join(spool.folder, "screenshot-0001.png.0a1b2c3d.tmp"), "half a png");
    writeFileSync(path.join(spool.folder, "video.webm"), "partial webm");
    expect(readManifest(spool.folder)?.live).toBe(true);

    sealSpool(spool.folder);

    expect(readdirSync(spool.folder).sort()).toEqual(["console.ndjson", "recording.json", "video.webm"]);
    expect(readFileSync(path.join(spool.folder, "console.ndjson"), "utf8")).toBe(
      `${JSON.stringify({ type: "log", message: "kept", timestamp })}\n`,
    );
    expect(readManifest(spool.folder)).toEqual({ live: false, finished: ["console.ndjson", "video.webm"] });
    expect(finishedFiles(spool.folder).map((file) => file.name)).toEqual(["console.ndjson", "video.webm"]);
    // Sealing a folder that does not exist is a no-op.
    sealSpool(path.join(spool.folder, "missing"));
    expect(existsSync(path.join(spool.folder, "missing"))).toBe(false);
  });

  it("keeps each file's capture time — the video's frame 0, each screenshot's moment — through a crash and a seal", () => {
    const dir = spoolDir();
    const spool = createRecordingSpool({ dir, assignmentId: "asg_t" });
    const video = spool.videoPath;
    writeFileSync(video, "webm");
    const frame0 = new Date("2026-01-02T10:00:00.040Z");
    spool.markVideoStart(frame0);
    spool.writeScreenshot({ ...shot("load"), takenAt: new Date("2026-01-02T10:00:01.500Z") });
    spool.append({ kind: "console", entry: { type: "log", message: "hi", timestamp } });
    const captured = () => spool.files().map((file) => [file.name, file.capturedAt ?? null]);
    expect(captured()).toEqual([
      ["screenshot-0001-load.png", "2026-01-02T10:00:01.500Z"],
      ["console.ndjson", null],
      ["video.webm", "2026-01-02T10:00:00.040Z"],
    ]);
    // The app died before finishing: sealing at the next start keeps the times.
    sealSpool(path.join(dir, "asg_t"));
    expect(finishedFiles(path.join(dir, "asg_t")).map((file) => file.capturedAt ?? null)).toEqual([
      "2026-01-02T10:00:01.500Z",
      null,
      "2026-01-02T10:00:00.040Z",
    ]);
    // A damaged time is left out rather than sent (the server would refuse it) or spoiling the manifest.
    const manifestFile = path.join(dir, "asg_t", "recording.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, capturedAt: { "video.webm": "soon" } }));
    expect(finishedFiles(path.join(dir, "asg_t")).map((file) => file.capturedAt ?? null)).toEqual([
      null,
      null,
      null,
    ]);
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, capturedAt: 42 }));
    expect(readManifest(path.join(dir, "asg_t"))?.finished).toHaveLength(3);
  });

  it("reads only its own file names, and takes only plain assignment ids", () => {
    expect(parseFileName("console-12.ndjson")).toEqual({
      kind: "console",
      contentType: "application/x-ndjson",
      index: 12,
    });
    expect(parseFileName("video.webm")).toEqual({ kind: "video", contentType: "video/webm", index: 1 });
    expect(parseFileName("screenshot-0007-load.png")).toEqual({
      kind: "screenshot",
      contentType: "image/png",
      index: 7,
    });
    expect(parseFileName("recording.json")).toBeNull();
    expect(parseFileName("console.ndjson.1234abcd.tmp")).toBeNull();
    expect(isSafeAssignmentId("asg_01HZX-9")).toBe(true);
    for (const bad of ["", "..", "a/b", "a.b", "x".repeat(201)]) expect(isSafeAssignmentId(bad)).toBe(false);
    expect(() => createRecordingSpool({ dir: spoolDir(), assignmentId: "../escape" })).toThrow(
      /not an assignment id/,
    );
  });
});
