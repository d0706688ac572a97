import { describe, expect, it } from "vitest";

import {
  activeIndex,
  buildTimeline,
  consoleTone,
  countByKind,
  filterTimeline,
  formatOffset,
  isExactSync,
  isFailedRequest,
  recordingStart,
  seekTime,
  shotTime,
  timelineStart,
  type TimelineKind,
} from "./timeline";

const t0 = Date.parse("2026-12-03T10:00:00.000Z");
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

const recording = {
  consoleMessages: [
    { type: "log", message: "fixture loaded", timestamp: at(0.5) },
    { type: "warning", message: "low stock", timestamp: at(0.6) },
  ],
  networkRequests: [
    { url: "http://site/shop", method: "GET", status: 200, timestamp: at(0.2) },
    { url: "http://site/api/ping", method: "GET", status: 503, timestamp: at(1.25) },
    { url: "http://site/img.png", method: "GET", timestamp: at(3.2) },
  ],
  clicks: [{ x: 100, y: 80, element: "#go", timestamp: at(3.2) }],
  screenshots: [{ createdAt: new Date(t0) }],
};

describe("recordingStart", () => {
  it("is the earliest entry or screenshot, Date or ISO string", () => {
    expect(recordingStart(recording)).toBe(t0);
    expect(recordingStart({ ...recording, screenshots: [] })).toBe(t0 + 200);
  });
  it("is null for an empty recording", () => {
    expect(recordingStart({ consoleMessages: [], networkRequests: [], clicks: [] })).toBeNull();
  });
});

describe("timelineStart", () => {
  it("is the video's frame 0 when the server knows it: an entry's offset is its place in the video", () => {
    // The recorder started 1.5 s before the first network request (the page took that long to start loading).
    const synced = { ...recording, videoStartedAt: at(-1.3) };
    const start = timelineStart(synced);
    expect(start).toBe(t0 - 1300);
    expect(isExactSync(synced)).toBe(true);
    const items = buildTimeline(synced, start);
    // entry time − videoStartedAt, exactly (not counted from the first entry).
    expect(items.map((item) => Number(item.offset.toFixed(3)))).toEqual([1.5, 1.8, 1.9, 2.55, 4.5, 4.5]);
    // Seeking to an entry puts the video exactly there, and that entry is then the current one.
    const ping = items.findIndex((item) => item.kind === "network" && item.status === 503);
    const time = seekTime(items[ping]!.offset, 10);
    expect(time).toBeCloseTo(2.55, 9);
    expect(activeIndex(items, time)).toBe(ping);
    // As it plays on, the mark follows: between two entries the earlier one is current.
    expect(activeIndex(items, 1.85)).toBe(1);
    expect(activeIndex(items, 1.4)).toBe(-1);
    // A Date (a caller that parsed the wire format) works the same.
    expect(timelineStart({ ...recording, videoStartedAt: new Date(t0 - 1300) })).toBe(t0 - 1300);
  });

  it("falls back to the first timeline entry (then screenshots, then 0) for recordings without a video start", () => {
    for (const videoStartedAt of [null, undefined, "not a date"]) {
      const old = { ...recording, videoStartedAt };
      expect(timelineStart(old)).toBe(t0 + 200);
      expect(isExactSync(old)).toBe(false);
    }
    expect(
      timelineStart({
        consoleMessages: [],
        networkRequests: [],
        clicks: [],
        screenshots: [{ createdAt: at(2) }],
      }),
    ).toBe(t0 + 2000);
    expect(timelineStart({ consoleMessages: [], networkRequests: [], clicks: [] })).toBe(0);
  });

  it("places a screenshot at the moment it was taken when known, else when it was stored", () => {
    expect(shotTime({ createdAt: at(9), capturedAt: at(1) })).toBe(t0 + 1000);
    expect(shotTime({ createdAt: at(9), capturedAt: null })).toBe(t0 + 9000);
    expect(shotTime({ createdAt: new Date(t0) })).toBe(t0);
  });
});

describe("buildTimeline", () => {
  const items = buildTimeline(recording);
  it("merges the three kinds in time order with offsets from the start", () => {
    expect(items.map((item) => [item.kind, item.offset])).toEqual([
      ["network", 0.2],
      ["console", 0.5],
      ["console", 0.6],
      ["network", 1.25],
      ["click", 3.2],
      ["network", 3.2],
    ]);
  });
  it("marks failed requests: an error status or none", () => {
    const network = items.filter((item) => item.kind === "network");
    expect(network.map((item) => item.failed)).toEqual([false, true, true]);
    expect(network[2]).toMatchObject({ status: null });
  });
  it("never gives a negative offset, with an explicit start", () => {
    expect(buildTimeline(recording, t0 + 1000)[0]?.offset).toBe(0);
  });
  it("gives each entry a unique id", () => {
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });
  it("filters and counts by kind", () => {
    const kinds = new Set<TimelineKind>(["console"]);
    expect(filterTimeline(items, kinds)).toHaveLength(2);
    expect(countByKind(items)).toEqual({ click: 1, console: 2, network: 3 });
  });
});

describe("activeIndex", () => {
  const items = [{ offset: 0.2 }, { offset: 0.5 }, { offset: 1.25 }, { offset: 3.2 }];
  it("is -1 before the first entry and the last passed entry after", () => {
    expect(activeIndex(items, 0)).toBe(-1);
    expect(activeIndex(items, 0.2)).toBe(0);
    expect(activeIndex(items, 1.0)).toBe(1);
    expect(activeIndex(items, 3.19999)).toBe(3);
    expect(activeIndex(items, 100)).toBe(3);
    expect(activeIndex([], 5)).toBe(-1);
    expect(activeIndex(items, Number.NaN)).toBe(-1);
  });
  it("round-trips: seeking to an entry makes it active", () => {
    for (const [index, item] of items.entries())
      expect(activeIndex(items, seekTime(item.offset))).toBe(index);
  });
});

describe("seekTime", () => {
  it("clamps to zero and to a known duration", () => {
    expect(seekTime(-1)).toBe(0);
    expect(seekTime(3.2)).toBe(3.2);
    expect(seekTime(9, 4)).toBe(4);
    expect(seekTime(9, Number.POSITIVE_INFINITY)).toBe(9);
    expect(seekTime(9, Number.NaN)).toBe(9);
  });
});

describe("formatOffset", () => {
  it("shows minutes, seconds and tenths", () => {
    expect(formatOffset(0)).toBe("0:00.0");
    expect(formatOffset(3.2)).toBe("0:03.2");
    expect(formatOffset(3.29)).toBe("0:03.2");
    expect(formatOffset(725)).toBe("12:05.0");
    expect(formatOffset(3723.4)).toBe("1:02:03.4");
    expect(formatOffset(-2)).toBe("0:00.0");
    expect(formatOffset(Number.NaN)).toBe("0:00.0");
  });
});

describe("isFailedRequest and consoleTone", () => {
  it("classifies", () => {
    expect(isFailedRequest(200)).toBe(false);
    expect(isFailedRequest(304)).toBe(false);
    expect(isFailedRequest(404)).toBe(true);
    expect(isFailedRequest(0)).toBe(true);
    expect(isFailedRequest(undefined)).toBe(true);
    expect(consoleTone("error")).toBe("danger");
    expect(consoleTone("warning")).toBe("warn");
    expect(consoleTone("info")).toBe("info");
    expect(consoleTone("log")).toBe("muted");
  });
});
