// Benchmark: what recording costs a page load (timeline only, timeline + video) and the video frame rate achieved.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Protocol } from "devtools-protocol";

import {
  type CdpTransport,
  ffmpegAvailable,
  SCREEN_PRESETS,
  startRecording,
  type Viewport,
} from "../src/index";
import { ffprobe, launchBrowser, openPage, startFixtureServer } from "../test/harness";

const LOADS = Number(process.env.BENCH_LOADS ?? 15);
const VIDEO_SECONDS = Number(process.env.BENCH_VIDEO_SECONDS ?? 3);
const LOAD_VIEWPORT = SCREEN_PRESETS.laptop;

type Variant = "baseline" | "timeline" | "timeline+video";
const VARIANTS: Variant[] = ["baseline", "timeline", "timeline+video"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Navigates without the recorder: the same viewport override, then Page.navigate → Page.loadEventFired. */
async function plainLoad(cdp: CdpTransport, url: string, viewport: Viewport): Promise<void> {
  await cdp.send("Page.enable");
  await cdp.send("Emulation.setDeviceMetricsOverride", { ...viewport, deviceScaleFactor: 1, mobile: false });
  const loaded = new Promise<void>((resolve) => {
    const onLoad = (): void => {
      cdp.off("Page.loadEventFired", onLoad);
      resolve();
    };
    cdp.on("Page.loadEventFired", onLoad);
  });
  const result = (await cdp.send("Page.navigate", { url })) as Protocol.Page.NavigateResponse;
  if (result.errorText) throw new Error(result.errorText);
  await loaded;
}

async function main(): Promise<void> {
  const ffmpeg = await ffmpegAvailable();
  const browser = await launchBrowser();
  const server = await startFixtureServer();
  const dir = mkdtempSync(path.join(tmpdir(), "eyeball-recorder-bench-"));
  const variants = ffmpeg.available ? VARIANTS : VARIANTS.filter((v) => v !== "timeline+video");
  if (!ffmpeg.available) console.warn(`No video variants: ${ffmpeg.reason ?? "ffmpeg is unavailable"}`);
  try {
    // Warm-up: the first loads of a fresh browser are slower for reasons that are not the recorder's.
    for (let i = 0; i < 2; i++) {
      const { cdp, close } = await openPage(browser);
      await plainLoad(cdp, `${server.origin}/bench`, LOAD_VIEWPORT);
      await close();
    }

    const loadMs: Record<Variant, number[]> = { baseline: [], timeline: [], "timeline+video": [] };
    const pageMs: Record<Variant, number[]> = { baseline: [], timeline: [], "timeline+video": [] };
    for (let i = 0; i < LOADS; i++) {
      for (const variant of variants) {
        const { page, cdp, close } = await openPage(browser);
        const url = `${server.origin}/bench?i=${i}&v=${variant}`;
        let elapsed: number;
        if (variant === "baseline") {
          const t0 = performance.now();
          await plainLoad(cdp, url, LOAD_VIEWPORT);
          elapsed = performance.now() - t0;
        } else {
          const recording = await startRecording(cdp, {
            viewport: LOAD_VIEWPORT,
            ...(variant === "timeline+video" ? { video: { path: path.join(dir, `load-${i}.webm`) } } : {}),
          });
          const t0 = performance.now();
          await recording.navigate(url);
          elapsed = performance.now() - t0;
          await recording.stop();
        }
        loadMs[variant].push(elapsed);
        pageMs[variant].push(
          await page.evaluate<number>('performance.getEntriesByType("navigation")[0].loadEventEnd'),
        );
        await close();
      }
    }

    const base = median(loadMs.baseline);
    console.log(
      `\nPage load of /bench (4 scripts, 4 images, 1 stylesheet) at ${LOAD_VIEWPORT.width}×${LOAD_VIEWPORT.height}, N=${LOADS} each, interleaved`,
    );
    console.log("variant          | median navigate→load (ms) | ratio | median in-page loadEventEnd (ms)");
    console.log("-----------------|---------------------------|-------|---------------------------------");
    for (const variant of variants) {
      const m = median(loadMs[variant]);
      console.log(
        `${variant.padEnd(16)} | ${m.toFixed(1).padStart(25)} | ${(m / base).toFixed(2).padStart(5)} | ${median(pageMs[variant]).toFixed(1).padStart(31)}`,
      );
    }

    if (ffmpeg.available) {
      console.log(`\nVideo on the animating page /anim for ~${VIDEO_SECONDS} s (output 25 fps)`);
      console.log(
        "viewport  | duration (ms) | captured frames | captured fps | output frames | output fps | ffprobe size",
      );
      console.log(
        "----------|---------------|-----------------|--------------|---------------|------------|-------------",
      );
      for (const viewport of [SCREEN_PRESETS.laptop, SCREEN_PRESETS.mobile]) {
        const { close } = await openPage(browser).then(async (opened) => {
          const file = path.join(dir, `anim-${viewport.width}x${viewport.height}.webm`);
          const recording = await startRecording(opened.cdp, {
            viewport,
            screenshotOnLoad: false,
            video: { path: file },
          });
          await recording.navigate(`${server.origin}/anim`);
          await new Promise((resolve) => setTimeout(resolve, VIDEO_SECONDS * 1000));
          const result = await recording.stop();
          const video = result.video;
          if (!video) throw new Error(`No video: ${result.videoError ?? "unknown"}`);
          const probed = await ffprobe(file);
          const seconds = video.durationMs / 1000;
          console.log(
            [
              `${viewport.width}×${viewport.height}`.padEnd(9),
              String(video.durationMs).padStart(13),
              String(video.capturedFrames).padStart(15),
              (video.capturedFrames / seconds).toFixed(1).padStart(12),
              String(video.frames).padStart(13),
              (video.frames / seconds).toFixed(1).padStart(10),
              `${probed.width}×${probed.height}, ${probed.frames} frames`,
            ].join(" | "),
          );
          return opened;
        });
        await close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
