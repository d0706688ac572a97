import { describe, expect, it } from "vitest";

import { RecorderOptionsError } from "./options";
import { startRecording } from "./recorder";
import { type CdpTransport, type RecorderOptions } from "./types";

/** A transport that only counts: invalid options must fail before anything is sent to the page. */
function countingTransport(): CdpTransport & { calls: number } {
  const transport = {
    calls: 0,
    send() {
      transport.calls += 1;
      return Promise.resolve({});
    },
    on() {
      transport.calls += 1;
    },
    off() {
      transport.calls += 1;
    },
  };
  return transport;
}

const viewport = { width: 1366, height: 768 };

describe("startRecording options", () => {
  it.each<[string, unknown, RegExp]>([
    ["no viewport", {}, /option viewport: is required/],
    [
      "a zero width",
      { viewport: { width: 0, height: 768 } },
      /viewport\.width: must be a positive integer of at most 7680 pixels \(got 0\)/,
    ],
    [
      "a fractional height",
      { viewport: { width: 1366, height: 767.5 } },
      /viewport\.height: .*\(got 767\.5\)/,
    ],
    ["an 8K+ width", { viewport: { width: 7681, height: 768 } }, /viewport\.width: .*at most 7680/],
    ["a string width", { viewport: { width: "1366", height: 768 } }, /viewport\.width: .*\(got "1366"\)/],
    [
      "displayScale 0",
      { viewport, displayScale: 0 },
      /displayScale: must be a number greater than 0 and at most 1 \(got 0\)/,
    ],
    ["displayScale 1.5", { viewport, displayScale: 1.5 }, /displayScale: .*\(got 1\.5\)/],
    ["displayScale NaN", { viewport, displayScale: Number.NaN }, /displayScale: .*\(got NaN\)/],
    ["a video without path", { viewport, video: {} }, /video\.path: must be a non-empty file path/],
    [
      "video fps 0",
      { viewport, video: { path: "/tmp/x.webm", fps: 0 } },
      /video\.fps: must be an integer from 1 to 60 \(got 0\)/,
    ],
    [
      "navigationTimeoutMs -1",
      { viewport, navigationTimeoutMs: -1 },
      /navigationTimeoutMs: must be a positive number/,
    ],
  ])("rejects %s, naming the field", async (_name, options, message) => {
    const cdp = countingTransport();
    const attempt = startRecording(cdp, options as RecorderOptions);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(RecorderOptionsError);
    expect(cdp.calls).toBe(0);
  });

  it("names the field on the error", async () => {
    const error = await startRecording(countingTransport(), { viewport: { width: 10, height: -1 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "RecorderOptionsError", field: "viewport.height" });
  });
});
