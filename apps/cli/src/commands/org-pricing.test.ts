import { describe, expect, it } from "vitest";

import { pricingInput } from "./org-pricing";

describe("eyeball orgs pricing options", () => {
  it("takes a price or --default, and optionally a share", () => {
    expect(pricingInput({ org: "acme", usdPerSecond: "0.0025" })).toEqual({ usdPerSecond: 0.0025 });
    expect(pricingInput({ org: "acme", default: true })).toEqual({ usdPerSecond: null });
    expect(pricingInput({ org: "acme", usdPerSecond: "1", testerShareBps: "6500" })).toEqual({
      usdPerSecond: 1,
      testerShareBps: 6500,
    });
    expect(pricingInput({ org: "acme", default: true, testerShareBps: "default" })).toEqual({
      usdPerSecond: null,
      testerShareBps: null,
    });
  });

  it("refuses bad or missing values, naming the option", () => {
    expect(() => pricingInput({ org: "acme" })).toThrow(/^--usd-per-second: give either/);
    expect(() => pricingInput({ org: "acme", usdPerSecond: "0.002", default: true })).toThrow(
      /^--usd-per-second: /,
    );
    expect(() => pricingInput({ org: "acme", usdPerSecond: "-1" })).toThrow(
      /^--usd-per-second: must be a decimal/,
    );
    expect(() => pricingInput({ org: "acme", usdPerSecond: "0" })).toThrow(
      /^--usd-per-second: must be more than 0/,
    );
    expect(() => pricingInput({ org: "acme", usdPerSecond: "1.5" })).toThrow(
      /^--usd-per-second: must be at most 1/,
    );
    expect(() => pricingInput({ org: "acme", usdPerSecond: "0.0000001" })).toThrow(/6 decimals/);
    expect(() => pricingInput({ org: "acme", default: true, testerShareBps: "10001" })).toThrow(
      /^--tester-share-bps: /,
    );
  });
});
