// Configuration from an env-like record: defaults, provider keys, and errors that name the variable.
import { describe, expect, it } from "vitest";

import { ExtractionConfigError, loadExtractionConfig } from "./config";

function problemsOf(env: Record<string, string>): string {
  try {
    loadExtractionConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionConfigError);
    return (error as ExtractionConfigError).message;
  }
  throw new Error("expected a configuration error");
}

describe("loadExtractionConfig", () => {
  it("defaults to the built-in extractor with no configuration at all", () => {
    expect(loadExtractionConfig({})).toEqual({ extractor: "builtin", concurrency: 1 });
    expect(loadExtractionConfig({ EYEBALL_EXTRACTOR: "" })).toEqual({ extractor: "builtin", concurrency: 1 });
  });

  it("reads a complete LLM configuration with defaults for timeout, retries and concurrency", () => {
    expect(
      loadExtractionConfig({
        EYEBALL_EXTRACTOR: "llm",
        EYEBALL_LLM_PROVIDER: "openai",
        EYEBALL_LLM_MODEL: "gpt-4o-mini",
        EYEBALL_LLM_API_KEY: "sk-1",
      }),
    ).toEqual({
      extractor: "llm",
      concurrency: 4,
      llm: {
        provider: "openai",
        model: "gpt-4o-mini",
        apiKey: "sk-1",
        baseURL: undefined,
        timeoutMs: 30_000,
        maxRetries: 2,
      },
    });
  });

  it("takes the provider's own key variable when EYEBALL_LLM_API_KEY is unset, and prefers EYEBALL_LLM_API_KEY", () => {
    const base = {
      EYEBALL_EXTRACTOR: "llm",
      EYEBALL_LLM_MODEL: "m",
      OPENAI_API_KEY: "sk-openai",
      ANTHROPIC_API_KEY: "sk-ant",
    };
    const openai = loadExtractionConfig({ ...base, EYEBALL_LLM_PROVIDER: "openai" });
    const anthropic = loadExtractionConfig({ ...base, EYEBALL_LLM_PROVIDER: "anthropic" });
    const explicit = loadExtractionConfig({
      ...base,
      EYEBALL_LLM_PROVIDER: "anthropic",
      EYEBALL_LLM_API_KEY: "sk-own",
    });
    expect(openai.extractor === "llm" && openai.llm.apiKey).toBe("sk-openai");
    expect(anthropic.extractor === "llm" && anthropic.llm.apiKey).toBe("sk-ant");
    expect(explicit.extractor === "llm" && explicit.llm.apiKey).toBe("sk-own");
  });

  it("accepts an openai-compatible server without a key, with timeout, retries and concurrency set", () => {
    const config = loadExtractionConfig({
      EYEBALL_EXTRACTOR: "LLM",
      EYEBALL_LLM_PROVIDER: "openai-compatible",
      EYEBALL_LLM_MODEL: "llama3.1:8b",
      EYEBALL_LLM_BASE_URL: "http://127.0.0.1:11434/v1",
      EYEBALL_LLM_TIMEOUT_MS: "120000",
      EYEBALL_LLM_MAX_RETRIES: "0",
      EYEBALL_EXTRACT_CONCURRENCY: "8",
    });
    expect(config).toEqual({
      extractor: "llm",
      concurrency: 8,
      llm: {
        provider: "openai-compatible",
        model: "llama3.1:8b",
        apiKey: undefined,
        baseURL: "http://127.0.0.1:11434/v1",
        timeoutMs: 120_000,
        maxRetries: 0,
      },
    });
  });

  it("names the variable in every error", () => {
    expect(problemsOf({ EYEBALL_EXTRACTOR: "gpt" })).toContain("EYEBALL_EXTRACTOR must be builtin or llm");
    expect(problemsOf({ EYEBALL_EXTRACTOR: "llm" })).toMatch(
      /EYEBALL_LLM_PROVIDER is required[\s\S]*EYEBALL_LLM_MODEL is required/,
    );
    expect(
      problemsOf({ EYEBALL_EXTRACTOR: "llm", EYEBALL_LLM_PROVIDER: "gemini", EYEBALL_LLM_MODEL: "m" }),
    ).toContain("EYEBALL_LLM_PROVIDER must be one of openai, anthropic, openai-compatible");
    expect(
      problemsOf({ EYEBALL_EXTRACTOR: "llm", EYEBALL_LLM_PROVIDER: "openai", EYEBALL_LLM_MODEL: "m" }),
    ).toContain("EYEBALL_LLM_API_KEY (or OPENAI_API_KEY) is required");
    expect(
      problemsOf({ EYEBALL_EXTRACTOR: "llm", EYEBALL_LLM_PROVIDER: "anthropic", EYEBALL_LLM_MODEL: "m" }),
    ).toContain("EYEBALL_LLM_API_KEY (or ANTHROPIC_API_KEY) is required");
    expect(
      problemsOf({
        EYEBALL_EXTRACTOR: "llm",
        EYEBALL_LLM_PROVIDER: "openai-compatible",
        EYEBALL_LLM_MODEL: "m",
      }),
    ).toContain("EYEBALL_LLM_BASE_URL is required");
    expect(problemsOf({ EYEBALL_LLM_BASE_URL: "localhost:11434" })).toContain(
      "EYEBALL_LLM_BASE_URL must be an http(s) URL",
    );
    expect(problemsOf({ EYEBALL_LLM_TIMEOUT_MS: "soon" })).toContain(
      "EYEBALL_LLM_TIMEOUT_MS must be a whole number",
    );
    expect(problemsOf({ EYEBALL_LLM_MAX_RETRIES: "-1" })).toContain(
      "EYEBALL_LLM_MAX_RETRIES must not be negative",
    );
    expect(problemsOf({ EYEBALL_EXTRACT_CONCURRENCY: "0" })).toContain(
      "EYEBALL_EXTRACT_CONCURRENCY must be greater than 0",
    );
    expect(
      problemsOf({
        EYEBALL_EXTRACTOR: "llm",
        EYEBALL_LLM_PROVIDER: "openai",
        EYEBALL_LLM_MODEL: "m",
        EYEBALL_LLM_API_KEY: "k",
        EYEBALL_LLM_TIMEOUT_MS: "0",
      }),
    ).toContain("EYEBALL_LLM_TIMEOUT_MS must be greater than 0");
  });
});
