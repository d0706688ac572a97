// The server's configuration: the only module that reads process.env, validated once with clear messages.
import { existsSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { findChromium, type StripeConfig } from "@eyeball/api";
import { type ExtractionConfig, loadExtractionConfig } from "@eyeball/extraction";

export type EnvRecord = Readonly<Record<string, string | undefined>>;

export const ROLES = ["api", "worker", "both"] as const;
export type Role = (typeof ROLES)[number];

export interface ServerEnv {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined → embedded PGlite in `<dataDir>/db`. */
  databaseUrl: string | undefined;
  /** Absolute data folder (embedded database, secret key, local artifacts). */
  dataDir: string;
  role: Role;
  mode: "development" | "production";
  publicUrl: string;
  /** True when EYEBALL_PUBLIC_URL is unset and publicUrl was derived from HOST and PORT. */
  publicUrlFromPort: boolean;
  runWaitMs: number;
  /** Per-API-key REST limit: `limit` requests per `windowMs` (counted in the database, shared by all processes). */
  rateLimit: { limit: number; windowMs: number };
  /** express body size: bytes or "1mb"-style. */
  bodyLimit: string;
  /** 32 bytes from EYEBALL_SECRET_KEY, or undefined → generated once in the data folder. */
  secretKey: Buffer | undefined;
  sandbox: {
    enabled: boolean;
    claimDelayMs: number;
    workDurationMs: number;
    /** Chromium the simulated tester visits pages with; null → no browser, sandbox jobs carry no recording. */
    browserPath: string | null;
    browserTimeoutMs: number;
  };
  /** Origins allowed to call /trpc from a browser: "*" (any) or exact origins; "null" admits file:// pages (the Electron renderer). */
  corsOrigins: CorsOrigins;
  /** Seed the demo organisation and its test key on first start (default: only on the embedded database). */
  seedDemo: boolean;
  /** The owner portal's build folder (EYEBALL_PORTAL_DIR); undefined → apps/portal/dist. */
  portalDir: string | undefined;
  extraction: ExtractionConfig;
  /** Card payments and Stripe webhooks (STRIPE_SECRET_KEY); null = off, the default. */
  stripe: StripeConfig | null;
  /** GitHub (repo context, issues): GITHUB_TOKEN (optional) and GITHUB_API_URL (GitHub Enterprise). */
  github: { token: string | null; apiBaseUrl: string };
  /** Money: the dispute window after settlement, the auto-approve sweep, and tester payouts. */
  money: {
    disputeWindowMs: number;
    autoApproveSweepMs: number;
    /** Basis points of a charge a tester earns (default 7000 = 70 %); per-org and per-tester overrides win. */
    testerShareBps: number;
    payoutMinimumUsd: number;
    /** Pay every eligible tester this often through Stripe Connect; null = only on request. */
    payoutScheduleMs: number | null;
  };
}

/** "*" or a list of exact origins (`scheme://host[:port]`, or "null"). */
export type CorsOrigins = "*" | readonly string[];

/**
 * EYEBALL_CORS_ORIGINS: "*" or comma-separated origins. An origin is what browsers send in the
 * Origin header — scheme, host and port, no path — or "null" (file:// pages, the Electron renderer).
 */
export function parseCorsOrigins(text: string): { origins: CorsOrigins } | { problem: string } {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0)
    return { problem: 'EYEBALL_CORS_ORIGINS must be "*" or a comma-separated list of origins' };
  if (items.includes("*")) {
    return items.length === 1
      ? { origins: "*" }
      : { problem: 'EYEBALL_CORS_ORIGINS: "*" cannot be combined with other origins' };
  }
  const origins: string[] = [];
  for (const item of items) {
    if (item === "null") {
      origins.push(item);
      continue;
    }
    let origin: string | undefined;
    try {
      const url = new URL(item);
      const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
      if ((url.protocol === "http:" || url.protocol === "https:") && bare) origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined) {
      return {
        problem: `EYEBALL_CORS_ORIGINS: "${item}" is not an origin; use scheme://host[:port] such as http://localhost:5173 (no path), "null" for file:// pages, or "*"`,
      };
    }
    origins.push(origin);
  }
  return { origins };
}

/** Thrown when the environment is unusable; `problems` name each variable. */
export class EnvError extends Error {
  override readonly name = "EnvError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  }
}

/** Empty strings count as unset, so `PORT=` in a .env file means "default". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );
}

function integer(name: string, min: number, max: number) {
  return optional(
    z.coerce
      .number({ error: `${name} must be a whole number` })
      .int({ error: `${name} must be a whole number` })
      .min(min, { error: `${name} must be between ${min} and ${max}` })
      .max(max, { error: `${name} must be between ${min} and ${max}` }),
  );
}

function flag(name: string) {
  return optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => ["1", "0", "true", "false", "yes", "no", "on", "off"].includes(v), {
        error: `${name} must be true or false`,
      })
      .transform((v) => ["1", "true", "yes", "on"].includes(v)),
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

const schema = z.object({
  PORT: integer("PORT", 0, 65_535),
  HOST: optional(z.string().trim().min(1)),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), {
        error: "DATABASE_URL must start with postgres:// or postgresql://",
      }),
  ),
  EYEBALL_DATA_DIR: optional(z.string().trim()),
  EYEBALL_ROLE: optional(z.enum(ROLES, { error: "EYEBALL_ROLE must be api, worker or both" })),
  EYEBALL_MODE: optional(
    z.enum(["development", "production"], { error: "EYEBALL_MODE must be development or production" }),
  ),
  EYEBALL_PUBLIC_URL: optional(
    z.url({
      protocol: /^https?$/,
      error: "EYEBALL_PUBLIC_URL must be an http(s) URL such as https://eyeball.example.com",
    }),
  ),
  EYEBALL_RUN_WAIT_MS: integer("EYEBALL_RUN_WAIT_MS", 1, DAY_MS),
  EYEBALL_DISPUTE_WINDOW_MS: integer("EYEBALL_DISPUTE_WINDOW_MS", 0, 365 * DAY_MS),
  EYEBALL_AUTO_APPROVE_SWEEP_MS: integer("EYEBALL_AUTO_APPROVE_SWEEP_MS", 1_000, DAY_MS),
  EYEBALL_TESTER_SHARE_BPS: integer("EYEBALL_TESTER_SHARE_BPS", 0, 10_000),
  EYEBALL_PAYOUT_MINIMUM_USD: integer("EYEBALL_PAYOUT_MINIMUM_USD", 1, 1_000_000),
  EYEBALL_PAYOUT_SCHEDULE_MS: integer("EYEBALL_PAYOUT_SCHEDULE_MS", 60_000, 365 * DAY_MS),
  EYEBALL_RATE_LIMIT: integer("EYEBALL_RATE_LIMIT", 1, 1_000_000),
  EYEBALL_RATE_LIMIT_WINDOW_MS: integer("EYEBALL_RATE_LIMIT_WINDOW_MS", 1_000, DAY_MS),
  /** Older spelling of EYEBALL_RATE_LIMIT with the one-minute window. */
  EYEBALL_RATE_LIMIT_PER_MINUTE: integer("EYEBALL_RATE_LIMIT_PER_MINUTE", 1, 1_000_000),
  EYEBALL_BODY_LIMIT: optional(
    z
      .string()
      .trim()
      .regex(/^\d+(b|kb|mb)?$/i, { error: "EYEBALL_BODY_LIMIT must be a size such as 1mb, 512kb or 100000" }),
  ),
  EYEBALL_SECRET_KEY: optional(z.string().trim()),
  EYEBALL_SANDBOX: flag("EYEBALL_SANDBOX"),
  EYEBALL_SANDBOX_CLAIM_DELAY_MS: integer("EYEBALL_SANDBOX_CLAIM_DELAY_MS", 0, DAY_MS),
  EYEBALL_SANDBOX_WORK_MS: integer("EYEBALL_SANDBOX_WORK_MS", 0, DAY_MS),
  EYEBALL_SANDBOX_BROWSER: optional(z.string().trim()),
  EYEBALL_SANDBOX_BROWSER_TIMEOUT_MS: integer("EYEBALL_SANDBOX_BROWSER_TIMEOUT_MS", 1_000, 10 * 60 * 1000),
  EYEBALL_SEED_DEMO: flag("EYEBALL_SEED_DEMO"),
  EYEBALL_CORS_ORIGINS: optional(z.string()),
  EYEBALL_PORTAL_DIR: optional(z.string().trim()),
  STRIPE_SECRET_KEY: optional(
    z
      .string()
      .trim()
      .regex(/^(sk|rk)_(live|test)_\S+$/, {
        error: "STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_… or sk_test_…)",
      }),
  ),
  STRIPE_WEBHOOK_SECRET: optional(
    z
      .string()
      .trim()
      .regex(/^whsec_\S+$/, { error: "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)" }),
  ),
  STRIPE_API_BASE: optional(
    z.url({
      protocol: /^https?$/,
      error: "STRIPE_API_BASE must be an http(s) URL such as https://api.stripe.com",
    }),
  ),
  GITHUB_TOKEN: optional(z.string().trim()),
  GITHUB_API_URL: optional(
    z.url({
      protocol: /^https?$/,
      error:
        "GITHUB_API_URL must be an http(s) URL such as https://api.github.com or https://github.example.com/api/v3",
    }),
  ),
  INIT_CWD: optional(z.string()),
});

/** 32 bytes as 64 hex characters or base64; undefined when the text is neither. */
export function parseSecretKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, "base64");
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

/**
 * Reads the configuration. Relative paths resolve from INIT_CWD (where `pnpm`/`npm` was run), so
 * `.eyeball/` lands in the repository root even though the server's script runs in apps/server.
 */
export function loadEnv(source: EnvRecord = process.env, cwd: string = process.cwd()): ServerEnv {
  const parsed = schema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  let extraction: ExtractionConfig | undefined;
  try {
    extraction = loadExtractionConfig(source);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success || !extraction) throw new EnvError(problems);
  const vars = parsed.data;

  const secretKey =
    vars.EYEBALL_SECRET_KEY === undefined ? undefined : parseSecretKey(vars.EYEBALL_SECRET_KEY);
  if (vars.EYEBALL_SECRET_KEY !== undefined && !secretKey) {
    problems.push(
      "EYEBALL_SECRET_KEY must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)",
    );
  }
  const mode = vars.EYEBALL_MODE ?? "development";
  if (mode === "production" && vars.DATABASE_URL && !secretKey && vars.EYEBALL_SECRET_KEY === undefined) {
    problems.push(
      "EYEBALL_SECRET_KEY is required with EYEBALL_MODE=production and DATABASE_URL (every server process must share it; openssl rand -hex 32)",
    );
  }
  const browserSetting = vars.EYEBALL_SANDBOX_BROWSER;
  const browserOff =
    browserSetting !== undefined &&
    ["off", "false", "0", "no", "none"].includes(browserSetting.toLowerCase());
  if (browserSetting !== undefined && !browserOff && !existsSync(browserSetting)) {
    problems.push(
      `EYEBALL_SANDBOX_BROWSER must be the path of a Chromium binary or "off"; ${browserSetting} does not exist`,
    );
  }
  if (
    vars.EYEBALL_RATE_LIMIT_PER_MINUTE !== undefined &&
    (vars.EYEBALL_RATE_LIMIT !== undefined || vars.EYEBALL_RATE_LIMIT_WINDOW_MS !== undefined)
  ) {
    problems.push(
      "EYEBALL_RATE_LIMIT_PER_MINUTE cannot be combined with EYEBALL_RATE_LIMIT or EYEBALL_RATE_LIMIT_WINDOW_MS; use EYEBALL_RATE_LIMIT (requests per window) with EYEBALL_RATE_LIMIT_WINDOW_MS",
    );
  }
  if (vars.STRIPE_SECRET_KEY !== undefined && vars.STRIPE_WEBHOOK_SECRET === undefined) {
    problems.push(
      "STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: the signing secret (whsec_…) of the endpoint <EYEBALL_PUBLIC_URL>/api/stripe/webhook",
    );
  }
  if (
    vars.STRIPE_SECRET_KEY === undefined &&
    (vars.STRIPE_WEBHOOK_SECRET !== undefined || vars.STRIPE_API_BASE !== undefined)
  ) {
    problems.push("STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET or STRIPE_API_BASE is set");
  }
  const cors = parseCorsOrigins(vars.EYEBALL_CORS_ORIGINS ?? "*");
  if ("problem" in cors) problems.push(cors.problem);
  if (problems.length > 0 || "problem" in cors) throw new EnvError(problems);
  const browserPath = browserOff ? null : (browserSetting ?? findChromium());

  const port = vars.PORT ?? 4000;
  const host = vars.HOST ?? "127.0.0.1";
  const base = vars.INIT_CWD ?? cwd;
  return {
    port,
    host,
    databaseUrl: vars.DATABASE_URL,
    dataDir: path.resolve(base, vars.EYEBALL_DATA_DIR ?? ".eyeball"),
    role: vars.EYEBALL_ROLE ?? "both",
    mode,
    publicUrl: (
      vars.EYEBALL_PUBLIC_URL ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`
    ).replace(/\/+$/, ""),
    publicUrlFromPort: vars.EYEBALL_PUBLIC_URL === undefined,
    runWaitMs: vars.EYEBALL_RUN_WAIT_MS ?? 10 * 60 * 1000,
    rateLimit: {
      limit: vars.EYEBALL_RATE_LIMIT ?? vars.EYEBALL_RATE_LIMIT_PER_MINUTE ?? 300,
      windowMs: vars.EYEBALL_RATE_LIMIT_WINDOW_MS ?? 60_000,
    },
    bodyLimit: vars.EYEBALL_BODY_LIMIT ?? "1mb",
    secretKey,
    sandbox: {
      enabled: vars.EYEBALL_SANDBOX ?? true,
      claimDelayMs: vars.EYEBALL_SANDBOX_CLAIM_DELAY_MS ?? 500,
      workDurationMs: vars.EYEBALL_SANDBOX_WORK_MS ?? 1500,
      browserPath,
      browserTimeoutMs: vars.EYEBALL_SANDBOX_BROWSER_TIMEOUT_MS ?? 15_000,
    },
    corsOrigins: cors.origins,
    seedDemo: vars.EYEBALL_SEED_DEMO ?? vars.DATABASE_URL === undefined,
    portalDir:
      vars.EYEBALL_PORTAL_DIR === undefined ? undefined : path.resolve(base, vars.EYEBALL_PORTAL_DIR),
    extraction,
    stripe:
      vars.STRIPE_SECRET_KEY !== undefined && vars.STRIPE_WEBHOOK_SECRET !== undefined
        ? {
            secretKey: vars.STRIPE_SECRET_KEY,
            webhookSecret: vars.STRIPE_WEBHOOK_SECRET,
            ...(vars.STRIPE_API_BASE === undefined
              ? {}
              : { apiBaseUrl: vars.STRIPE_API_BASE.replace(/\/+$/, "") }),
          }
        : null,
    github: {
      token: vars.GITHUB_TOKEN ?? null,
      apiBaseUrl: (vars.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    },
    money: {
      disputeWindowMs: vars.EYEBALL_DISPUTE_WINDOW_MS ?? 7 * DAY_MS,
      autoApproveSweepMs: vars.EYEBALL_AUTO_APPROVE_SWEEP_MS ?? 60_000,
      testerShareBps: vars.EYEBALL_TESTER_SHARE_BPS ?? 7000,
      payoutMinimumUsd: vars.EYEBALL_PAYOUT_MINIMUM_USD ?? 1,
      payoutScheduleMs: vars.EYEBALL_PAYOUT_SCHEDULE_MS ?? null,
    },
  };
}
