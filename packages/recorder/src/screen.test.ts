import { describe, expect, it } from "vitest";

import { fitScale, SCREEN_PRESETS } from "./screen";

describe("SCREEN_PRESETS", () => {
  it("has the reference sizes", () => {
    expect(SCREEN_PRESETS).toEqual({
      desktop: { width: 1920, height: 1080 },
      laptop: { width: 1366, height: 768 },
      tablet: { width: 768, height: 1024 },
      mobile: { width: 375, height: 667 },
    });
  });
});

describe("fitScale", () => {
  it.each([
    // viewport, display, scale
    [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }, 1],
    [{ width: 1920, height: 1080 }, { width: 1920, height: 1080 }, 1],
    [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }, 0.71],
    [{ width: 768, height: 1024 }, { width: 1366, height: 768 }, 0.75],
    [{ width: 1000, height: 700 }, { width: 500, height: 1000 }, 0.5],
    [{ width: 1000, height: 700 }, { width: 2000, height: 203 }, 0.29],
    [{ width: 7680, height: 4320 }, { width: 375, height: 667 }, 0.1],
  ])("fits %o into %o at %d", (viewport, display, scale) => {
    expect(fitScale(viewport, display)).toBe(scale);
  });

  it("never returns a scale at which the viewport overflows the display", () => {
    for (let w = 320; w <= 4000; w += 97) {
      for (const display of [
        { width: 1280, height: 720 },
        { width: 1440, height: 900 },
        { width: 333, height: 777 },
      ]) {
        const viewport = { width: w, height: Math.round(w * 0.6) };
        const scale = fitScale(viewport, display);
        expect(scale).toBeLessThanOrEqual(1);
        if (scale > 0.1) {
          expect(viewport.width * scale).toBeLessThanOrEqual(display.width);
          expect(viewport.height * scale).toBeLessThanOrEqual(display.height);
        }
        expect(Math.round(scale * 100)).toBeCloseTo(scale * 100, 9);
      }
    }
  });

  it("falls back to the minimum for an empty display and rejects an empty viewport", () => {
    expect(fitScale({ width: 800, height: 600 }, { width: 0, height: 0 })).toBe(0.1);
    expect(() => fitScale({ width: 0, height: 600 }, { width: 800, height: 600 })).toThrow(/viewport/);
  });
});
