// Choosing the extractor from the environment: built-in by default, LLM with the built-in behind it when configured.
import { afterEach, describe, expect, it } from "vitest";

import { startProviderStandIn, type ProviderStandIn } from "../test/provider-stand-ins";
import { ExtractionConfigError } from "./config";
import { selectExtractor } from "./select";

let standIn: ProviderStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const input = {
  outputSchema: { works: { type: "boolean" as const, description: "Whether it works" } },
  testerResponse: "It works. done",
};

describe("selectExtractor", () => {
  it("gives the built-in extractor with no configuration, which needs no network", async () => {
    const extractor = selectExtractor({});
    expect(extractor.name).toBe("builtin");
    const result = await extractor.extract(input);
    expect(result.final).toBe(true);
    expect(Object.keys(result.result.data)).toEqual(["works"]);
  });

  it("gives the LLM extractor, falling back to the built-in one when the provider fails", async () => {
    let fail = false;
    const server = await startProviderStandIn(() =>
      fail ? { status: 500 } : { json: { explanation: "LLM says it works.", data: { works: true } } },
    );
    standIn = server;
    const fallbacks: unknown[] = [];
    const extractor = selectExtractor(
      {
        EYEBALL_EXTRACTOR: "llm",
        EYEBALL_LLM_PROVIDER: "anthropic",
        EYEBALL_LLM_MODEL: "claude-sonnet-4-5",
        ANTHROPIC_API_KEY: "sk-ant-test",
        EYEBALL_LLM_BASE_URL: server.baseURL,
        EYEBALL_LLM_MAX_RETRIES: "0",
      },
      { onFallback: (error) => fallbacks.push(error) },
    );
    expect(extractor.name).toBe("llm:anthropic/claude-sonnet-4-5 (fallback builtin)");

    expect((await extractor.extract(input)).result.explanation).toBe("LLM says it works.");
    expect(server.requests[0]!.headers["x-api-key"]).toBe("sk-ant-test");

    fail = true;
    const fallen = await extractor.extract(input);
    expect(fallen.result.explanation).not.toBe("LLM says it works.");
    expect(fallen.final).toBe(true);
    expect(fallbacks).toHaveLength(1);
  });

  it("throws a configuration error naming the variable", () => {
    expect(() => selectExtractor({ EYEBALL_EXTRACTOR: "llm" })).toThrow(ExtractionConfigError);
    expect(() => selectExtractor({ EYEBALL_EXTRACTOR: "llm" })).toThrow(/EYEBALL_LLM_PROVIDER/);
  });
});
