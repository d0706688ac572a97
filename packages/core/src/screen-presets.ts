// Screen presets, bounds and labels: plain data with no validation library, so a page that only shows screen sizes
// (the portal's first load) does not pull in zod. screen.ts validates and resolves input against these.

/** run(human) presets, in pixels (width × height). */
export const SCREEN_PRESETS = {
  desktop: { width: 1920, height: 1080 },
  laptop: { width: 1366, height: 768 },
  tablet: { width: 768, height: 1024 },
  mobile: { width: 375, height: 667 },
} as const;
export type ScreenPreset = keyof typeof SCREEN_PRESETS;
export const SCREEN_PRESET_NAMES = Object.keys(SCREEN_PRESETS) as ScreenPreset[];
export const DEFAULT_SCREEN_PRESET: ScreenPreset = "desktop";

/**
 * Custom viewport bounds. 320 px is the narrowest phone in use and the WCAG reflow width; 7680×4320
 * is 8K, beyond which a recorded video is unplayable. Height may be anything a landscape phone has.
 */
export const SCREEN_BOUNDS = {
  width: { min: 320, max: 7680 },
  height: { min: 320, max: 4320 },
} as const;

export interface ResolvedScreenSize {
  readonly preset: ScreenPreset | "custom";
  readonly width: number;
  readonly height: number;
}

/** A screen size as people read it: "Mobile 375×667", "Custom 1000×700". */
export function screenLabel(screen: { preset: string; width: number; height: number }): string {
  const name =
    screen.preset === "custom"
      ? "Custom"
      : `${screen.preset.charAt(0).toUpperCase()}${screen.preset.slice(1)}`;
  return `${name} ${screen.width}×${screen.height}`;
}
