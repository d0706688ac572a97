import { describe, expect, it } from "vitest";

import { formatCountdown, formatDuration, formatMonth, formatUsd, screenLabel } from "./format";

describe("formatUsd", () => {
  it("shows micro-dollars exactly, with at least cents", () => {
    expect(formatUsd(396_000)).toBe("$0.396");
    expect(formatUsd(1_800_000)).toBe("$1.80");
    expect(formatUsd(1800)).toBe("$0.0018");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(1_234_567_891)).toBe("$1,234.567891");
    expect(formatUsd(-500_000)).toBe("−$0.50");
  });
});

describe("formatCountdown", () => {
  it("counts down in minutes and seconds, hours when needed, and shows overtime", () => {
    expect(formatCountdown(245_000)).toBe("4:05");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(999)).toBe("0:00");
    expect(formatCountdown(-12_500)).toBe("−0:12");
  });
});

describe("screenLabel", () => {
  it("names presets and custom sizes", () => {
    expect(screenLabel({ preset: "mobile", width: 375, height: 667 })).toBe("Mobile 375×667");
    expect(screenLabel({ preset: "custom", width: 1000, height: 700 })).toBe("Custom 1000×700");
  });
});

describe("formatDuration", () => {
  it("shows seconds worked in the largest sensible units", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(725)).toBe("12 min 5 s");
    expect(formatDuration(3720)).toBe("1 h 02 min");
    expect(formatDuration(-3)).toBe("0 s");
  });
});

describe("formatMonth", () => {
  it("names the month and leaves a malformed value as it is", () => {
    expect(formatMonth("2026-12")).toMatch(/2026/);
    expect(formatMonth("2026-12")).not.toBe("2026-12");
    expect(formatMonth("soon")).toBe("soon");
  });
});
