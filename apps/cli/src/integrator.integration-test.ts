// `eyeball run` and `eyeball jobs` as subprocesses against a real in-process server: exit codes, JSON on stdout,
// the live display on a terminal (under `script`, a real pty) and plain lines otherwise, configuration sources.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import { startTestServer, type TestServer } from "@eyeball/server/testing";

const cliDir = path.resolve(import.meta.dirname, "..");
const workDir = mkdtempSync(path.join(tmpdir(), "eyeball-cli-cwd-"));
let server: TestServer;
let platform: TestServer["platform"];
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
  server = await startTestServer({ sandboxWorkMs: 200 });
  ({ platform, testKey, liveKey } = server);
  serverUrl = server.url;
  writeFileSync(
    schemaFile,
    JSON.stringify({ loads: { type: "boolean", description: "Does the page load?" } }),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
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

describe("the GitHub Action (action.yml → scripts/github-action.sh → eyeball run --github)", () => {
  const repoRoot = path.resolve(cliDir, "../..");
  const action = parseYaml(readFileSync(path.join(repoRoot, "action.yml"), "utf8")) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: { id?: string; env?: Record<string, string>; run: string }[] };
  };
  const script = readFileSync(path.join(repoRoot, "scripts/github-action.sh"), "utf8");

  it("maps every input the script reads, and every output the CLI writes", () => {
    expect(action.runs.using).toBe("composite");
    // One step, no install: the script runs the committed single-file bundle with the runner's Node.js.
    expect(action.runs.steps.map((s) => s.run)).toEqual([
      'bash "$EYEBALL_ACTION_PATH/scripts/github-action.sh"',
    ]);
    expect(script).toContain("apps/cli/action/eyeball.mjs");
    const step = action.runs.steps.find((s) => s.id === "run");
    const env = step?.env ?? {};
    for (const [name, value] of Object.entries(env)) {
      const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)?.[1];
      if (input) expect(action.inputs, `${name} reads inputs.${input}`).toHaveProperty(input);
    }
    const read = [...script.matchAll(/\$\{(INPUT_[A-Z_]+)/g)].map((m) => m[1]);
    for (const name of new Set(read))
      expect(env, `${String(name)} is set by action.yml`).toHaveProperty(String(name));
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.value).toBe(`\${{ steps.run.outputs.${name} }}`);
    }
  });

  async function runAction(inputs: Record<string, string>) {
    const summary = path.join(workDir, `summary-${String(Date.now())}.md`);
    const outputs = path.join(workDir, `outputs-${String(Date.now())}.txt`);
    writeFileSync(summary, "");
    writeFileSync(outputs, "");
    const result = await exec("bash", [path.join(repoRoot, "scripts/github-action.sh")], {
      EYEBALL_API_KEY: testKey,
      EYEBALL_URL: serverUrl,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: outputs,
      RUNNER_TEMP: workDir,
      ...inputs,
    });
    return { ...result, summary: readFileSync(summary, "utf8"), outputs: readFileSync(outputs, "utf8") };
  }

  it("passes: a summary with the verdict, the answers, cost and links; outputs for later steps", async () => {
    const run = await runAction({
      INPUT_URL: page,
      INPUT_DESCRIPTION: "Check the page loads",
      INPUT_SCHEMA: "schema.json",
      INPUT_SCREEN: "tablet",
      INPUT_TIMEOUT: "60",
      INPUT_IDEMPOTENCY_KEY: "gha-1",
    });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/^## Eyeball test: ✅ Passed/m);
    expect(run.summary).toMatch(/^\| loads \| `true` \|$/m);
    expect(run.summary).toMatch(/\*\*Cost\*\* \$0\.\d+/);
    const jobId = /^job-id=(\S+)$/m.exec(run.outputs)?.[1];
    expect(run.summary).toContain(`[Job ${String(jobId)}](${serverUrl}/jobs/${String(jobId)})`);
    expect(run.outputs).toMatch(/^status=completed$/m);
    expect(run.outputs).toMatch(/^success=true$/m);
    expect(run.outputs).toMatch(/^cost-usd=0\.\d+$/m);
    const resultFile = /^result-file=(.+)$/m.exec(run.outputs)?.[1] ?? "";
    expect(JSON.parse(readFileSync(resultFile, "utf8"))).toMatchObject({ id: jobId, status: "completed" });
  });

  it("fails the step on a failed test, or warns when fail-on-test-failure is false", async () => {
    const inputs = {
      INPUT_URL: page,
      INPUT_DESCRIPTION: "Check it [sandbox:incomplete]",
      INPUT_SCHEMA: schemaFile,
    };
    const failed = await runAction(inputs);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/::error title=Eyeball::The human test did not pass/);
    expect(failed.summary).toMatch(/^## Eyeball test: ⚠️ Ended incomplete/m);
    expect(failed.outputs).toMatch(/^success=false$/m);
    const tolerated = await runAction({ ...inputs, INPUT_FAIL_ON_TEST_FAILURE: "false" });
    expect(tolerated.code).toBe(0);
    expect(tolerated.stdout).toMatch(/::warning title=Eyeball::/);
  });

  it("on a timeout fails the step but still names the job in the summary and outputs", async () => {
    const run = await runAction({
      EYEBALL_API_KEY: liveKey,
      INPUT_URL: page,
      INPUT_DESCRIPTION: "Wait for a human",
      INPUT_TIMEOUT: "1",
    });
    expect(run.code).toBe(2);
    expect(run.summary).toMatch(/^## Eyeball test: ⏱️ Still (pending|waiting) when the wait ended/m);
    expect(run.outputs).toMatch(/^job-id=\S+$/m);
    expect(run.outputs).toMatch(/^success=false$/m);
  });
});
