import path from "node:path";

import { describe, expect, it } from "vitest";

import { EnvError, loadEnv, parseSecretKey } from "./env";

function problems(source: Record<string, string>): string[] {
  try {
    loadEnv(source, "/srv");
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadEnv", () => {
  it("works with no configuration at all (embedded default)", () => {
    const env = loadEnv({}, "/srv/app");
    expect(env).toMatchObject({
      port: 4000,
      host: "127.0.0.1",
      databaseUrl: undefined,
      dataDir: path.resolve("/srv/app/.eyeball"),
      role: "both",
      mode: "development",
      publicUrl: "http://127.0.0.1:4000",
      rateLimit: { limit: 300, windowMs: 60_000 },
      bodyLimit: "1mb",
      seedDemo: true,
      secretKey: undefined,
    });
    expect(env.extraction.extractor).toBe("builtin");
  });

  it("resolves the data folder from INIT_CWD (where pnpm was run)", () => {
    expect(loadEnv({ INIT_CWD: "/repo", EYEBALL_DATA_DIR: "data" }, "/repo/apps/server").dataDir).toBe(
      path.resolve("/repo/data"),
    );
    expect(loadEnv({ EYEBALL_DATA_DIR: "/abs" }, "/x").dataDir).toBe(path.resolve("/abs"));
  });

  it("reads every setting", () => {
    const env = loadEnv({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://u@db/eyeball",
      EYEBALL_ROLE: "worker",
      EYEBALL_MODE: "production",
      EYEBALL_PUBLIC_URL: "https://eyeball.example.com/",
      EYEBALL_RUN_WAIT_MS: "5000",
      EYEBALL_RATE_LIMIT: "60",
      EYEBALL_RATE_LIMIT_WINDOW_MS: "10000",
      EYEBALL_BODY_LIMIT: "512kb",
      EYEBALL_SECRET_KEY: "ab".repeat(32),
      EYEBALL_SANDBOX: "off",
      EYEBALL_SANDBOX_CLAIM_DELAY_MS: "0",
      EYEBALL_SANDBOX_WORK_MS: "10",
    });
    expect(env).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      databaseUrl: "postgres://u@db/eyeball",
      role: "worker",
      mode: "production",
      publicUrl: "https://eyeball.example.com",
      runWaitMs: 5000,
      rateLimit: { limit: 60, windowMs: 10_000 },
      bodyLimit: "512kb",
      sandbox: { enabled: false, claimDelayMs: 0, workDurationMs: 10 },
      seedDemo: false,
    });
    expect(env.secretKey?.length).toBe(32);
  });

  it("reads Stripe: off by default, the webhook secret required with the key, an optional API base", () => {
    expect(loadEnv({}, "/srv").stripe).toBeNull();
    expect(
      loadEnv({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_def" }, "/srv").stripe,
    ).toEqual({ secretKey: "sk_test_abc", webhookSecret: "whsec_def" });
    expect(
      loadEnv(
        {
          STRIPE_SECRET_KEY: "sk_test_abc",
          STRIPE_WEBHOOK_SECRET: "whsec_def",
          STRIPE_API_BASE: "http://127.0.0.1:12111/",
        },
        "/srv",
      ).stripe,
    ).toEqual({ secretKey: "sk_test_abc", webhookSecret: "whsec_def", apiBaseUrl: "http://127.0.0.1:12111" });
    expect(problems({ STRIPE_SECRET_KEY: "sk_test_abc" })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY/) as unknown,
    ]);
    expect(problems({ STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })[0]).toMatch(
      /^STRIPE_SECRET_KEY must be/,
    );
    expect(
      problems({
        STRIPE_SECRET_KEY: "sk_test_abc",
        STRIPE_WEBHOOK_SECRET: "whsec_x",
        STRIPE_API_BASE: "nope",
      })[0],
    ).toMatch(/^STRIPE_API_BASE must be/);
    expect(problems({ STRIPE_WEBHOOK_SECRET: "whsec_x" })[0]).toMatch(/^STRIPE_SECRET_KEY is required/);
  });

  it("names each bad variable", () => {
    const found = problems({
      PORT: "eighty",
      DATABASE_URL: "mysql://x",
      EYEBALL_ROLE: "all",
      EYEBALL_SANDBOX: "maybe",
      EYEBALL_BODY_LIMIT: "huge",
      EYEBALL_EXTRACTOR: "magic",
    });
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "EYEBALL_ROLE",
      "EYEBALL_SANDBOX",
      "EYEBALL_BODY_LIMIT",
      "EYEBALL_EXTRACTOR",
    ]) {
      expect(
        found.some((p) => p.includes(name)),
        name,
      ).toBe(true);
    }
    expect(problems({ EYEBALL_SECRET_KEY: "short" })[0]).toMatch(/EYEBALL_SECRET_KEY/);
    expect(problems({ EYEBALL_MODE: "production", DATABASE_URL: "postgres://db/x" })[0]).toMatch(
      /EYEBALL_SECRET_KEY is required/,
    );
    expect(problems({ PORT: "" })).toEqual([]);
  });

  it("reads the rate limit, with EYEBALL_RATE_LIMIT_PER_MINUTE as the older spelling", () => {
    expect(loadEnv({ EYEBALL_RATE_LIMIT_PER_MINUTE: "90" }).rateLimit).toEqual({
      limit: 90,
      windowMs: 60_000,
    });
    expect(loadEnv({ EYEBALL_RATE_LIMIT_WINDOW_MS: "5000" }).rateLimit).toEqual({
      limit: 300,
      windowMs: 5000,
    });
    expect(problems({ EYEBALL_RATE_LIMIT: "0" })[0]).toMatch(/EYEBALL_RATE_LIMIT must be between 1/);
    expect(problems({ EYEBALL_RATE_LIMIT_WINDOW_MS: "10" })[0]).toMatch(
      /EYEBALL_RATE_LIMIT_WINDOW_MS must be between 1000/,
    );
    expect(
      problems({ EYEBALL_RATE_LIMIT_PER_MINUTE: "60", EYEBALL_RATE_LIMIT_WINDOW_MS: "1000" })[0],
    ).toMatch(/EYEBALL_RATE_LIMIT_PER_MINUTE cannot be combined/);
  });

  it("reads EYEBALL_CORS_ORIGINS: * by default, or exact origins (null for file:// pages)", () => {
    expect(loadEnv({}).corsOrigins).toBe("*");
    expect(loadEnv({ EYEBALL_CORS_ORIGINS: "" }).corsOrigins).toBe("*");
    expect(loadEnv({ EYEBALL_CORS_ORIGINS: " * " }).corsOrigins).toBe("*");
    expect(
      loadEnv({ EYEBALL_CORS_ORIGINS: "null, http://localhost:5173/ ,HTTPS://Portal.Example.com:8443" })
        .corsOrigins,
    ).toEqual(["null", "http://localhost:5173", "https://portal.example.com:8443"]);
  });

  it("names EYEBALL_CORS_ORIGINS when it is malformed", () => {
    for (const bad of ["localhost:5173", "http://localhost:5173/app", "ftp://files.example", "*,null", ","]) {
      const found = problems({ EYEBALL_CORS_ORIGINS: bad });
      expect(found, bad).toHaveLength(1);
      expect(found[0], bad).toMatch(/^EYEBALL_CORS_ORIGINS/);
    }
    expect(problems({ EYEBALL_CORS_ORIGINS: "http://a.example/x" })[0]).toMatch(
      /"http:\/\/a\.example\/x" is not an origin/,
    );
    expect(problems({ EYEBALL_CORS_ORIGINS: "*,null" })[0]).toMatch(/cannot be combined/);
  });

  it("parses 32-byte keys as hex or base64", () => {
    expect(parseSecretKey("0".repeat(64))?.length).toBe(32);
    expect(parseSecretKey(Buffer.alloc(32, 7).toString("base64"))?.length).toBe(32);
    expect(parseSecretKey("0".repeat(62))).toBeUndefined();
  });
});
