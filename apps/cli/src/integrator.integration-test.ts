// `eyeball run` and `eyeball jobs` as subprocesses against a real in-process server: exit codes, JSON on stdout,
// the live display on a terminal (under `script`, a real pty) and plain lines otherwise, configuration sources.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLedger } from "@eyeball/api";
import { composePlatform, createApp, loadEnv, type Platform, seedOnStart } from "@eyeball/server";

const cliDir = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-cli-run-"));
const workDir = mkdtempSync(path.join(tmpdir(), "eyeball-cli-cwd-"));
let platform: Platform;
let server: Server;
let serverUrl: string;
let testKey: string;
let liveKey: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: workDir,
        env: { ...process.env, INIT_CWD: workDir, EYEBALL_CONFIG: undefined, ...env },
        timeout: 90_000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

// The package binary registers tsx from its own folder, so it runs from any working directory.
const entry = [path.join(cliDir, "bin/eyeball.mjs")];
const eyeball = (args: string[], env: Record<string, string | undefined> = {}) =>
  exec(process.execPath, [...entry, ...args], {
    EYEBALL_API_KEY: testKey,
    EYEBALL_URL: serverUrl,
    NODE_OPTIONS: undefined,
    ...env,
  });

const schemaFile = path.join(workDir, "schema.json");
const page = "https://example.com";

beforeAll(async () => {
  platform = await composePlatform(
    loadEnv({
      EYEBALL_DATA_DIR: dataDir,
      EYEBALL_SANDBOX_CLAIM_DELAY_MS: "20",
      EYEBALL_SANDBOX_WORK_MS: "200",
      EYEBALL_SANDBOX_BROWSER: "off",
    }),
  );
  const demo = await seedOnStart(platform);
  await platform.start();
  await platform.startWorkers();
  server = createApp(platform.services, { rest: { ...platform.rest, rateLimit: false } }).listen(
    0,
    "127.0.0.1",
  );
  await new Promise<void>((resolve) => server.once("listening", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  testKey = demo?.testKey?.key ?? "";
  const org = await platform.services.orgs.getBySlug("demo");
  liveKey = (await platform.services.apiKeys.create(org.id, { name: "cli live", mode: "live" })).key;
  await createLedger(platform.database.prisma).grantCredits({
    orgId: org.id,
    mode: "live",
    micros: 50_000_000n,
  });
  writeFileSync(
    schemaFile,
    JSON.stringify({ loads: { type: "boolean", description: "Does the page load?" } }),
  );
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe("eyeball run --wait (not a terminal)", () => {
  it("exits 0 for a passed test: the result JSON on stdout, plain progress lines on stderr", async () => {
    const result = await eyeball([
      "run",
      "--url",
      page,
      "--description",
      "Check the page loads",
      "--schema",
      "schema.json",
      "--screen",
      "mobile",
      "--wait",
    ]);
    expect(result.stderr).not.toContain("\u001b[");
    expect(result.code).toBe(0);
    const job = JSON.parse(result.stdout) as {
      id: string;
      status: string;
      result: { success: boolean; data: object };
      costUsd: number;
    };
    expect(job).toMatchObject({ status: "completed", result: { success: true } });
    expect(job.result.data).toHaveProperty("loads");
    expect(result.stderr).toMatch(
      new RegExp(`^\\[0:\\d\\d\\] created job ${job.id} — ${serverUrl}/jobs/${job.id}$`, "m"),
    );
    expect(result.stderr).toMatch(/^\[0:\d\d\] passed · elapsed 0:\d\d · tester .+ · cost \$0\.\d+/m);
    const details = await platform.services.jobs.get(
      await platform.services.apiKeys.authenticate(testKey),
      job.id,
    );
    expect(details.screenSize).toMatchObject({ width: 375, height: 667 });
  });

  it("exits 1 for a test that did not succeed", async () => {
    const result = await eyeball([
      "run",
      "--url",
      page,
      "--description",
      "Check it [sandbox:incomplete]",
      "--schema",
      schemaFile,
      "--wait",
      "--progress",
      "none",
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "incomplete" });
    expect(result.stderr).toBe("");
  });

  it("exits 2 when --timeout passes first (no tester for a live job), and the job goes on", async () => {
    const result = await eyeball(
      ["run", "--url", page, "--description", "Wait for a human", "--wait", "--timeout", "1"],
      { EYEBALL_API_KEY: liveKey },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /eyeball: timed out: job \S+ was still (pending|waiting) after 1000 ms \(the job goes on\)/,
    );
  });

  it("exits 3 on an API error naming the field, and 64 on a usage error", async () => {
    const refused = await eyeball(["run", "--url", page, "--description", "x", "--duration", "99", "--wait"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/POST \/api\/jobs: 400 .*targetDurationMinutes/);
    const unauthorized = await eyeball(["jobs", "list"], { EYEBALL_API_KEY: "eb_test_nope" });
    expect(unauthorized.code).toBe(3);
    expect(unauthorized.stderr).toMatch(/401/);
    const unreachable = await eyeball(["jobs", "list"], { EYEBALL_URL: "http://127.0.0.1:9" });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/cannot reach the server/);
    const usage = await eyeball(["run", "--url", page, "--description", "x", "--screen", "huge"]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/--screen.*WIDTHxHEIGHT/);
    const noKey = await eyeball(["jobs", "list"], { EYEBALL_API_KEY: undefined, HOME: workDir });
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toMatch(/no API key: pass --api-key, set EYEBALL_API_KEY/);
  });
});

describe("eyeball run on a terminal", () => {
  it("redraws one live line (spinner, status, elapsed) and ends with the verdict", async () => {
    const command = [
      process.execPath,
      ...entry,
      "run",
      "--url",
      page,
      "--description",
      "Check the page loads",
      "--wait",
    ]
      .map((part) => `'${part}'`)
      .join(" ");
    // `script` runs the command on a new pty, so stdout and stderr are terminals as in a developer's shell.
    // A pty without a size reports 0 columns (the CLI then prints plain lines): give it one first.
    const result = await exec("script", ["-qfec", `stty cols 120 rows 40; ${command}`, "/dev/null"], {
      EYEBALL_API_KEY: testKey,
      EYEBALL_URL: serverUrl,
      TERM: "xterm-256color",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\u001b["); // cursor movement / line erase of the redrawn line
    expect(result.stdout, JSON.stringify(result.stdout)).toMatch(
      /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \S+ (waiting|working|pending)/,
    );
    expect(result.stdout).toMatch(/✔ passed · elapsed 0:\d\d/);
    expect(result.stdout).toMatch(/"status": "completed"/);
  });
});

describe("eyeball jobs and configuration", () => {
  it("creates without --wait, then gets, lists and cancels; a config file supplies key and server", async () => {
    writeFileSync(path.join(workDir, ".eyeball.json"), JSON.stringify({ apiKey: liveKey, url: serverUrl }));
    try {
      const created = await eyeball(
        ["run", "--url", page, "--description", "Look around", "--idempotency-key", "cli-1"],
        { EYEBALL_API_KEY: undefined, EYEBALL_URL: undefined },
      );
      expect(created.code).toBe(0);
      const { jobId } = JSON.parse(created.stdout) as { jobId: string };
      const again = await eyeball(
        ["run", "--url", page, "--description", "Look around", "--idempotency-key", "cli-1"],
        { EYEBALL_API_KEY: undefined, EYEBALL_URL: undefined },
      );
      expect(JSON.parse(again.stdout)).toEqual({ jobId });

      const got = await eyeball(["jobs", "get", jobId], {
        EYEBALL_API_KEY: undefined,
        EYEBALL_URL: undefined,
      });
      expect(got.code).toBe(0);
      expect(JSON.parse(got.stdout)).toMatchObject({ id: jobId, mode: "live" });
      const listed = await eyeball(["jobs", "list", "--limit", "1"], {
        EYEBALL_API_KEY: undefined,
        EYEBALL_URL: undefined,
      });
      expect((JSON.parse(listed.stdout) as { data: { id: string }[] }).data.map((j) => j.id)).toEqual([
        jobId,
      ]);
      const cancelled = await eyeball(["jobs", "cancel", jobId], {
        EYEBALL_API_KEY: undefined,
        EYEBALL_URL: undefined,
      });
      expect(cancelled.code).toBe(0);
      expect(JSON.parse(cancelled.stdout)).toMatchObject({ status: "cancelled" });
      const twice = await eyeball(["jobs", "cancel", jobId], {
        EYEBALL_API_KEY: undefined,
        EYEBALL_URL: undefined,
      });
      expect(twice.code).toBe(3);
      expect(twice.stderr).toMatch(/409/);
    } finally {
      rmSync(path.join(workDir, ".eyeball.json"));
    }
    writeFileSync(path.join(workDir, "bad.json"), JSON.stringify({ apiKey: 42 }));
    const bad = await eyeball(["jobs", "list", "--config", "bad.json"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/bad\.json: apiKey: must be a string/);
  });
});
