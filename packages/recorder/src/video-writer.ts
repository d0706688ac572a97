// A constant-frame-rate WebM writer: JPEG frames in, one ffmpeg child encoding VP8 out.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { rm } from "node:fs/promises";

import { type VideoResult } from "./types";

export interface VideoWriterOptions {
  path: string;
  width: number;
  height: number;
  fps: number;
  ffmpegPath: string;
  now: () => number;
  /** Epoch ms the video starts at (the recording's start); default now(). */
  startedAt?: number;
}

export interface VideoWriterResult {
  video: VideoResult | null;
  error?: string;
}

export interface VideoWriter {
  /** A frame Chromium captured at `timestampMs` (epoch ms). */
  addFrame(jpeg: Buffer, timestampMs: number): void;
  /** Pads the file to `endMs` (default now()), closes ffmpeg's input and waits for it to exit. Idempotent. */
  stop(endMs?: number): Promise<VideoWriterResult>;
}

/** How long ffmpeg may take to finish after its input closes before it is killed. */
const FINISH_TIMEOUT_MS = 60_000;
const STDERR_TAIL = 2_000;

export function ffmpegArgs(options: Pick<VideoWriterOptions, "path" | "width" | "height" | "fps">): string[] {
  const fps = String(options.fps);
  return [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "image2pipe",
    "-framerate",
    fps,
    "-c:v",
    "mjpeg",
    "-i",
    "-",
    // Frames arrive at whatever size the window shows (smaller when displayScale < 1): scale to the exact viewport.
    "-vf",
    `scale=${options.width}:${options.height}:flags=bicubic,setsar=1`,
    "-c:v",
    "libvpx",
    "-deadline",
    "realtime",
    "-cpu-used",
    "8",
    "-b:v",
    "1M",
    "-pix_fmt",
    "yuv420p",
    "-r",
    fps,
    "-f",
    "webm",
    options.path,
  ];
}

/**
 * Starts ffmpeg and a timer. Output frame n covers [start + n/fps, start + (n+1)/fps): each slot holds
 * the newest frame captured before it, so a page that repaints rarely still yields a video of the real
 * duration (Chromium's screencast sends frames only when something changes).
 */
export function startVideoWriter(options: VideoWriterOptions): VideoWriter {
  const { fps, now } = options;
  const slotMs = 1000 / fps;
  const startedAt = options.startedAt ?? now();
  let written = 0;
  let captured = 0;
  let last: Buffer | null = null;
  let failure: string | undefined;
  let stderr = "";
  let stopping: Promise<VideoWriterResult> | undefined;

  let child: ChildProcessWithoutNullStreams | null = null;
  let exited: Promise<number | null>;
  try {
    const proc = spawn(options.ffmpegPath, ffmpegArgs(options), { stdio: ["pipe", "pipe", "pipe"] });
    child = proc;
    exited = new Promise((resolve) => {
      proc.on("error", (error: NodeJS.ErrnoException) => {
        failure ??=
          error.code === "ENOENT"
            ? `ffmpeg was not found at ${options.ffmpegPath}`
            : `ffmpeg could not start: ${error.message}`;
        resolve(null);
      });
      proc.on("close", (code) => {
        if (code !== 0) failure ??= `ffmpeg exited with code ${String(code)}`;
        resolve(code);
      });
    });
    // A dying ffmpeg closes its input: EPIPE is reported through the exit code, not thrown.
    proc.stdin.on("error", () => undefined);
    proc.stdout.resume();
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
  } catch (error) {
    failure = `ffmpeg could not start: ${error instanceof Error ? error.message : String(error)}`;
    exited = Promise.resolve(null);
  }

  const slotAt = (timeMs: number): number => Math.max(0, Math.floor((timeMs - startedAt) / slotMs));

  function write(frame: Buffer): void {
    written += 1;
    if (child && !failure && child.stdin.writable) child.stdin.write(frame);
  }

  /** Repeats the current frame into every slot that has fully begun before `timeMs`. */
  function fillTo(timeMs: number): void {
    if (!last) return;
    const target = slotAt(timeMs);
    while (written < target) write(last);
  }

  const timer = setInterval(() => {
    fillTo(now());
  }, slotMs);
  timer.unref();

  return {
    addFrame(jpeg, timestampMs) {
      if (stopping || failure) return;
      captured += 1;
      // The first frame also stands for the moments before it arrived, so the video starts at the recording's start.
      if (!last) last = jpeg;
      fillTo(timestampMs);
      last = jpeg;
    },

    stop(endMs) {
      stopping ??= (async (): Promise<VideoWriterResult> => {
        clearInterval(timer);
        const end = endMs ?? now();
        fillTo(end);
        // A slot that has begun counts (the video rounds the duration up), so any recording has a frame.
        if (last && (written === 0 || end - startedAt > written * slotMs)) write(last);
        if (written === 0) {
          // Nothing to encode: an empty input would only make ffmpeg fail.
          const earlier = failure;
          child?.kill("SIGKILL");
          await exited;
          return { video: null, error: earlier ?? "Chromium delivered no video frames" };
        }
        child?.stdin.end();
        const proc = child;
        const killTimer = setTimeout(() => {
          failure ??= `ffmpeg did not finish within ${FINISH_TIMEOUT_MS / 1000} s`;
          proc?.kill("SIGKILL");
        }, FINISH_TIMEOUT_MS);
        await exited;
        clearTimeout(killTimer);
        if (failure) {
          // A half-written file is not a video: leave nothing that could be uploaded as one.
          await rm(options.path, { force: true }).catch(() => undefined);
          const tail = stderr.trim().split("\n").slice(-3).join(" | ");
          return { video: null, error: tail ? `${failure}: ${tail}` : failure };
        }
        return {
          video: {
            path: options.path,
            width: options.width,
            height: options.height,
            contentType: "video/webm",
            frames: written,
            capturedFrames: captured,
            fps,
            durationMs: Math.round((written * 1000) / fps),
          },
        };
      })();
      return stopping;
    },
  };
}
