// Screen presets (the same names and sizes as @eyeball/core's) and fitting a viewport onto a display.
import { type Viewport } from "./types";

/** The reference viewports, mirroring `SCREEN_PRESETS` in @eyeball/core (this package does not depend on it). */
export const SCREEN_PRESETS = {
  desktop: { width: 1920, height: 1080 },
  laptop: { width: 1366, height: 768 },
  tablet: { width: 768, height: 1024 },
  mobile: { width: 375, height: 667 },
} as const satisfies Record<string, Viewport>;

export type ScreenPresetName = keyof typeof SCREEN_PRESETS;

/** The smallest display scale the recorder accepts from `fitScale`: below it the page is unreadable anyway. */
export const MIN_FIT_SCALE = 0.1;

/**
 * The largest scale ≤ 1 at which `viewport` fits inside `display` in both dimensions, rounded down to
 * two decimals (so the window never overflows by a pixel), and at least 0.1.
 */
export function fitScale(viewport: Viewport, display: Viewport): number {
  if (!(viewport.width > 0 && viewport.height > 0)) {
    throw new RangeError(
      `fitScale: viewport must have a positive width and height (got ${viewport.width}×${viewport.height})`,
    );
  }
  if (!(display.width > 0 && display.height > 0)) return MIN_FIT_SCALE;
  const exact = Math.min(1, display.width / viewport.width, display.height / viewport.height);
  // The epsilon keeps exact ratios such as 0.29 (stored as 0.28999…) from dropping a hundredth.
  const rounded = Math.floor(exact * 100 + 1e-9) / 100;
  return Math.max(MIN_FIT_SCALE, rounded);
}
