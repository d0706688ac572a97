// The constant-frame-rate writer and the ffmpeg check, against the real ffmpeg.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ffmpegAvailable } from "../src/index";
import { startVideoWriter } from "../src/video-writer";
import { ffprobe } from "./harness";

const run = promisify(execFile);
const check = await ffmpegAvailable();
const describeVideo = check.available ? describe : describe.skip;
if (!check.available)
  console.warn(`Skipping the video writer tests: ${check.reason ?? "ffmpeg is unavailable"}`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "eyeball-video-test-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function jpeg(color: string): Promise<Buffer> {
  const file = path.join(dir, `${color}.jpg`);
  await run("ffmpeg", [
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `color=${color}:s=64x48`,
    "-frames:v",
    "1",
    file,
  ]);
  return readFileSync(file);
}

/** RGB of one pixel of frame `n`, scaled down to 1×1. */
async function frameColor(file: string, n: number): Promise<number[]> {
  const { stdout } = await run(
    "ffmpeg",
    [
      "-v",
      "error",
      "-i",
      file,
      "-vf",
      `select=eq(n\\,${n}),scale=1:1`,
      "-frames:v",
      "1",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-",
    ],
    { encoding: "buffer" },
  );
  return [...stdout.subarray(0, 3)];
}

describeVideo("startVideoWriter", () => {
  it("repeats frames on the clock so a rarely repainting page yields its real duration", async () => {
    const [red, blue] = await Promise.all([jpeg("red"), jpeg("blue")]);
    let clock = 10_000;
    const file = path.join(dir, "cfr.webm");
    const writer = startVideoWriter({
      path: file,
      width: 161,
      height: 99,
      fps: 25,
      ffmpegPath: "ffmpeg",
      now: () => clock,
    });
    writer.addFrame(red, 10_000);
    clock = 10_500;
    writer.addFrame(blue, 10_500);
    clock = 11_000;
    const result = await writer.stop();
    expect(result.error).toBeUndefined();
    expect(result.video).toEqual({
      path: file,
      width: 161,
      height: 99,
      contentType: "video/webm",
      frames: 25,
      capturedFrames: 2,
      fps: 25,
      durationMs: 1000,
    });
    const probed = await ffprobe(file);
    expect(probed).toEqual({ width: 161, height: 99, frames: 25, durationMs: 1000 });
    // Frames 0–11 are the red frame (0–480 ms), 12 on the blue one.
    const [r11, , b11] = await frameColor(file, 11);
    const [r12, , b12] = await frameColor(file, 12);
    expect(r11).toBeGreaterThan(200);
    expect(b11).toBeLessThan(60);
    expect(r12).toBeLessThan(60);
    expect(b12).toBeGreaterThan(200);
    // Stopping again gives the same result.
    expect(await writer.stop()).toBe(result);
  });

  it("rounds a partial last slot up and writes one frame for a very short recording", async () => {
    const red = await jpeg("red");
    let clock = 0;
    const writer = startVideoWriter({
      path: path.join(dir, "short.webm"),
      width: 64,
      height: 48,
      fps: 10,
      ffmpegPath: "ffmpeg",
      now: () => clock,
    });
    writer.addFrame(red, 0);
    clock = 30;
    const result = await writer.stop();
    expect(result.video).toMatchObject({ frames: 1, durationMs: 100 });
  });

  it("reports no video when no frame ever arrived", async () => {
    const writer = startVideoWriter({
      path: path.join(dir, "none.webm"),
      width: 64,
      height: 48,
      fps: 25,
      ffmpegPath: "ffmpeg",
      now: Date.now,
    });
    expect(await writer.stop()).toEqual({ video: null, error: "Chromium delivered no video frames" });
  });
});

describe("ffmpegAvailable", () => {
  it.runIf(check.available)("finds Debian's ffmpeg with libvpx", async () => {
    expect(await ffmpegAvailable()).toEqual({ available: true });
  });

  it("explains a missing binary", async () => {
    expect(await ffmpegAvailable(path.join(tmpdir(), "definitely-no-ffmpeg"))).toEqual({
      available: false,
      reason: expect.stringMatching(
        /^ffmpeg was not found at .*definitely-no-ffmpeg: install it to record video\.$/,
      ) as unknown,
    });
  });

  it("explains a binary that fails or lacks the VP8 encoder", async () => {
    expect(await ffmpegAvailable("/bin/false")).toMatchObject({
      available: false,
      reason: expect.stringContaining("failed to run (exit code 1)") as unknown,
    });
    const fake = path.join(dir, "ffmpeg-without-vpx");
    writeFileSync(
      fake,
      '#!/bin/sh\nif [ "$2" = "-version" ]; then echo "ffmpeg version 6.0"; else echo " V....D libx264  H.264"; fi\n',
    );
    chmodSync(fake, 0o755);
    expect(await ffmpegAvailable(fake)).toMatchObject({
      available: false,
      reason: expect.stringContaining("no libvpx") as unknown,
    });
  });
});
