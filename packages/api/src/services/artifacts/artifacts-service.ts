// Recording artifacts: resumable chunked uploads by the assigned tester, and the recording owners and integrators read.
import { createHash } from "node:crypto";

import { z } from "zod";

import { DomainError, invalidTransition, newId, validationError } from "@eyeball/core";
import { type Artifact, type Assignment, Prisma } from "@eyeball/db";

import { inTransaction } from "../jobs/transaction";
import { type JobView } from "../jobs/job-view";
import { loadOwnAssignment } from "../tester/own-assignment";
import { type ServiceDeps, type Tx } from "../types";
import { type ArtifactLinks, screenshotLinks } from "./artifact-links";
import { type ArtifactStore } from "./artifact-store";
import { imageSize } from "./image-size";
import {
  byTimestamp,
  type ClickEntry,
  type ConsoleEntry,
  isTimelineKind,
  type NetworkEntry,
  parseTimeline,
  type TimelineKind,
} from "./timeline";

/** `capturedAt` on the wire: ISO 8601 with an offset, like the timeline's timestamps. */
export const capturedAtSchema = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

export const ARTIFACT_KINDS = ["screenshot", "video", "console", "network", "clicks", "other"] as const;
export type ArtifactKindName = (typeof ARTIFACT_KINDS)[number];

/** Largest chunk one `append` takes (decoded bytes); the app splits files into chunks of at most this. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Largest artifact per kind. */
export const MAX_ARTIFACT_BYTES: Record<ArtifactKindName, number> = {
  screenshot: 25 * MIB,
  video: 2048 * MIB,
  console: 20 * MIB,
  network: 20 * MIB,
  clicks: 20 * MIB,
  other: 100 * MIB,
};
/** How long after an assignment ended its tester may still finish uploads (the app uploads in the background). */
export const UPLOAD_GRACE_MS = 24 * 60 * 60 * 1000;

const CONTENT_TYPES: Record<ArtifactKindName, readonly string[] | null> = {
  screenshot: ["image/png", "image/jpeg"],
  video: ["video/webm", "video/mp4"],
  console: ["application/x-ndjson"],
  network: ["application/x-ndjson"],
  clicks: ["application/x-ndjson"],
  other: null,
};
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "video/webm": "webm",
  "video/mp4": "mp4",
  "application/x-ndjson": "ndjson",
};

export interface ArtifactView {
  id: string;
  assignmentId: string;
  kind: ArtifactKindName;
  contentType: string;
  status: "uploading" | "complete";
  /** Bytes stored so far: the offset the next `append` must use. */
  uploadedBytes: number;
  width: number | null;
  height: number | null;
  sha256: string | null;
  /** When the content starts: a video's frame 0, a screenshot's moment; null when the uploader did not say. */
  capturedAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface BeginUploadInput {
  assignmentId: string;
  kind: ArtifactKindName;
  contentType: string;
  /** When the content starts (a video's frame 0, the recorder's `startedAt`; a screenshot's moment): a Date or ISO 8601. */
  capturedAt?: Date | string | null;
}

export interface AppendChunkInput {
  artifactId: string;
  /** Must equal `uploadedBytes`; a retried chunk that already landed is answered with the current state. */
  offset: number;
  data: Uint8Array;
}

export interface CompleteUploadInput {
  artifactId: string;
  /** When given, the stored size and SHA-256 must match (hex, lower case). */
  bytes?: number;
  sha256?: string;
}

/** One stored file for the sandbox or a host: created complete in one step. */
export interface PutArtifactInput {
  assignmentId: string;
  kind: ArtifactKindName;
  contentType: string;
  data: Uint8Array;
  /** As in `BeginUploadInput`. */
  capturedAt?: Date | string | null;
}

export interface ScreenshotLink {
  id: string;
  url: string;
  width: number | null;
  height: number | null;
  /** The moment it was taken, when the uploader said; else null (`createdAt` is when it was stored). */
  capturedAt: Date | null;
  createdAt: Date;
}

/** One slot's recording: what the job page and the run(human) `testerData` show. */
export interface SlotRecording {
  assignmentId: string;
  consoleMessages: ConsoleEntry[];
  networkRequests: NetworkEntry[];
  clicks: ClickEntry[];
  screenshots: ScreenshotLink[];
  video: {
    id: string;
    url: string;
    contentType: string;
    width: number | null;
    height: number | null;
    /** The moment of the video's frame 0, or null (uploaded before it was recorded, or not said). */
    capturedAt: Date | null;
  } | null;
  /**
   * The video's frame 0 (`video.capturedAt`), or null: a timeline entry at time t is at `t − videoStartedAt`
   * in the video. Null for recordings without a video or uploaded before capture times were recorded.
   */
  videoStartedAt: Date | null;
}

export interface ArtifactsService {
  begin(testerId: string, input: BeginUploadInput): Promise<ArtifactView>;
  append(testerId: string, input: AppendChunkInput): Promise<ArtifactView>;
  complete(testerId: string, input: CompleteUploadInput): Promise<ArtifactView>;
  /** The tester's uploads for an assignment, finished or not, so the app resumes after a crash. */
  uploads(testerId: string, assignmentId: string): Promise<ArtifactView[]>;
  /** Stores a whole file for an assignment at once (the sandbox tester, imports). */
  put(input: PutArtifactInput): Promise<ArtifactView>;
  /** The finished artifacts of the given slots, grouped per slot (the caller has checked access). */
  recordings(assignmentIds: readonly string[]): Promise<SlotRecording[]>;
  /** Signed links to the screenshots of the slot that speaks for the job; none before one does. */
  representativeScreenshots(view: JobView): Promise<string[]>;
  /** The recording of the slot that speaks for the job (`representativeSlotId`), or null. */
  representativeRecording(view: JobView): Promise<SlotRecording | null>;
  /** A finished artifact behind a signed link, or null when the link is bad, expired or unknown. */
  resolveLink(
    artifactId: string,
    expires: unknown,
    signature: unknown,
  ): Promise<{ artifact: ArtifactView; storageKey: string } | null>;
  store: ArtifactStore;
  links: ArtifactLinks;
}

export interface ArtifactsServiceOptions {
  store: ArtifactStore;
  links: ArtifactLinks;
}

export function toArtifactView(row: Artifact): ArtifactView {
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    kind: row.kind,
    contentType: row.contentType,
    status: row.status,
    uploadedBytes: Number(row.bytes ?? 0n),
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    capturedAt: row.capturedAt,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
  };
}

function assertKind(kind: unknown): asserts kind is ArtifactKindName {
  if (typeof kind !== "string" || !(ARTIFACT_KINDS as readonly string[]).includes(kind)) {
    throw validationError("kind", `must be one of ${ARTIFACT_KINDS.join(", ")}`);
  }
}

function normalisedContentType(kind: ArtifactKindName, contentType: unknown): string {
  if (typeof contentType !== "string") throw validationError("contentType", "is required");
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const allowed = CONTENT_TYPES[kind];
  if (allowed === null) {
    if (!/^[a-z0-9][\w.+-]*\/[\w.+-]+$/.test(type) || type.length > 100) {
      throw validationError("contentType", "must be a media type such as application/pdf");
    }
    return type;
  }
  if (!allowed.includes(type)) {
    throw validationError("contentType", `must be ${allowed.join(" or ")} for a ${kind} artifact`);
  }
  return type;
}

/** The optional capture time as a Date; anything but a valid Date or ISO 8601 date-time is VALIDATION naming the field. */
export function capturedAtOf(value: unknown): Date | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw validationError("capturedAt", "must be a valid date-time");
    return value;
  }
  const parsed = capturedAtSchema.safeParse(value);
  if (!parsed.success) throw validationError("capturedAt", "must be an ISO 8601 date-time");
  return new Date(parsed.data);
}

function storageKeyOf(jobId: string, assignmentId: string, artifactId: string, contentType: string): string {
  return `${jobId}/${assignmentId}/${artifactId}.${EXTENSIONS[contentType] ?? "bin"}`;
}

async function lockArtifact(tx: Tx, artifactId: string): Promise<void> {
  await tx.$queryRaw(Prisma.sql`SELECT "id" FROM "artifacts" WHERE "id" = ${artifactId} FOR UPDATE`);
}

async function readAll(store: ArtifactStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function sha256Of(store: ArtifactStore, key: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of store.read(key)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function createArtifactsService(
  deps: Pick<ServiceDeps, "db" | "clock" | "events">,
  { store, links }: ArtifactsServiceOptions,
): ArtifactsService {
  const { db, clock, events } = deps;

  /** The tester's own, claimed assignment that still takes uploads. */
  /** Refuses uploads to a slot never claimed, or ended longer than the grace ago. */
  function assertUploadable(slot: Pick<Assignment, "id" | "status" | "claimedAt" | "finishedAt">): void {
    if (slot.claimedAt === null) throw invalidTransition("an assignment", "upload to", slot.status);
    if (slot.finishedAt !== null && clock.now().getTime() - slot.finishedAt.getTime() > UPLOAD_GRACE_MS) {
      throw new DomainError(
        "INVALID_TRANSITION",
        `uploads to assignment ${slot.id} closed ${UPLOAD_GRACE_MS / 3_600_000} hours after it ended`,
      );
    }
  }

  /** The tester's own upload, on a slot that still takes uploads (one read, with its assignment). */
  async function ownUpload(testerId: string, artifactId: string) {
    if (typeof artifactId !== "string" || artifactId.trim() === "")
      throw validationError("artifactId", "is required");
    const row = await db.artifact.findUnique({ where: { id: artifactId }, include: { assignment: true } });
    if (!row) throw new DomainError("NOT_FOUND", `artifact ${artifactId} not found`);
    if (row.assignment.testerId !== testerId) {
      throw new DomainError("FORBIDDEN", `artifact ${artifactId} belongs to another tester`);
    }
    assertUploadable(row.assignment);
    return row;
  }

  /** Checks a finished file's content and returns what the row records about it. */
  async function inspect(kind: ArtifactKindName, key: string, size: number) {
    if (size === 0) throw validationError("data", "the artifact is empty");
    if (kind === "screenshot") {
      const head = await readAll(store, key);
      const dimensions = imageSize(head);
      if (!dimensions) throw validationError("data", "is not a PNG or JPEG image");
      return dimensions;
    }
    if (isTimelineKind(kind)) parseTimeline(kind, (await readAll(store, key)).toString("utf8"));
    return { width: null, height: null };
  }

  async function finish(
    tx: Tx,
    row: Artifact & { assignment: { jobId: string } },
    facts: { size: number; sha256: string; width: number | null; height: number | null },
  ): Promise<Artifact> {
    const done = await tx.artifact.update({
      where: { id: row.id },
      data: {
        status: "complete",
        bytes: BigInt(facts.size),
        sha256: facts.sha256,
        width: facts.width,
        height: facts.height,
        completedAt: clock.now(),
      },
    });
    await events.append(tx, {
      jobId: row.assignment.jobId,
      assignmentId: row.assignmentId,
      type: "artifact.uploaded",
      payload: { artifactId: row.id, kind: row.kind },
    });
    return done;
  }

  async function timelineOf<K extends TimelineKind>(kind: K, rows: readonly Artifact[]) {
    const entries = [];
    for (const row of rows) {
      if (row.kind !== kind) continue;
      entries.push(...parseTimeline(kind, (await readAll(store, row.storageKey)).toString("utf8")));
    }
    return entries.sort(byTimestamp);
  }

  async function recordings(assignmentIds: readonly string[]): Promise<SlotRecording[]> {
    if (assignmentIds.length === 0) return [];
    const rows = await db.artifact.findMany({
      where: { assignmentId: { in: [...assignmentIds] }, status: "complete" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const out: SlotRecording[] = [];
    for (const assignmentId of assignmentIds) {
      const own = rows.filter((row) => row.assignmentId === assignmentId);
      const video = own.filter((row) => row.kind === "video").at(-1);
      out.push({
        assignmentId,
        consoleMessages: await timelineOf("console", own),
        networkRequests: await timelineOf("network", own),
        clicks: await timelineOf("clicks", own),
        screenshots: own
          .filter((row) => row.kind === "screenshot")
          .map((row) => ({
            id: row.id,
            url: links.url(row.id),
            width: row.width,
            height: row.height,
            capturedAt: row.capturedAt,
            createdAt: row.createdAt,
          })),
        video: video
          ? {
              id: video.id,
              url: links.url(video.id),
              contentType: video.contentType,
              width: video.width,
              height: video.height,
              capturedAt: video.capturedAt,
            }
          : null,
        videoStartedAt: video?.capturedAt ?? null,
      });
    }
    return out;
  }

  return {
    store,
    links,

    async begin(testerId, input) {
      assertKind(input.kind);
      const contentType = normalisedContentType(input.kind, input.contentType);
      const capturedAt = capturedAtOf(input.capturedAt);
      const slot = await loadOwnAssignment(db, testerId, input.assignmentId);
      assertUploadable(slot);
      const id = newId("artifact");
      const row = await db.artifact.create({
        data: {
          id,
          assignmentId: slot.id,
          kind: input.kind,
          contentType,
          storageKey: storageKeyOf(slot.jobId, slot.id, id, contentType),
          bytes: 0n,
          capturedAt,
        },
      });
      return toArtifactView(row);
    },

    async append(testerId, { artifactId, offset, data }) {
      await ownUpload(testerId, artifactId);
      if (!Number.isSafeInteger(offset) || offset < 0)
        throw validationError("offset", "must be a whole number ≥ 0");
      if (data.byteLength === 0) throw validationError("data", "must not be empty");
      if (data.byteLength > MAX_CHUNK_BYTES) {
        throw validationError("data", `must be at most ${MAX_CHUNK_BYTES} bytes per chunk`);
      }
      const row = await inTransaction(db, async (tx) => {
        await lockArtifact(tx, artifactId);
        const current = await tx.artifact.findUniqueOrThrow({ where: { id: artifactId } });
        const stored = Number(current.bytes ?? 0n);
        if (current.status === "complete") {
          throw new DomainError("CONFLICT", `artifact ${artifactId} is already complete`);
        }
        // A retry of a chunk that landed before the answer was lost: already there, nothing to do.
        if (offset + data.byteLength === stored && offset < stored) return current;
        if (offset !== stored) {
          throw new DomainError(
            "CONFLICT",
            `offset must be ${stored}: artifact ${artifactId} holds ${stored} bytes`,
            { details: { uploadedBytes: stored } },
          );
        }
        const limit = MAX_ARTIFACT_BYTES[current.kind];
        if (stored + data.byteLength > limit) {
          throw validationError("data", `a ${current.kind} artifact may hold at most ${limit} bytes`);
        }
        // The file is written (and synced) before the row moves on: a crash in between leaves bytes
        // past the recorded offset, which the next chunk at that offset overwrites.
        const size = await store.writeAt(current.storageKey, offset, data);
        return tx.artifact.update({ where: { id: artifactId }, data: { bytes: BigInt(size) } });
      });
      return toArtifactView(row);
    },

    async complete(testerId, input) {
      await ownUpload(testerId, input.artifactId);
      const row = await inTransaction(db, async (tx) => {
        await lockArtifact(tx, input.artifactId);
        const current = await tx.artifact.findUniqueOrThrow({
          where: { id: input.artifactId },
          include: { assignment: { select: { jobId: true } } },
        });
        if (current.status === "complete") return current;
        const size = Number(current.bytes ?? 0n);
        if (input.bytes !== undefined && input.bytes !== size) {
          throw new DomainError(
            "CONFLICT",
            `bytes: the upload holds ${size} bytes, not ${input.bytes}; send the rest from offset ${size}`,
            { details: { uploadedBytes: size } },
          );
        }
        const sha256 = await sha256Of(store, current.storageKey);
        if (input.sha256 !== undefined && input.sha256.toLowerCase() !== sha256) {
          throw validationError("sha256", `does not match the uploaded bytes (${sha256})`);
        }
        const facts = await inspect(current.kind, current.storageKey, size);
        return finish(tx, current, { size, sha256, ...facts });
      });
      return toArtifactView(row);
    },

    async uploads(testerId, assignmentId) {
      await loadOwnAssignment(db, testerId, assignmentId);
      const rows = await db.artifact.findMany({
        where: { assignmentId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return rows.map(toArtifactView);
    },

    async put(input) {
      assertKind(input.kind);
      const contentType = normalisedContentType(input.kind, input.contentType);
      const capturedAt = capturedAtOf(input.capturedAt);
      const slot = await db.assignment.findUnique({ where: { id: input.assignmentId } });
      if (!slot) throw new DomainError("NOT_FOUND", `assignment ${input.assignmentId} not found`);
      if (input.data.byteLength > MAX_ARTIFACT_BYTES[input.kind]) {
        throw validationError(
          "data",
          `a ${input.kind} artifact may hold at most ${MAX_ARTIFACT_BYTES[input.kind]} bytes`,
        );
      }
      const sha256 = createHash("sha256").update(input.data).digest("hex");
      const id = newId("artifact");
      const storageKey = storageKeyOf(slot.jobId, slot.id, id, contentType);
      // Bytes first (synced), then the row: a crash in between leaves an orphan file, never a row without bytes.
      await store.writeAt(storageKey, 0, input.data);
      let facts: { width: number | null; height: number | null };
      try {
        facts = await inspect(input.kind, storageKey, input.data.byteLength);
      } catch (error) {
        await store.remove(storageKey);
        throw error;
      }
      const row = await inTransaction(db, async (tx) => {
        const created = await tx.artifact.create({
          data: {
            id,
            assignmentId: slot.id,
            kind: input.kind,
            contentType,
            storageKey,
            bytes: 0n,
            capturedAt,
          },
          include: { assignment: { select: { jobId: true } } },
        });
        return finish(tx, created, { size: input.data.byteLength, sha256, ...facts });
      });
      return toArtifactView(row);
    },

    recordings,

    async representativeScreenshots(view) {
      if (view.representativeSlotId === null) return [];
      return screenshotLinks(db, links, view.representativeSlotId);
    },

    async representativeRecording(view) {
      if (view.representativeSlotId === null) return null;
      const [recording] = await recordings([view.representativeSlotId]);
      return recording ?? null;
    },

    async resolveLink(artifactId, expires, signature) {
      if (!links.verify(artifactId, expires, signature)) return null;
      const row = await db.artifact.findUnique({ where: { id: artifactId } });
      if (row?.status !== "complete") return null;
      return { artifact: toArtifactView(row), storageKey: row.storageKey };
    },
  };
}
