// The background uploader: every finished recording file goes to the server one at a time, resumably,
// with its progress kept on disk so an app crash or a lost connection costs at most one chunk.
import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";

import pRetry from "p-retry";
import { z } from "zod";

import type { UploadItemStatus } from "../../shared/bridge";
import { TEMP_SUFFIX, writeFileAtomic } from "./atomic-file";
import {
  type ArtifactKind,
  finishedFiles,
  isSafeAssignmentId,
  listRecordingFiles,
  readManifest,
  sealSpool,
} from "./recording-spool";
import { classifyFailure, failureMessage, type UploadClient, type UploadedArtifact } from "./upload-client";

/** The queue's own record, beside the spool folders. */
export const QUEUE_FILE = "uploads.json";

/** The server's limit for one `append` (decoded bytes; packages/api MAX_CHUNK_BYTES). */
export const SERVER_MAX_CHUNK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface RetryOptions {
  /** Retries of one call before the file is set aside as failed (retried again on `kick()`/`resume()`). */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: Infinity, minTimeoutMs: 1_000, maxTimeoutMs: 30_000 };

export interface UploadQueueOptions {
  /** The spool's root: one folder per assignment (createRecordingSpool's `dir`). */
  spoolDir: string;
  /** The current session's client; null while signed out (the queue waits for `kick()`). */
  client: () => UploadClient | null;
  retry?: RetryOptions;
  /** Raw bytes per `append`; default 1 MiB, never above the server's 4 MiB. */
  chunkBytes?: number;
  /** Called after every change of any item's status. */
  onChange?: (items: UploadItemStatus[]) => void;
}

export interface UploadQueue {
  /** Wakes the queue: a new session, or the network is back. Retries files set aside after a transient failure. */
  kick(): void;
  /** Queues the finished files of an assignment's spool not queued yet, and starts uploading. */
  enqueueAssignment(assignmentId: string): Promise<void>;
  /** At app start: seals spools a crash left live, re-queues what is not done and goes on from the server's offsets. */
  resume(): Promise<void>;
  status(): UploadItemStatus[];
  /** Resolves once nothing is queued, uploading or retrying (failed files count as settled), or the queue closed. */
  drain(): Promise<void>;
  /** Stops uploading, aborting calls in flight; the state on disk lets the next `resume()` go on. */
  close(): Promise<void>;
}

type ItemState = UploadItemStatus["state"];

const itemSchema = z.object({
  localId: z.string(),
  assignmentId: z.string(),
  name: z.string(),
  kind: z.enum(["screenshot", "video", "console", "network", "clicks"]),
  contentType: z.string(),
  bytes: z.number().int().min(0),
  /** ISO 8601: the video's frame 0 or the screenshot's moment, sent with `begin`. */
  capturedAt: z.string().optional(),
  artifactId: z.string().optional(),
  uploadedBytes: z.number().int().min(0),
  state: z.enum(["queued", "uploading", "done", "retrying", "failed"]),
  error: z.string().optional(),
  sha256: z.string().optional(),
  /** Failed only for now (retries ran out): tried again on `kick()` and `resume()`. */
  transient: z.boolean().optional(),
  /** Done and its file deleted from the spool: the name may be used again by a later recording. */
  removed: z.boolean().optional(),
});
type Item = z.infer<typeof itemSchema> & { kind: ArtifactKind };

const stateSchema = z.object({ version: z.literal(1), items: z.array(itemSchema) });

const PENDING: ReadonlySet<ItemState> = new Set(["queued", "uploading", "retrying"]);

/** Stops the worker without marking the file: the queue closed, or it must wait for `kick()`. */
class Pause extends Error {
  constructor(readonly reason: "closed" | "no-client" | "unauthorized") {
    super(reason);
    this.name = "Pause";
  }
}

/** A failure that ends this file's upload (permanent, or retries ran out). */
class FileFailure extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = "FileFailure";
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let filled = 0;
  while (filled < buffer.byteLength) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, position + filled);
    if (bytesRead === 0) throw new FileFailure("the file became shorter while it was uploading", false);
    filled += bytesRead;
  }
}

async function sha256OfFile(file: string, bytes: number, chunk: number): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(chunk, Math.max(bytes, 1)));
    for (let position = 0; position < bytes;) {
      const length = Math.min(buffer.byteLength, bytes - position);
      const view = buffer.subarray(0, length);
      await readFully(handle, view, position);
      hash.update(view);
      position += length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

function sizeOf(file: string): number | null {
  try {
    const stats = statSync(file);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const { spoolDir } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const chunkBytes = Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, SERVER_MAX_CHUNK_BYTES));
  const stateFile = path.join(spoolDir, QUEUE_FILE);

  const items: Item[] = load();
  /** Items whose upload began in an earlier run (or whose offset is in doubt): ask the server first. */
  const unsure = new Set<string>(
    items.filter((item) => item.artifactId && PENDING.has(item.state)).map((i) => i.localId),
  );
  let closed = false;
  const abort = new AbortController();
  let worker: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let kicked = false;
  let drainWaiters: (() => void)[] = [];

  function load(): Item[] {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(stateFile, "utf8"));
    } catch {
      return [];
    }
    const parsed = stateSchema.safeParse(raw);
    if (!parsed.success) return [];
    return parsed.data.items
      .filter((item) => !(item.state === "done" && item.removed))
      .map((item) => (PENDING.has(item.state) ? { ...item, state: "queued" as const } : item));
  }

  function persist(): void {
    const text = JSON.stringify({ version: 1, items });
    try {
      try {
        writeFileAtomic(stateFile, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        mkdirSync(spoolDir, { recursive: true });
        writeFileAtomic(stateFile, text);
      }
    } catch {
      // A full or read-only disk: uploading goes on (the server's offsets are the truth), the next write tries again.
    }
  }

  function viewOf(item: Item): UploadItemStatus {
    return {
      localId: item.localId,
      assignmentId: item.assignmentId,
      kind: item.kind,
      bytes: item.bytes,
      uploadedBytes: item.uploadedBytes,
      state: item.state,
      ...(item.error === undefined ? {} : { error: item.error }),
    };
  }

  function status(): UploadItemStatus[] {
    return items.map(viewOf);
  }

  function changed(save = true): void {
    if (save) persist();
    options.onChange?.(status());
  }

  /** Resolves `drain()` once nothing is pending; called only after a file's clean-up, so drained means tidy. */
  function checkDrained(): void {
    if (!closed && items.some((item) => PENDING.has(item.state))) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function update(item: Item, patch: Partial<Item>, save = true): void {
    Object.assign(item, patch);
    if (patch.error === undefined && "error" in patch) delete item.error;
    changed(save);
  }

  function folderOf(assignmentId: string): string {
    return path.join(spoolDir, assignmentId);
  }

  function fileOf(item: Item): string {
    return path.join(folderOf(item.assignmentId), item.name);
  }

  /** Adds the assignment's finished files that are not queued (or uploaded and still on disk) yet. */
  function addFinished(assignmentId: string): boolean {
    if (!isSafeAssignmentId(assignmentId)) return false;
    const known = new Set(
      items.filter((item) => item.assignmentId === assignmentId && !item.removed).map((item) => item.name),
    );
    let added = false;
    for (const file of finishedFiles(folderOf(assignmentId))) {
      if (known.has(file.name)) continue;
      items.push({
        localId: `${assignmentId}/${file.name}/${randomUUID().slice(0, 8)}`,
        assignmentId,
        name: file.name,
        kind: file.kind,
        contentType: file.contentType,
        bytes: file.bytes,
        ...(file.capturedAt === undefined ? {} : { capturedAt: file.capturedAt }),
        uploadedBytes: 0,
        state: "queued",
      });
      added = true;
    }
    return added;
  }

  /**
   * Once every file of the assignment is settled, deletes the uploaded ones, and the folder when no
   * recording file is left in it and no recording is being written there.
   */
  function cleanUp(assignmentId: string): void {
    const own = items.filter((item) => item.assignmentId === assignmentId && !item.removed);
    if (own.length === 0 || own.some((item) => PENDING.has(item.state))) return;
    const folder = folderOf(assignmentId);
    const finished = new Set(readManifest(folder)?.finished ?? []);
    let touched = false;
    for (const item of own) {
      if (item.state !== "done") continue;
      // Only files of finished recordings: a live recording's files are never touched.
      if (finished.has(item.name)) rmSync(fileOf(item), { force: true });
      item.removed = true;
      touched = true;
    }
    const manifest = readManifest(folder);
    if (listRecordingFiles(folder).length === 0 && !manifest?.live)
      rmSync(folder, { recursive: true, force: true });
    if (touched) changed();
  }

  /** One server call, retried with backoff while the failure is transient. */
  function call<T>(item: Item, run: (client: UploadClient, signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = abort.signal;
    return pRetry(
      async () => {
        if (closed) throw new Pause("closed");
        const client = options.client();
        if (!client) throw new Pause("no-client");
        const result = await run(client, signal);
        if (item.state === "retrying") update(item, { state: "uploading", error: undefined }, false);
        return result;
      },
      {
        retries: retry.retries,
        minTimeout: retry.minTimeoutMs,
        maxTimeout: retry.maxTimeoutMs,
        factor: 2,
        randomize: true,
        signal,
        unref: true,
        shouldRetry: ({ error }) =>
          !closed && !(error instanceof Pause) && classifyFailure(error) === "transient",
        onFailedAttempt: ({ error }) => {
          if (closed || error instanceof Pause || classifyFailure(error) !== "transient") return;
          update(item, { state: "retrying", error: failureMessage(error) }, false);
        },
      },
    ).catch((error: unknown) => {
      if (closed || signal.aborted) throw new Pause("closed");
      if (error instanceof Pause || error instanceof FileFailure) throw error;
      const kind = classifyFailure(error);
      if (kind === "unauthorized") throw new Pause("unauthorized");
      if (kind === "transient") throw new FileFailure(failureMessage(error), true);
      throw error;
    });
  }

  /** Lines the item up with what the server holds: "missing" when the server has no usable upload for it. */
  async function sync(item: Item): Promise<"complete" | "partial" | "missing"> {
    const artifactId = item.artifactId;
    if (!artifactId) return "missing";
    const list = await call(item, (client, signal) =>
      client.list({ assignmentId: item.assignmentId }, { signal }),
    );
    const found: UploadedArtifact | undefined = list.find((artifact) => artifact.id === artifactId);
    unsure.delete(item.localId);
    if (!found) return "missing";
    if (found.status === "complete") return "complete";
    if (found.uploadedBytes > item.bytes) return "missing";
    update(item, { uploadedBytes: found.uploadedBytes });
    return "partial";
  }

  async function begin(item: Item): Promise<void> {
    const artifact = await call(item, (client, signal) =>
      client.begin(
        {
          assignmentId: item.assignmentId,
          kind: item.kind,
          contentType: item.contentType,
          ...(item.capturedAt === undefined ? {} : { capturedAt: item.capturedAt }),
        },
        { signal },
      ),
    );
    update(item, { artifactId: artifact.id, uploadedBytes: artifact.uploadedBytes });
  }

  async function upload(item: Item): Promise<void> {
    update(item, { state: "uploading", error: undefined, transient: undefined });
    if (item.artifactId && unsure.has(item.localId)) {
      const held = await sync(item);
      if (held === "complete") {
        update(item, { state: "done", uploadedBytes: item.bytes });
        return;
      }
      if (held === "missing") update(item, { artifactId: undefined, uploadedBytes: 0 });
    }
    const file = fileOf(item);
    const size = sizeOf(file);
    if (size === null) throw new FileFailure("the recording file is no longer on disk", false);
    if (size !== item.bytes) {
      // A finished file never changes; if it did, what the server holds no longer matches it.
      update(item, { bytes: size, sha256: undefined, artifactId: undefined, uploadedBytes: 0 });
    }
    if (item.sha256 === undefined) update(item, { sha256: await sha256OfFile(file, item.bytes, chunkBytes) });
    if (!item.artifactId) await begin(item);

    const handle = await open(file, "r");
    try {
      const buffer = Buffer.alloc(Math.min(chunkBytes, Math.max(item.bytes, 1)));
      for (;;) {
        while (item.uploadedBytes < item.bytes) {
          const offset = item.uploadedBytes;
          const length = Math.min(buffer.byteLength, item.bytes - offset);
          const chunk = buffer.subarray(0, length);
          await readFully(handle, chunk, offset);
          const data = chunk.toString("base64");
          const artifactId = item.artifactId ?? "";
          try {
            const artifact = await call(item, (client, signal) =>
              client.append({ artifactId, offset, data }, { signal }),
            );
            update(item, { uploadedBytes: artifact.uploadedBytes });
          } catch (error) {
            if (
              error instanceof Pause ||
              error instanceof FileFailure ||
              classifyFailure(error) !== "offset"
            ) {
              throw error;
            }
            if (await resync(item)) return;
          }
        }
        const { artifactId = "", sha256 } = item;
        try {
          const artifact = await call(item, (client, signal) =>
            client.complete({ artifactId, bytes: item.bytes, ...(sha256 ? { sha256 } : {}) }, { signal }),
          );
          if (artifact.status === "complete") {
            update(item, { state: "done", uploadedBytes: item.bytes });
            return;
          }
          if (await resync(item)) return;
        } catch (error) {
          if (error instanceof Pause || error instanceof FileFailure || classifyFailure(error) !== "offset") {
            throw error;
          }
          if (await resync(item)) return;
        }
      }
    } finally {
      await handle.close();
    }
  }

  /** After an offset conflict: true when the server already has the whole file. */
  async function resync(item: Item): Promise<boolean> {
    const held = await sync(item);
    if (held === "complete") {
      update(item, { state: "done", uploadedBytes: item.bytes });
      return true;
    }
    if (held === "missing") {
      update(item, { artifactId: undefined, uploadedBytes: 0 });
      await begin(item);
    }
    return false;
  }

  function waitForKick(): Promise<void> {
    if (kicked || closed) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      wake = () => {
        wake = null;
        kicked = false;
        resolve();
      };
    });
  }

  async function work(): Promise<void> {
    while (!closed) {
      const item = items.find((candidate) => PENDING.has(candidate.state));
      if (!item) return;
      if (!options.client()) {
        await waitForKick();
        continue;
      }
      try {
        await upload(item);
        cleanUp(item.assignmentId);
      } catch (error) {
        if (closed) return;
        if (error instanceof Pause) {
          // Signed out or the session expired: the file waits, queued, for the next session.
          if (item.state !== "done") {
            update(item, {
              state: "queued",
              error: error.reason === "unauthorized" ? "Sign in again to finish this upload" : undefined,
            });
          }
          await waitForKick();
          continue;
        }
        const transient = error instanceof FileFailure && error.transient;
        update(item, {
          state: "failed",
          error: failureMessage(error),
          ...(transient ? { transient: true } : {}),
        });
        cleanUp(item.assignmentId);
      } finally {
        checkDrained();
      }
    }
  }

  function start(): void {
    if (closed || worker) return;
    worker = work().finally(() => {
      worker = null;
      checkDrained();
      // Something was queued while the worker was on its way out.
      if (!closed && items.some((item) => PENDING.has(item.state)) && options.client()) start();
    });
  }

  /** Files set aside after transient failures get another go. */
  function requeueTransient(): boolean {
    let any = false;
    for (const item of items) {
      if (item.state === "failed" && item.transient) {
        item.state = "queued";
        delete item.transient;
        delete item.error;
        if (item.artifactId) unsure.add(item.localId);
        any = true;
      }
    }
    return any;
  }

  return {
    kick() {
      if (closed) return;
      if (requeueTransient()) changed();
      kicked = true;
      wake?.();
      start();
    },

    enqueueAssignment(assignmentId) {
      if (closed) return Promise.resolve();
      if (addFinished(assignmentId)) changed();
      start();
      return Promise.resolve();
    },

    resume() {
      if (closed) return Promise.resolve();
      let names: string[];
      try {
        names = readdirSync(spoolDir, { withFileTypes: true })
          .filter((entry) => {
            if (entry.isFile() && entry.name.endsWith(TEMP_SUFFIX))
              rmSync(path.join(spoolDir, entry.name), { force: true });
            return entry.isDirectory() && isSafeAssignmentId(entry.name);
          })
          .map((entry) => entry.name);
      } catch {
        names = [];
      }
      for (const name of names) {
        const folder = folderOf(name);
        const manifest = readManifest(folder);
        // Called once at app start, before any recording: a live spool is one the crash cut short.
        if (!manifest || manifest.live) sealSpool(folder);
        addFinished(name);
      }
      requeueTransient();
      changed();
      // A crash after the last upload but before the clean-up.
      for (const assignmentId of new Set(items.map((item) => item.assignmentId))) cleanUp(assignmentId);
      start();
      return Promise.resolve();
    },

    status,

    drain() {
      if (closed || !items.some((item) => PENDING.has(item.state))) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },

    async close() {
      if (closed) return;
      closed = true;
      abort.abort(new Error("the upload queue closed"));
      wake?.();
      await worker?.catch(() => undefined);
      // What was cut off mid-way waits for the next run.
      for (const item of items)
        if (item.state === "uploading" || item.state === "retrying") item.state = "queued";
      persist();
      changed(false);
      checkDrained();
    },
  };
}
