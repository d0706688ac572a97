// Validation of RecorderOptions, with errors that name the offending field.
import { type RecorderOptions } from "./types";

export const MAX_VIEWPORT_SIDE = 7680;
export const DEFAULT_FPS = 25;
export const MAX_FPS = 60;
export const DEFAULT_NAVIGATION_TIMEOUT_MS = 30_000;

export class RecorderOptionsError extends Error {
  override readonly name = "RecorderOptionsError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Invalid recorder option ${field}: ${message}`);
  }
}

export interface ResolvedOptions {
  width: number;
  height: number;
  displayScale: number;
  screenshotOnLoad: boolean;
  navigationTimeoutMs: number;
  video: { path: string; fps: number; ffmpegPath: string } | null;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function side(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > MAX_VIEWPORT_SIDE) {
    throw new RecorderOptionsError(
      field,
      `must be a positive integer of at most ${MAX_VIEWPORT_SIDE} pixels (got ${show(value)})`,
    );
  }
  return value;
}

export function resolveOptions(options: RecorderOptions): ResolvedOptions {
  // Options come from IPC and job data, so the checks do not trust the static types.
  const raw = options as Partial<RecorderOptions> | undefined;
  if (!raw || typeof raw !== "object") throw new RecorderOptionsError("options", "must be an object");
  const viewport = raw.viewport as Partial<RecorderOptions["viewport"]> | undefined;
  if (!viewport || typeof viewport !== "object") {
    throw new RecorderOptionsError("viewport", "is required ({width, height} in CSS pixels)");
  }
  const width = side("viewport.width", viewport.width);
  const height = side("viewport.height", viewport.height);

  const displayScale = raw.displayScale ?? 1;
  if (
    typeof displayScale !== "number" ||
    !Number.isFinite(displayScale) ||
    displayScale <= 0 ||
    displayScale > 1
  ) {
    throw new RecorderOptionsError(
      "displayScale",
      `must be a number greater than 0 and at most 1 (got ${show(displayScale)})`,
    );
  }

  const navigationTimeoutMs = raw.navigationTimeoutMs ?? DEFAULT_NAVIGATION_TIMEOUT_MS;
  if (typeof navigationTimeoutMs !== "number" || !(navigationTimeoutMs > 0)) {
    throw new RecorderOptionsError(
      "navigationTimeoutMs",
      `must be a positive number of milliseconds (got ${show(navigationTimeoutMs)})`,
    );
  }

  let video: ResolvedOptions["video"] = null;
  if (raw.video !== undefined) {
    const v = raw.video as Partial<NonNullable<RecorderOptions["video"]>> | null;
    if (!v || typeof v !== "object") throw new RecorderOptionsError("video", "must be an object with a path");
    if (typeof v.path !== "string" || v.path.length === 0) {
      throw new RecorderOptionsError("video.path", `must be a non-empty file path (got ${show(v.path)})`);
    }
    const fps = v.fps ?? DEFAULT_FPS;
    if (typeof fps !== "number" || !Number.isInteger(fps) || fps < 1 || fps > MAX_FPS) {
      throw new RecorderOptionsError(
        "video.fps",
        `must be an integer from 1 to ${MAX_FPS} (got ${show(fps)})`,
      );
    }
    const ffmpegPath = v.ffmpegPath ?? "ffmpeg";
    if (typeof ffmpegPath !== "string" || ffmpegPath.length === 0) {
      throw new RecorderOptionsError(
        "video.ffmpegPath",
        `must be a non-empty path (got ${show(ffmpegPath)})`,
      );
    }
    video = { path: v.path, fps, ffmpegPath };
  }

  return {
    width,
    height,
    displayScale,
    screenshotOnLoad: raw.screenshotOnLoad ?? true,
    navigationTimeoutMs,
    video,
  };
}
