// The queue's edges without a server: an in-memory stand-in for tester.artifacts.* with the server's rules
// (offsets, chunk limit, sha256), so chunk clamping, retries running out, offset conflicts and close() are cheap to reach.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { MAX_CHUNK_BYTES } from "@eyeball/api";

import { createRecordingSpool } from "./recording-spool";
import type { UploadClient, UploadedArtifact } from "./upload-client";
import { createUploadQueue, QUEUE_FILE, SERVER_MAX_CHUNK_BYTES, type UploadQueue } from "./upload-queue";
import { fakeBytes, hangUntilAborted } from "./upload-test-kit";

const dirs: string[] = [];
const queues: UploadQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function serverError(code: string, message: string, domainCode: string | null = null): Error {
  return Object.assign(new Error(message), {
    data: { code, domainCode, httpStatus: code === "CONFLICT" ? 409 : 500 },
  });
}

interface Stored {
  id: string;
  kind: string;
  contentType: string;
  data: Buffer;
  status: "uploading" | "complete";
  sha256: string | null;
}

/** tester.artifacts.* in memory, with the server's offset and size rules. */
function fakeServer() {
  const artifacts = new Map<string, Stored>();
  const view = (a: Stored): UploadedArtifact => ({
    id: a.id,
    kind: a.kind,
    contentType: a.contentType,
    status: a.status,
    uploadedBytes: a.data.byteLength,
    sha256: a.sha256,
  });
  const chunks: number[] = [];
  const client: UploadClient = {
    begin(input) {
      const id = `art_${artifacts.size + 1}`;
      artifacts.set(id, {
        id,
        kind: input.kind,
        contentType: input.contentType,
        data: Buffer.alloc(0),
        status: "uploading",
        sha256: null,
      });
      return Promise.resolve(view(artifacts.get(id)!));
    },
    append({ artifactId, offset, data }) {
      const a = artifacts.get(artifactId);
      if (!a)
        return Promise.reject(serverError("NOT_FOUND", `artifact ${artifactId} not found`, "NOT_FOUND"));
      const bytes = Buffer.from(data, "base64");
      if (bytes.byteLength > MAX_CHUNK_BYTES)
        return Promise.reject(serverError("BAD_REQUEST", "data: too big", "VALIDATION"));
      chunks.push(bytes.byteLength);
      if (a.status === "complete")
        return Promise.reject(serverError("CONFLICT", "already complete", "CONFLICT"));
      if (offset + bytes.byteLength === a.data.byteLength && offset < a.data.byteLength)
        return Promise.resolve(view(a));
      if (offset !== a.data.byteLength) {
        return Promise.reject(serverError("CONFLICT", `offset must be ${a.data.byteLength}`, "CONFLICT"));
      }
      a.data = Buffer.concat([a.data, bytes]);
      return Promise.resolve(view(a));
    },
    complete({ artifactId, bytes, sha256 }) {
      const a = artifacts.get(artifactId);
      if (!a) return Promise.reject(serverError("NOT_FOUND", "not found", "NOT_FOUND"));
      if (bytes !== undefined && bytes !== a.data.byteLength) {
        return Promise.reject(
          serverError("CONFLICT", `bytes: the upload holds ${a.data.byteLength}`, "CONFLICT"),
        );
      }
      const actual = createHash("sha256").update(a.data).digest("hex");
      if (sha256 !== undefined && sha256 !== actual)
        return Promise.reject(serverError("BAD_REQUEST", "sha256: does not match", "VALIDATION"));
      a.status = "complete";
      a.sha256 = actual;
      return Promise.resolve(view(a));
    },
    list() {
      return Promise.resolve([...artifacts.values()].map(view));
    },
  };
  return { client, artifacts, chunks };
}

function spoolWithVideo(bytes: Buffer): { dir: string; folder: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "eyeball-queue-unit-"));
  dirs.push(dir);
  const spool = createRecordingSpool({ dir, assignmentId: "asg_unit" });
  writeFileSync(spool.videoPath, bytes);
  spool.finish();
  return { dir, folder: spool.folder };
}

function queueOf(options: Parameters<typeof createUploadQueue>[0]): UploadQueue {
  const queue = createUploadQueue(options);
  queues.push(queue);
  return queue;
}

const FAST = { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2 };
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("upload queue, offline", () => {
  it("never sends a chunk above the server's limit", async () => {
    expect(SERVER_MAX_CHUNK_BYTES).toBe(MAX_CHUNK_BYTES);
    const video = fakeBytes(9 * 1024 * 1024, 5);
    const { dir } = spoolWithVideo(video);
    const server = fakeServer();
    const queue = queueOf({ spoolDir: dir, client: () => server.client, chunkBytes: 64 * 1024 * 1024 });
    await queue.enqueueAssignment("asg_unit");
    await queue.drain();
    expect(server.chunks).toEqual([MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, 1024 * 1024]);
    expect(server.artifacts.get("art_1")).toMatchObject({ status: "complete", sha256: sha(video) });
  });

  it("sets a file aside as failed when transient retries run out, and tries it again on kick()", async () => {
    const video = fakeBytes(5000, 9);
    const { dir, folder } = spoolWithVideo(video);
    const server = fakeServer();
    let down = true;
    let attempts = 0;
    const flaky: UploadClient = {
      ...server.client,
      append(input, options) {
        attempts += 1;
        return down
          ? Promise.reject(serverError("SERVICE_UNAVAILABLE", "server is restarting"))
          : server.client.append(input, options);
      },
    };
    const queue = queueOf({ spoolDir: dir, client: () => flaky, retry: FAST, chunkBytes: 1000 });
    await queue.enqueueAssignment("asg_unit");
    await queue.drain();
    expect(attempts).toBe(FAST.retries + 1);
    expect(queue.status()[0]).toMatchObject({
      state: "failed",
      error: "server is restarting",
      uploadedBytes: 0,
    });
    expect(existsSync(folder)).toBe(true);

    down = false;
    queue.kick();
    await queue.drain();
    expect(queue.status()[0]).toMatchObject({ state: "done", uploadedBytes: 5000 });
    // The same upload went on: no second artifact.
    expect([...server.artifacts.keys()]).toEqual(["art_1"]);
    expect(existsSync(folder)).toBe(false);
  });

  it("after an offset conflict asks the server where it stands and goes on from there", async () => {
    const video = fakeBytes(10_000, 13);
    const { dir } = spoolWithVideo(video);
    const server = fakeServer();
    const offsets: number[] = [];
    let meddled = false;
    const client: UploadClient = {
      ...server.client,
      async append(input, options) {
        offsets.push(input.offset);
        if (input.offset === 4000 && !meddled) {
          // Another copy of the app (or a lost answer) already sent the next two chunks.
          meddled = true;
          await server.client.append(input, options);
          await server.client.append({
            ...input,
            offset: 5000,
            data: video.subarray(5000, 6000).toString("base64"),
          });
          throw serverError("CONFLICT", "offset must be 6000", "CONFLICT");
        }
        return server.client.append(input, options);
      },
    };
    const queue = queueOf({ spoolDir: dir, client: () => client, retry: FAST, chunkBytes: 1000 });
    await queue.enqueueAssignment("asg_unit");
    await queue.drain();
    expect(offsets).toEqual([0, 1000, 2000, 3000, 4000, 6000, 7000, 8000, 9000]);
    expect(queue.status()[0]?.state).toBe("done");
    expect(server.artifacts.get("art_1")?.sha256).toBe(sha(video));
  });

  it("waits without a client, and close() aborts a call in flight, keeping the progress on disk", async () => {
    const video = fakeBytes(3000, 17);
    const { dir } = spoolWithVideo(video);
    const server = fakeServer();
    let current: UploadClient | null = null;
    let signalSeen: AbortSignal | undefined;
    const hanging: UploadClient = {
      ...server.client,
      async append(input, options) {
        if (input.offset < 2000) return server.client.append(input, options);
        signalSeen = options?.signal;
        return hangUntilAborted(options?.signal);
      },
    };
    const queue = createUploadQueue({ spoolDir: dir, client: () => current, retry: FAST, chunkBytes: 1000 });
    await queue.enqueueAssignment("asg_unit");
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(queue.status()[0]?.state).toBe("queued");
    expect(server.artifacts.size).toBe(0);

    current = hanging;
    queue.kick();
    await expect.poll(() => signalSeen !== undefined, { interval: 5 }).toBe(true);
    expect(drained).toBe(false);
    await queue.close();
    await drain;
    expect(signalSeen?.aborted).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(dir, QUEUE_FILE), "utf8")) as {
      items: Record<string, unknown>[];
    };
    expect(saved.items[0]).toMatchObject({
      artifactId: "art_1",
      uploadedBytes: 2000,
      name: "video.webm",
      kind: "video",
    });

    // The next run finishes it from the server's offset.
    const next = queueOf({ spoolDir: dir, client: () => server.client, retry: FAST, chunkBytes: 1000 });
    await next.resume();
    await next.drain();
    expect(next.status()[0]).toMatchObject({ state: "done", uploadedBytes: 3000 });
    expect(server.artifacts.get("art_1")?.sha256).toBe(sha(video));
  });
});
