// The LLM extractor against loopback stand-ins of the providers' HTTP APIs: real SDK, real HTTP, no mocks.
import { afterEach, describe, expect, it } from "vitest";

import {
  startProviderStandIn,
  type ModelReply,
  type ProviderStandIn,
  type RecordedRequest,
} from "../../test/provider-stand-ins";
import { finalizeExtraction } from "../finalize";
import type { ExtractionInput, Extractor } from "../types";
import { LlmExtractionError } from "./errors";
import { createFallbackExtractor } from "./fallback-extractor";
import type { LlmExtractorConfig, LlmProvider } from "./language-model";
import { createLlmExtractor } from "./llm-extractor";

const checkout: ExtractionInput = {
  outputSchema: {
    orderPlaced: { type: "boolean", description: "Whether the tester successfully placed the order" },
    confirmationNumber: {
      type: "string",
      description: "The order confirmation number shown after checkout",
      example: "AB12-3456",
    },
    itemCount: { type: "number", description: "How many items were in the cart at checkout" },
  },
  testerResponse:
    "Added two hoodies to the cart, the card was declined once, then the order went through with confirmation #A1B2-7745. Done.",
  additionalValidationInstructions:
    "If the tester mentions payment errors, mark orderPlaced as false even if they eventually succeeded.",
  repoContext: "# Acme Shop\nThe storefront for Acme; checkout runs on the Zephyr payment gateway.",
};

const goodAnswer = {
  explanation: "A card was declined, then the order was placed (A1B2-7745) with two items.",
  data: { orderPlaced: false, confirmationNumber: "A1B2-7745", itemCount: 2 },
};

interface ProviderCase {
  provider: LlmProvider;
  model: string;
  path: string;
  /** How the provider must carry the API key. */
  assertKey(request: RecordedRequest, key: string): void;
}

const providers: ProviderCase[] = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    path: "/v1/responses",
    assertKey: (request, key) => {
      expect(request.headers.authorization).toBe(`Bearer ${key}`);
    },
  },
  {
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    path: "/v1/messages",
    assertKey: (request, key) => {
      expect(request.headers["x-api-key"]).toBe(key);
      expect(request.headers["anthropic-version"]).toBeDefined();
      expect(request.headers.authorization).toBeUndefined();
    },
  },
  {
    provider: "openai-compatible",
    model: "llama3.1:8b",
    path: "/v1/chat/completions",
    assertKey: (request, key) => {
      expect(request.headers.authorization).toBe(`Bearer ${key}`);
    },
  },
];

/** Stands in for the built-in extractor: it marks its results so a test can tell who answered. */
const markerFallback: Extractor = {
  name: "marker",
  extract: (input) => Promise.resolve(finalizeExtraction(input, {}, "fallback answered")),
};

let standIn: ProviderStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function setUp(
  provider: ProviderCase,
  reply: (request: RecordedRequest) => ModelReply,
  overrides: Partial<LlmExtractorConfig> = {},
): Promise<{ server: ProviderStandIn; extractor: Extractor }> {
  const server = await startProviderStandIn(reply);
  standIn = server;
  const extractor = createLlmExtractor({
    provider: provider.provider,
    model: provider.model,
    apiKey: "sk-test-123",
    baseURL: server.baseURL,
    timeoutMs: 5_000,
    maxRetries: 0,
    ...overrides,
  });
  return { server, extractor };
}

describe.each(providers)("createLlmExtractor with $provider", (provider) => {
  it("sends the fields, the integrator's rules and the repo context, with the key as the provider expects", async () => {
    const { server, extractor } = await setUp(provider, () => ({ json: goodAnswer }));

    const result = await extractor.extract(checkout);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(provider.path);
    provider.assertKey(request!, "sk-test-123");
    expect(request!.body.model).toBe(provider.model);
    const sent = request!.rawBody;
    expect(sent).toContain("Whether the tester successfully placed the order");
    expect(sent).toContain("The order confirmation number shown after checkout");
    expect(sent).toContain("AB12-3456");
    expect(sent).toContain("mark orderPlaced as false even if they eventually succeeded");
    expect(sent).toContain("Zephyr payment gateway");
    expect(sent).toContain("confirmation #A1B2-7745");
    // The answer's JSON schema travels with the request: one nullable property per field.
    expect(sent).toContain('"confirmationNumber"');
    expect(sent).toContain('"explanation"');

    expect(result).toEqual({
      final: true,
      status: "completed",
      result: { success: true, explanation: goodAnswer.explanation, data: goodAnswer.data },
    });
  });

  it("turns wrong-typed values into null, missing fields into null and drops extra keys", async () => {
    const { extractor } = await setUp(provider, () => ({
      json: { explanation: "Mixed answer.", data: { orderPlaced: "yes", itemCount: 2, surprise: "extra" } },
    }));

    const result = await extractor.extract(checkout);

    expect(result.result.data).toEqual({ orderPlaced: null, confirmationNumber: null, itemCount: 2 });
    expect(result.status).toBe("incomplete");
    expect(result.result.success).toBe(false);
  });

  it("keeps a response that is not final not_final, whatever the model claims", async () => {
    const { extractor } = await setUp(provider, () => ({
      json: {
        explanation: "Everything is fine and the tester is done.",
        data: goodAnswer.data,
        final: true,
        status: "completed",
      },
    }));

    const result = await extractor.extract({
      ...checkout,
      testerResponse:
        "Order went through, confirmation #A1B2-7745. Done with the cart, moving on to payment now",
    });

    expect(result.final).toBe(false);
    expect(result.status).toBe("not_final");
    expect(result.result.success).toBe(false);
    expect(result.result.data).toEqual(goodAnswer.data);
  });

  it("fails with a typed error on HTTP 500, and the fallback extractor answers instead", async () => {
    const { server, extractor } = await setUp(provider, () => ({ status: 500 }));

    const failure = await extractor.extract(checkout).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LlmExtractionError);
    expect((failure as LlmExtractionError).code).toBe("REQUEST_FAILED");
    expect((failure as LlmExtractionError).statusCode).toBe(500);

    const seen: unknown[] = [];
    const withFallback = createFallbackExtractor(extractor, markerFallback, {
      onFallback: (error) => seen.push(error),
    });
    const result = await withFallback.extract(checkout);
    expect(result.result.explanation).toBe("fallback answered");
    expect(seen).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it("fails with MALFORMED_OUTPUT when the answer is not JSON, and falls back", async () => {
    const { extractor } = await setUp(provider, () => ({ text: "Sure! The order was placed." }));

    await expect(extractor.extract(checkout)).rejects.toMatchObject({ code: "MALFORMED_OUTPUT" });
    const result = await createFallbackExtractor(extractor, markerFallback).extract(checkout);
    expect(result.result.explanation).toBe("fallback answered");
  });
});

describe("createLlmExtractor", () => {
  const openai = providers[0]!;

  it("retries a failed call as many times as configured", async () => {
    const { server, extractor } = await setUp(openai, () => ({ status: 503, retryAfterMs: 1 }), {
      maxRetries: 2,
    });

    await expect(extractor.extract(checkout)).rejects.toMatchObject({ code: "REQUEST_FAILED" });
    expect(server.requests).toHaveLength(3);
  });

  it("fails with TIMEOUT when the provider does not answer in time", async () => {
    const { extractor } = await setUp(openai, () => ({ hang: true }), { timeoutMs: 200 });

    await expect(extractor.extract(checkout)).rejects.toMatchObject({ code: "TIMEOUT" });
  });

  it("does not fall back when the caller aborted", async () => {
    const { extractor } = await setUp(openai, () => ({ hang: true }));
    const controller = new AbortController();
    const pending = createFallbackExtractor(extractor, markerFallback).extract(checkout, {
      signal: controller.signal,
    });
    controller.abort();

    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("reads a JSON answer wrapped in a code fence", async () => {
    const compatible = providers[2]!;
    const { extractor } = await setUp(compatible, () => ({
      text: "```json\n" + JSON.stringify(goodAnswer) + "\n```",
    }));

    const result = await extractor.extract(checkout);

    expect(result.result.data).toEqual(goodAnswer.data);
  });

  it("maps arrays and object entries, and answers {} for a case without a schema", async () => {
    const input: ExtractionInput = {
      outputSchema: {
        issues: { type: "array", description: "Layout issues found" },
        viewportResults: {
          type: "object",
          description:
            "Whether the layout looked correct at each size, with boolean keys mobile, tablet and desktop",
        },
      },
      testerResponse: "Mobile menu overlaps the logo; tablet and desktop fine. Done",
    };
    const { server, extractor } = await setUp(openai, (request) =>
      request.rawBody.includes("viewportResults")
        ? {
            json: {
              explanation: "One issue on mobile.",
              data: {
                issues: ["Mobile menu overlaps the logo"],
                viewportResults: [
                  { key: "mobile", value: false },
                  { key: "tablet", value: true },
                  { key: "desktop", value: true },
                ],
              },
            },
          }
        : { json: { explanation: "Looked around.", data: {} } },
    );

    const result = await extractor.extract(input);
    expect(result.result.data).toEqual({
      issues: ["Mobile menu overlaps the logo"],
      viewportResults: { mobile: false, tablet: true, desktop: true },
    });
    expect(result.status).toBe("completed");

    const bare = await extractor.extract({ testerResponse: "Clicked around the dashboard. done" });
    expect(bare).toEqual({
      final: true,
      status: "completed",
      result: { success: true, explanation: "Looked around.", data: {} },
    });
    expect(server.requests).toHaveLength(2);
  });

  it("sends a strict JSON schema to the openai-compatible server", async () => {
    const compatible = providers[2]!;
    const { server, extractor } = await setUp(compatible, () => ({ json: goodAnswer }), {
      apiKey: undefined,
    });

    await extractor.extract(checkout);

    const [request] = server.requests;
    expect(request!.headers.authorization).toBeUndefined();
    const format = request!.body.response_format as {
      type: string;
      json_schema: { schema: { required: string[] } };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.schema.required).toEqual(["explanation", "data"]);
  });
});
