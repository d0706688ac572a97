// A recording on disk as it happens, one folder per assignment, so an app crash loses nothing the recorder had already seen.
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
} from "node:fs";
import path from "node:path";

import type { Screenshot, TimelineEntry } from "@eyeball/recorder";
import { z } from "zod";

import { TEMP_SUFFIX, writeFileAtomic } from "./atomic-file";

export type ArtifactKind = "screenshot" | "video" | "console" | "network" | "clicks";
type TimelineKind = TimelineEntry["kind"];

export interface SpoolFile {
  /** File name inside the spool folder (unique per assignment, never reused while the folder exists). */
  name: string;
  path: string;
  kind: ArtifactKind;
  contentType: string;
  bytes: number;
  /** When its content starts (ISO 8601): the video's frame 0, the screenshot's moment; absent when not known. */
  capturedAt?: string;
}

export interface RecordingSpool {
  readonly assignmentId: string;
  readonly folder: string;
  /**
   * Where the recorder writes this recording's video (WebM). Reading it starts the recording on disk,
   * so the folder is marked live before the recorder's encoder creates the file.
   */
  readonly videoPath: string;
  /** Appends one JSON line to console/network/clicks, synchronously. */
  append(entry: TimelineEntry): void;
  /** Writes the PNG atomically (its `takenAt` kept as the file's capture time) and returns its path. */
  writeScreenshot(shot: Screenshot): string;
  /** Keeps the moment of the current video's frame 0 (the recorder's `startedAt`), uploaded as its `capturedAt`. */
  markVideoStart(startedAt: Date): void;
  /** Marks the recording finished: its files may now be uploaded. Writing again starts a new recording in new files. */
  finish(): void;
  /** The recording files on disk (finished or not), in upload order. */
  files(): SpoolFile[];
}

export interface RecordingSpoolOptions {
  dir: string;
  assignmentId: string;
}

/** The spool's own record of which files belong to finished recordings. */
export const MANIFEST_FILE = "recording.json";

/**
 * One timeline file stays under the server's 20 MiB per artifact; a longer recording rolls over
 * into the next file (the server merges a slot's timeline files by timestamp).
 */
export const TIMELINE_FILE_LIMIT = 16 * 1024 * 1024;

/** The server's field limits (packages/api timeline.ts): one oversized line would fail the whole file. */
const FIELD_LIMITS = { type: 40, message: 20_000, url: 8_000, method: 20, element: 2_000 } as const;

const NDJSON = "application/x-ndjson";
const SAFE_ID = /^[A-Za-z0-9_-]{1,200}$/;

const manifestSchema = z.object({
  live: z.boolean(),
  finished: z.array(z.string()),
  /** File name → ISO 8601 capture time; a damaged map is dropped rather than the whole manifest. */
  capturedAt: z.record(z.string(), z.string()).optional().catch(undefined),
});
export type SpoolManifest = z.infer<typeof manifestSchema>;

/** Assignment ids become folder names: only plain ids (no separators, no dots). */
export function isSafeAssignmentId(id: string): boolean {
  return SAFE_ID.test(id);
}

interface FileName {
  kind: ArtifactKind;
  contentType: string;
  /** The file's number among its kind: ordering and the next free name. */
  index: number;
}

/** Which recording file a name is, or null for the spool's own files and temp files. */
export function parseFileName(name: string): FileName | null {
  const timeline = /^(console|network|clicks)(?:-(\d+))?\.ndjson$/.exec(name);
  if (timeline?.[1]) {
    return { kind: timeline[1] as TimelineKind, contentType: NDJSON, index: Number(timeline[2] ?? 1) };
  }
  const video = /^video(?:-(\d+))?\.webm$/.exec(name);
  if (video) return { kind: "video", contentType: "video/webm", index: Number(video[1] ?? 1) };
  const shot = /^screenshot-(\d+)(?:-[a-z0-9-]+)?\.png$/.exec(name);
  if (shot) return { kind: "screenshot", contentType: "image/png", index: Number(shot[1]) };
  return null;
}

// Screenshots first (small, and uploaded in the order taken), then the timelines, the video last.
const KIND_ORDER: readonly ArtifactKind[] = ["screenshot", "console", "network", "clicks", "video"];

/** The recording files in a spool folder (none when it does not exist), in upload order. */
export function listRecordingFiles(folder: string): SpoolFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const captured = names.includes(MANIFEST_FILE) ? (readManifest(folder)?.capturedAt ?? {}) : {};
  const files: (SpoolFile & { index: number })[] = [];
  for (const name of names) {
    const parsed = parseFileName(name);
    if (!parsed) continue;
    const file = path.join(folder, name);
    let bytes: number;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) continue;
      bytes = stats.size;
    } catch {
      continue;
    }
    files.push({
      name,
      path: file,
      kind: parsed.kind,
      contentType: parsed.contentType,
      bytes,
      index: parsed.index,
      ...capturedAtOf(captured[name]),
    });
  }
  files.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.index - b.index);
  return files.map(({ index: _index, ...file }) => file);
}

/** Only a real moment, as the server takes it (ISO 8601 in UTC). */
function capturedAtOf(value: string | undefined): { capturedAt?: string } {
  if (value === undefined) return {};
  const time = Date.parse(value);
  return Number.isFinite(time) ? { capturedAt: new Date(time).toISOString() } : {};
}

export function readManifest(folder: string): SpoolManifest | null {
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(readFileSync(path.join(folder, MANIFEST_FILE), "utf8")),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function writeManifest(folder: string, manifest: SpoolManifest): void {
  writeFileAtomic(path.join(folder, MANIFEST_FILE), JSON.stringify(manifest));
}

/** The files of finished recordings still on disk: what may be uploaded. */
export function finishedFiles(folder: string): SpoolFile[] {
  const finished = new Set(readManifest(folder)?.finished ?? []);
  return listRecordingFiles(folder).filter((file) => finished.has(file.name));
}

/**
 * Crash recovery for a recording whose app died: drops temp files and a torn last timeline line,
 * then marks everything on disk finished so it uploads. Only for spools no one is writing (app start).
 */
export function sealSpool(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.endsWith(TEMP_SUFFIX)) rmSync(path.join(folder, name), { force: true });
  }
  for (const file of listRecordingFiles(folder)) {
    if (file.contentType !== NDJSON) continue;
    const text = readFileSync(file.path);
    const end = text.lastIndexOf(0x0a) + 1;
    if (end === text.length) continue;
    if (end === 0) rmSync(file.path, { force: true });
    else truncateSync(file.path, end);
  }
  const manifest = readManifest(folder);
  const finished = new Set(manifest?.finished ?? []);
  for (const file of listRecordingFiles(folder)) finished.add(file.name);
  writeManifest(folder, { ...manifest, live: false, finished: [...finished] });
}

function clip(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit - 1)}…`;
}

/** The entry as the server's schema takes it: over-long strings clipped rather than the file refused. */
function lineOf(entry: TimelineEntry): string {
  switch (entry.kind) {
    case "console": {
      const { type, message } = entry.entry;
      return JSON.stringify({
        ...entry.entry,
        type: clip(type, FIELD_LIMITS.type),
        message: clip(message, FIELD_LIMITS.message),
      });
    }
    case "network": {
      const { url, method } = entry.entry;
      return JSON.stringify({
        ...entry.entry,
        url: clip(url, FIELD_LIMITS.url),
        method: clip(method, FIELD_LIMITS.method),
      });
    }
    case "clicks": {
      const { element } = entry.entry;
      return JSON.stringify(
        element === undefined
          ? entry.entry
          : { ...entry.entry, element: clip(element, FIELD_LIMITS.element) },
      );
    }
  }
}

function labelSlug(label: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/, "");
  return slug === "" ? "" : `-${slug}`;
}

function numbered(base: string, index: number, extension: string): string {
  return index === 1 ? `${base}.${extension}` : `${base}-${index}.${extension}`;
}

type Counter = TimelineKind | "video" | "screenshot";

export function createRecordingSpool({ dir, assignmentId }: RecordingSpoolOptions): RecordingSpool {
  if (!isSafeAssignmentId(assignmentId))
    throw new Error(`not an assignment id: ${JSON.stringify(assignmentId)}`);
  const folder = path.join(dir, assignmentId);
  const next: Record<Counter, number> = { console: 1, network: 1, clicks: 1, video: 1, screenshot: 1 };
  let live = readManifest(folder)?.live ?? false;
  let timelines: Partial<Record<TimelineKind, { file: string; bytes: number }>> = {};
  let video: string | null = null;

  /** Moves the counters past every name on disk or already finished, so no name is ever reused. */
  function advanceCounters(): void {
    const names = [
      ...(readManifest(folder)?.finished ?? []),
      ...listRecordingFiles(folder).map((f) => f.name),
    ];
    for (const name of names) {
      const parsed = parseFileName(name);
      if (parsed) next[parsed.kind] = Math.max(next[parsed.kind], parsed.index + 1);
    }
  }
  advanceCounters();

  function startRecording(): void {
    if (live) return;
    // The queue may have removed the folder after uploading the previous recording.
    mkdirSync(folder, { recursive: true });
    advanceCounters();
    const manifest = readManifest(folder);
    writeManifest(folder, { ...manifest, live: true, finished: manifest?.finished ?? [] });
    live = true;
    timelines = {};
    video = null;
  }

  /** Records a file's capture time in the manifest (written atomically, like the rest of it). */
  function noteCapturedAt(name: string, at: Date): void {
    if (Number.isNaN(at.getTime())) return;
    const manifest = readManifest(folder) ?? { live, finished: [] };
    mkdirSync(folder, { recursive: true });
    writeManifest(folder, { ...manifest, capturedAt: { ...manifest.capturedAt, [name]: at.toISOString() } });
  }

  function allocate(kind: Counter, base: string, extension: string): string {
    const index = next[kind];
    next[kind] = index + 1;
    return path.join(folder, numbered(base, index, extension));
  }

  function appendLine(file: string, line: string): void {
    try {
      appendFileSync(file, line);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      mkdirSync(folder, { recursive: true });
      appendFileSync(file, line);
    }
  }

  return {
    assignmentId,
    folder,

    get videoPath() {
      startRecording();
      video ??= allocate("video", "video", "webm");
      return video;
    },

    append(entry) {
      startRecording();
      const line = `${lineOf(entry)}\n`;
      const size = Buffer.byteLength(line);
      let current = timelines[entry.kind];
      if (!current || (current.bytes > 0 && current.bytes + size > TIMELINE_FILE_LIMIT)) {
        current = { file: allocate(entry.kind, entry.kind, "ndjson"), bytes: 0 };
        timelines[entry.kind] = current;
      }
      appendLine(current.file, line);
      current.bytes += size;
    },

    writeScreenshot(shot) {
      startRecording();
      const index = next.screenshot;
      next.screenshot = index + 1;
      const file = path.join(
        folder,
        `screenshot-${String(index).padStart(4, "0")}${labelSlug(shot.label)}.png`,
      );
      mkdirSync(folder, { recursive: true });
      writeFileAtomic(file, shot.png);
      noteCapturedAt(path.basename(file), shot.takenAt);
      return file;
    },

    markVideoStart(startedAt) {
      if (video === null) return;
      noteCapturedAt(path.basename(video), startedAt);
    },

    finish() {
      if (!live) return;
      const manifest = readManifest(folder);
      const finished = new Set(manifest?.finished ?? []);
      for (const file of listRecordingFiles(folder)) finished.add(file.name);
      mkdirSync(folder, { recursive: true });
      writeManifest(folder, { ...manifest, live: false, finished: [...finished] });
      live = false;
    },

    files() {
      return listRecordingFiles(folder);
    },
  };
}
