// The extract command as a subprocess: one line per case in order, bad lines answered, LLM fallback, exit codes.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

import { startProviderStandIn, type ProviderStandIn } from "../../test/provider-stand-ins";
import type { OutputLine } from "./extract-lines";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without any extraction settings from the machine running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(EYEBALL_|OPENAI_|ANTHROPIC_)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function runCommand(stdin: string, env: Record<string, string> = {}): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "src/bin/extract.ts"], { cwd: packageDir, env: cleanEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

function outputLines(stdout: string): OutputLine[] {
  expect(stdout.endsWith("\n")).toBe(true);
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as OutputLine);
}

const schema = { ok: { type: "boolean", description: "Whether the page worked" } };
const cases = [
  {
    id: "alpha",
    outputSchema: schema,
    testerResponse: "Alpha page worked fine. Done.",
    expected: { final: true },
  },
  { id: "bravo", outputSchema: schema, testerResponse: "Bravo page, still checking the footer" },
  { id: "charlie", testerResponse: "Charlie: clicked around. done" },
];

let standIn: ProviderStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe("extract command", () => {
  it("prints one JSON line per input line, in order, answers malformed lines, and exits 0", async () => {
    const stdin = [
      JSON.stringify(cases[0]),
      "{this is not json",
      JSON.stringify(cases[1]),
      JSON.stringify({
        id: "delta",
        outputSchema: { ok: { type: "maybe", description: "d" } },
        testerResponse: "x done",
      }),
      JSON.stringify(cases[2]),
    ].join("\n");

    const run = await runCommand(`${stdin}\n`);

    expect(run.code).toBe(0);
    const lines = outputLines(run.stdout);
    expect(lines.map((line) => line.id)).toEqual(["alpha", "line-2", "bravo", "delta", "charlie"]);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(
        line.error === undefined
          ? ["final", "id", "result", "status"]
          : ["error", "final", "id", "result", "status"],
      );
      expect(Object.keys(line.result).sort()).toEqual(["data", "explanation", "success"]);
    }
    expect(lines[0]).toMatchObject({ final: true });
    expect(Object.keys(lines[0]!.result.data)).toEqual(["ok"]);
    expect(lines[1]).toMatchObject({
      final: false,
      status: "not_final",
      result: { success: false, data: {} },
    });
    expect(lines[2]).toMatchObject({ final: false, status: "not_final" });
    expect(lines[3]).toMatchObject({ status: "not_final", result: { data: { ok: null } } });
    expect(lines[3]!.error).toContain("outputSchema.ok.type");
    expect(lines[4]).toMatchObject({ final: true, status: "completed", result: { success: true, data: {} } });
    expect(run.stderr).toContain("line 2 (line-2): not valid JSON");
    expect(run.stderr).toContain("line 4 (delta): invalid case");
  });

  it("uses the configured LLM with bounded concurrency, keeps order, and falls back to the built-in extractor", async () => {
    const server = await startProviderStandIn((request) => {
      if (request.rawBody.includes("Bravo page")) return { status: 500 };
      const ok = request.rawBody.includes("Alpha page");
      return { json: { explanation: "From the stand-in model.", data: ok ? { ok: true } : {} } };
    });
    standIn = server;
    const stdin = cases.map((entry) => JSON.stringify(entry)).join("\n");

    const run = await runCommand(stdin, {
      EYEBALL_EXTRACTOR: "llm",
      EYEBALL_LLM_PROVIDER: "openai-compatible",
      EYEBALL_LLM_MODEL: "llama3.1:8b",
      EYEBALL_LLM_BASE_URL: server.baseURL,
      EYEBALL_LLM_MAX_RETRIES: "0",
      EYEBALL_EXTRACT_CONCURRENCY: "3",
    });

    expect(run.code).toBe(0);
    const lines = outputLines(run.stdout);
    expect(lines.map((line) => line.id)).toEqual(["alpha", "bravo", "charlie"]);
    expect(lines[0]).toEqual({
      id: "alpha",
      final: true,
      status: "completed",
      result: { success: true, explanation: "From the stand-in model.", data: { ok: true } },
    });
    // bravo's LLM call failed: the built-in extractor answered, and the response is not final either way.
    expect(lines[1]).toMatchObject({ id: "bravo", final: false, status: "not_final" });
    expect(lines[1]!.result.explanation).not.toBe("From the stand-in model.");
    expect(lines[2]).toMatchObject({ id: "charlie", final: true, status: "completed", result: { data: {} } });
    expect(server.requests.map((request) => request.path)).toEqual(Array(3).fill("/v1/chat/completions"));
    expect(run.stderr).toContain("LLM extraction failed (REQUEST_FAILED");
  });

  it("exits 2 without output when the configuration is invalid, naming the variable", async () => {
    const run = await runCommand(JSON.stringify(cases[0]), {
      EYEBALL_EXTRACTOR: "llm",
      EYEBALL_LLM_PROVIDER: "openai",
    });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("EYEBALL_LLM_MODEL is required");
  });
});
