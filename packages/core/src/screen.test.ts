import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import { SCREEN_BOUNDS, SCREEN_PRESETS, resolveScreenSize, screenSizeInputSchema } from "./screen";

describe("screen sizes", () => {
  it.each([
    ["desktop", 1920, 1080],
    ["laptop", 1366, 768],
    ["tablet", 768, 1024],
    ["mobile", 375, 667],
  ] as const)("%s is %i×%i", (preset, width, height) => {
    expect(SCREEN_PRESETS[preset]).toEqual({ width, height });
    expect(resolveScreenSize(preset)).toEqual({ preset, width, height });
  });

  it("defaults to desktop and accepts custom sizes", () => {
    expect(resolveScreenSize()).toEqual({ preset: "desktop", width: 1920, height: 1080 });
    expect(resolveScreenSize({ width: 1440, height: 900 })).toEqual({
      preset: "custom",
      width: 1440,
      height: 900,
    });
    expect(resolveScreenSize({ width: 320, height: 320 })).toEqual({
      preset: "custom",
      width: 320,
      height: 320,
    });
    expect(resolveScreenSize({ width: 7680, height: 4320 })).toEqual({
      preset: "custom",
      width: 7680,
      height: 4320,
    });
  });

  it.each([
    ["phone", "screenSize: must be one of desktop, laptop, tablet, mobile or {width, height}"],
    [42, "screenSize: must be one of desktop, laptop, tablet, mobile or {width, height}"],
    [{ width: 319, height: 800 }, "screenSize.width: must be an integer between 320 and 7680 pixels"],
    [{ width: 1440.5, height: 800 }, "screenSize.width: must be an integer between 320 and 7680 pixels"],
    [{ width: 1440, height: 5000 }, "screenSize.height: must be an integer between 320 and 4320 pixels"],
    [{ width: 1440 }, "screenSize.height: is required"],
    [{ width: "1440", height: 900 }, "screenSize.width: must be an integer between 320 and 7680 pixels"],
    [{ width: 1440, height: 900, depth: 2 }, "screenSize.depth: is not a known field"],
  ])("refuses %j with a message naming the field", (input, message) => {
    expectDomainError(() => resolveScreenSize(input), "VALIDATION", message);
  });

  it("accepts exactly the integers inside the bounds (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (width, height) => {
          const ok =
            width >= SCREEN_BOUNDS.width.min &&
            width <= SCREEN_BOUNDS.width.max &&
            height >= SCREEN_BOUNDS.height.min &&
            height <= SCREEN_BOUNDS.height.max;
          expect(screenSizeInputSchema.safeParse({ width, height }).success).toBe(ok);
          if (ok) expect(resolveScreenSize({ width, height })).toEqual({ preset: "custom", width, height });
        },
      ),
    );
  });
});
