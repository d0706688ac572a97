import { describe, expect, it } from "vitest";

import {
  formatDuration,
  formatRelative,
  formatShortDateTime,
  formatUsd,
  humanize,
  jobName,
  screenLabel,
} from "./format";

describe("formatUsd", () => {
  it("shows exact dollars from micro-dollars, never rounded", () => {
    expect(formatUsd(396_000)).toBe("$0.396");
    expect(formatUsd(1_800_000)).toBe("$1.80");
    expect(formatUsd(1_800)).toBe("$0.0018");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(1_234_567_890)).toBe("$1,234.56789");
    expect(formatUsd(-540_000)).toBe("−$0.54");
  });
});

describe("formatDuration", () => {
  it("reads as seconds, minutes, hours", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(725)).toBe("12 min 5 s");
    expect(formatDuration(3720)).toBe("1 h 02 min");
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  it("says never, just now, minutes and hours ago", () => {
    expect(formatRelative(null, now)).toBe("Never");
    expect(formatRelative(new Date(now - 10_000), now)).toBe("Just now");
    expect(formatRelative(new Date(now - 5 * 60_000), now)).toBe("5 min ago");
    expect(formatRelative(new Date(now - 3 * 3_600_000), now)).toBe("3 h ago");
  });
});

describe("labels", () => {
  it("names screens, statuses and jobs", () => {
    expect(screenLabel({ preset: "mobile", width: 375, height: 667 })).toBe("Mobile 375×667");
    expect(screenLabel({ preset: "custom", width: 800, height: 600 })).toBe("Custom 800×600");
    expect(humanize("in_transit")).toBe("In transit");
    expect(jobName({ title: null, url: "https://shop.example.com/cart" })).toBe("shop.example.com");
    expect(jobName({ title: "Checkout", url: "https://x.test" })).toBe("Checkout");
  });
});

describe("formatShortDateTime", () => {
  it("leaves out this year, keeps others", () => {
    const now = new Date(2026, 5, 1);
    expect(formatShortDateTime(new Date(2026, 2, 4, 9, 5), now)).not.toMatch(/2026/);
    expect(formatShortDateTime(new Date(2025, 2, 4, 9, 5), now)).toMatch(/2025/);
    expect(formatShortDateTime(null, now)).toBe("—");
  });
});
