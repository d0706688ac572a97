// The MCP server as a subprocess over stdio (official Client + StdioClientTransport) against a real in-process
// Eyeball server: embedded database, sandbox tester for test-mode jobs, a live key whose jobs no tester claims.
import { execFile } from "node:child_process";
import path from "node:path";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@eyeball/server/testing";

const mcpDir = path.resolve(import.meta.dirname, "..");
const bin = path.join(mcpDir, "bin", "eyeball-mcp.mjs");
let eyeball: TestServer;
let serverUrl: string;
const clients: Client[] = [];
/** Each subprocess's stderr (its logs); stdout is the protocol stream the Client parses. */
const stderrOf = new Map<Client, string[]>();

const job = {
  url: "https://example.com",
  description: "Check that the page loads",
  outputSchema: { loads: { type: "boolean", description: "Does the page load?" } },
};

async function connect(apiKey: string): Promise<Client> {
  const client = new Client({ name: "eyeball-mcp-test", version: "0.0.0" });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin],
    env: { ...getDefaultEnvironment(), EYEBALL_API_KEY: apiKey, EYEBALL_URL: serverUrl },
    cwd: mcpDir,
    stderr: "pipe",
  });
  const logs: string[] = [];
  transport.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  await client.connect(transport);
  clients.push(client);
  stderrOf.set(client, logs);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

function structured(result: CallToolResult): Record<string, unknown> {
  expect(result.structuredContent).toBeDefined();
  return result.structuredContent ?? {};
}

async function createJob(client: Client, args: Record<string, unknown> = job): Promise<string> {
  const created = await call(client, "create_job", args);
  expect(created.isError ?? false).toBe(false);
  const jobId = structured(created).jobId;
  expect(typeof jobId).toBe("string");
  return jobId as string;
}

let sandbox: Client;
let live: Client;

beforeAll(async () => {
  eyeball = await startTestServer();
  serverUrl = eyeball.url;
  [sandbox, live] = await Promise.all([connect(eyeball.testKey), connect(eyeball.liveKey)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await eyeball?.close();
});

describe("tools", () => {
  it("lists all five tools, each with an input schema", async () => {
    const { tools } = await sandbox.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "cancel_job",
      "create_job",
      "get_job",
      "list_jobs",
      "wait_for_result",
    ]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const create = byName.get("create_job")?.inputSchema;
    expect(create?.required).toEqual(["url", "description"]);
    expect(Object.keys(create?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "url",
        "description",
        "outputSchema",
        "targetDurationMinutes",
        "allowDurationExtension",
        "maxExtensionMinutes",
        "additionalValidationInstructions",
        "screenSize",
        "repoName",
        "canCreateGithubIssues",
      ]),
    );
    const wait = byName.get("wait_for_result")?.inputSchema;
    expect(wait?.required).toEqual(["jobId"]);
    expect(wait?.properties?.waitSeconds).toMatchObject({ minimum: 1, maximum: 300, default: 30 });
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.description).toBeTruthy();
    }
  });
});

describe("create_job → wait_for_result (sandbox tester)", () => {
  let jobId: string;

  it("create_job returns the id and tells the agent to call wait_for_result", async () => {
    const created = await call(sandbox, "create_job", job);
    expect(created.isError ?? false).toBe(false);
    jobId = structured(created).jobId as string;
    expect(textOf(created)).toContain(jobId);
    expect(textOf(created)).toMatch(/wait_for_result/);
  });

  it("wait_for_result waits for completion and returns the full result", async () => {
    const done = await call(sandbox, "wait_for_result", { jobId, waitSeconds: 60 });
    expect(done.isError ?? false).toBe(false);
    const body = structured(done);
    expect(body).toMatchObject({ id: jobId, status: "completed", done: true });
    const result = body.result as { success: unknown; explanation: unknown; data: object };
    expect(typeof result.success).toBe("boolean");
    expect(typeof result.explanation).toBe("string");
    expect(result.data).toHaveProperty("loads");
    expect(body.costUsd).toBeGreaterThan(0);
    expect(typeof body.testerResponse).toBe("string");
    expect(textOf(done)).toMatch(new RegExp(`Job ${jobId} completed`));
  });

  it("returns at once when the job is already terminal", async () => {
    const started = performance.now();
    const again = await call(sandbox, "wait_for_result", { jobId, waitSeconds: 300 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(structured(again)).toMatchObject({ id: jobId, status: "completed", done: true });
  });

  it("waitSeconds defaults to 30 and rejects 0 and 301, naming the field", async () => {
    for (const waitSeconds of [0, 301]) {
      const bad = await call(sandbox, "wait_for_result", { jobId, waitSeconds });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/waitSeconds/);
    }
    const byDefault = await call(sandbox, "wait_for_result", { jobId });
    expect(structured(byDefault)).toMatchObject({ status: "completed" });
  });

  it("get_job and list_jobs read the job", async () => {
    const got = await call(sandbox, "get_job", { jobId });
    expect(structured(got)).toMatchObject({ id: jobId, status: "completed" });
    const page = await call(sandbox, "list_jobs", { status: "completed", limit: 5 });
    expect(page.isError ?? false).toBe(false);
    const data = structured(page).data as { id: string; status: string }[];
    expect(data.length).toBeGreaterThan(0);
    expect(data.length).toBeLessThanOrEqual(5);
    expect(data.every((j) => j.status === "completed")).toBe(true);
    expect(data.map((j) => j.id)).toContain(jobId);
  });

  it("API errors are tool results with the server's message naming the field", async () => {
    const bad = await call(sandbox, "create_job", { ...job, targetDurationMinutes: 99 });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/400/);
    expect(textOf(bad)).toMatch(/targetDurationMinutes/);
    const missing = await call(sandbox, "get_job", { jobId: "00000000-0000-7000-8000-000000000000" });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/404/);
    const noUrl = await call(sandbox, "create_job", { description: "no url" });
    expect(noUrl.isError).toBe(true);
    expect(textOf(noUrl)).toMatch(/url/);
  });
});

describe("a live job (no tester claims it)", () => {
  let jobId: string;

  it("a short wait returns the still-running status and suggests a longer wait", async () => {
    jobId = await createJob(live);
    const started = performance.now();
    const waiting = await call(live, "wait_for_result", { jobId, waitSeconds: 1 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
    expect(waiting.isError ?? false).toBe(false);
    const body = structured(waiting);
    expect(body).toMatchObject({ id: jobId, done: false, suggestedWaitSeconds: 30 });
    expect(["pending", "waiting"]).toContain(body.status);
    expect(textOf(waiting)).toMatch(new RegExp(`still ${String(body.status)}`));
    expect(textOf(waiting)).toMatch(/Call wait_for_result again .* longer wait, e\.g\. waitSeconds 30/);
  });

  it("cancel_job cancels it, and a second wait returns the terminal state at once", async () => {
    const cancelled = await call(live, "cancel_job", { jobId });
    expect(cancelled.isError ?? false).toBe(false);
    expect(textOf(cancelled)).toMatch(/cancelled/);
    const after = await call(live, "wait_for_result", { jobId, waitSeconds: 5 });
    expect(structured(after)).toMatchObject({ id: jobId, status: "cancelled", done: true });
    const again = await call(live, "cancel_job", { jobId });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/409/);
    expect(textOf(again)).toMatch(/already ended \(cancelled\)/);
  });

  it("cancel_job explains the 409 once a tester has claimed the job", async () => {
    const claimedId = await createJob(live);
    await eyeball.platform.services.tester.claim(eyeball.demoTesterId, claimedId);
    const refused = await call(live, "cancel_job", { jobId: claimedId });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/409/);
    expect(textOf(refused)).toMatch(/A tester has already claimed job .* \(status working\)/);
    const waiting = await call(live, "wait_for_result", { jobId: claimedId, waitSeconds: 1 });
    expect(structured(waiting)).toMatchObject({ status: "working", done: false });
    expect(textOf(waiting)).toMatch(/after waiting 1 second;/);
  });
});

describe("configuration", () => {
  it("logs to stderr only (stdout carries protocol messages)", async () => {
    const errors: Error[] = [];
    sandbox.onerror = (error) => errors.push(error);
    await sandbox.ping();
    expect(stderrOf.get(sandbox)?.join("")).toContain(`eyeball-mcp: serving over stdio for ${serverUrl}/api`);
    expect(errors).toEqual([]);
  });

  it("exits 64 with a clear message on stderr when EYEBALL_API_KEY is missing", async () => {
    const env = { ...getDefaultEnvironment(), EYEBALL_URL: serverUrl };
    const got = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [bin], { env, cwd: mcpDir }, (error, stdout, stderr) => {
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      });
      child.stdin?.end();
    });
    expect(got.code).toBe(64);
    expect(got.stderr).toMatch(/EYEBALL_API_KEY is required/);
    expect(got.stdout).toBe("");
  });
});
