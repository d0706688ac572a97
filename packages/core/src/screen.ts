// Screen sizes: the reference presets or a custom viewport, resolved to exact pixels.
import { z } from "zod";

import { parseOrThrow } from "./zod-error";

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

function dimension(name: "width" | "height") {
  const { min, max } = SCREEN_BOUNDS[name];
  const message = `must be an integer between ${min} and ${max} pixels`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? "is required" : message) })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

export const customScreenSizeSchema = z.strictObject({
  width: dimension("width"),
  height: dimension("height"),
});
export type CustomScreenSize = z.infer<typeof customScreenSizeSchema>;

export const screenPresetSchema = z.enum(SCREEN_PRESET_NAMES as [ScreenPreset, ...ScreenPreset[]], {
  error: `must be one of ${SCREEN_PRESET_NAMES.join(", ")} or {width, height}`,
});

export const screenSizeInputSchema = z.union([screenPresetSchema, customScreenSizeSchema], {
  error: `must be one of ${SCREEN_PRESET_NAMES.join(", ")} or {width, height}`,
});
export type ScreenSizeInput = z.infer<typeof screenSizeInputSchema>;

export interface ResolvedScreenSize {
  readonly preset: ScreenPreset | "custom";
  readonly width: number;
  readonly height: number;
}

/** Exact pixels for a preset name or custom size; invalid input is DomainError VALIDATION naming `screenSize`. */
export function resolveScreenSize(input: unknown = DEFAULT_SCREEN_PRESET): ResolvedScreenSize {
  const parsed = parseOrThrow(z.object({ screenSize: screenSizeInputSchema }), {
    screenSize: input,
  }).screenSize;
  if (typeof parsed === "string") return { preset: parsed, ...SCREEN_PRESETS[parsed] };
  return { preset: "custom", width: parsed.width, height: parsed.height };
}

/** A screen size as people read it: "Mobile 375×667", "Custom 1000×700". */
export function screenLabel(screen: { preset: string; width: number; height: number }): string {
  const name =
    screen.preset === "custom"
      ? "Custom"
      : `${screen.preset.charAt(0).toUpperCase()}${screen.preset.slice(1)}`;
  return `${name} ${screen.width}×${screen.height}`;
}
