// Screen sizes: the reference presets or a custom viewport, resolved to exact pixels.
import { z } from "zod";

import {
  DEFAULT_SCREEN_PRESET,
  SCREEN_BOUNDS,
  SCREEN_PRESET_NAMES,
  SCREEN_PRESETS,
  type ResolvedScreenSize,
  type ScreenPreset,
} from "./screen-presets";
import { parseOrThrow } from "./zod-error";

export * from "./screen-presets";

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

/** Exact pixels for a preset name or custom size; invalid input is DomainError VALIDATION naming `screenSize`. */
export function resolveScreenSize(input: unknown = DEFAULT_SCREEN_PRESET): ResolvedScreenSize {
  const parsed = parseOrThrow(z.object({ screenSize: screenSizeInputSchema }), {
    screenSize: input,
  }).screenSize;
  if (typeof parsed === "string") return { preset: parsed, ...SCREEN_PRESETS[parsed] };
  return { preset: "custom", width: parsed.width, height: parsed.height };
}
