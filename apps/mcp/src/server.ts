// The Eyeball MCP tools (create_job, wait_for_result, get_job, list_jobs, cancel_job), each a thin call into @eyeball/sdk.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

import {
  ConflictError,
  type CreateJobRequest,
  EyeballApiError,
  type EyeballClient,
  isTerminal,
  type RunhumanJob,
  TERMINAL_STATUSES,
  WaitTimeoutError,
} from "@eyeball/sdk";

export const DEFAULT_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 300;
/** The reference's polling interval while waiting (used when the server does not stream events). */
const POLL_INTERVAL_MS = 5_000;

const JOB_STATUSES = ["pending", "waiting", "working", ...TERMINAL_STATUSES] as const;

/** The reference's retry pattern: 30 s, then 45, then 60, … — 15 s more each time, at most 300. */
export function nextWaitSeconds(waited: number): number {
  return Math.min(MAX_WAIT_SECONDS, Math.max(DEFAULT_WAIT_SECONDS, waited + 15));
}

const jobId = z.string().min(1).describe("Job ID returned by create_job");

const createJobShape = {
  url: z.string().describe("URL of the site or page to test"),
  description: z
    .string()
    .describe("Instructions for the human tester: what to do and what to report, in plain language"),
  outputSchema: z
    .record(
      z.string(),
      z.object({
        type: z.enum(["boolean", "string", "number", "array", "object"]),
        description: z.string().describe("The question the tester's findings should answer"),
        example: z.unknown().optional(),
      }),
    )
    .optional()
    .describe(
      'Fields to extract from the tester\'s findings, e.g. {"checkoutWorks": {"type": "boolean", "description": "Order placed successfully?"}}',
    ),
  targetDurationMinutes: z
    .number()
    .optional()
    .describe("Time limit for the tester in minutes, 1–60. Default: 5"),
  allowDurationExtension: z
    .boolean()
    .optional()
    .describe("Allow the tester to ask for extra time. Default: true"),
  maxExtensionMinutes: z
    .union([z.number(), z.literal(false)])
    .optional()
    .describe("Most extra minutes allowed in total, or false for no limit. Default: false"),
  additionalValidationInstructions: z
    .string()
    .optional()
    .describe("Extra instructions for the AI that validates the findings and extracts the result"),
  screenSize: z
    .union([
      z.enum(["desktop", "laptop", "tablet", "mobile"]),
      z.object({ width: z.number().int(), height: z.number().int() }),
    ])
    .optional()
    .describe(
      "Browser viewport: desktop 1920×1080, laptop 1366×768, tablet 768×1024, mobile 375×667, or {width, height}. Default: desktop",
    ),
  repoName: z
    .string()
    .optional()
    .describe("GitHub repository (owner/name) given to the validator as context"),
  canCreateGithubIssues: z
    .boolean()
    .optional()
    .describe("Create GitHub issues in repoName from the bugs found. Default: false"),
  testerCount: z.number().int().optional().describe("How many testers run the job. Default: 1"),
  projectId: z.string().optional().describe("Project the job belongs to"),
  title: z.string().optional().describe("Short title shown to testers"),
  credentials: z
    .array(z.object({ username: z.string(), password: z.string() }))
    .optional()
    .describe("Site logins for the tester (encrypted at rest, shown only to the assigned tester)"),
  webhookUrl: z.string().optional().describe("URL that receives signed job events"),
  allowSlotReopen: z.boolean().optional().describe("Reopen a slot when its tester times out. Default: true"),
  categoryId: z.string().optional().describe("Job category, by id or slug"),
  participantFilterIds: z.array(z.string()).optional().describe("Participant filters, each by id or slug"),
};

function text(...lines: string[]): CallToolResult["content"] {
  return lines.map((line) => ({ type: "text" as const, text: line }));
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** An API or connection failure as a tool result the agent can read (the server's message names the field). */
function toolError(error: unknown): CallToolResult {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof EyeballApiError && error.status === 401) {
    message += " — check EYEBALL_API_KEY in this MCP server's environment.";
  }
  return { isError: true, content: text(message) };
}

async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return toolError(error);
  }
}

/** A terminal job: one line the agent can act on, then the whole body (result, explanation, cost, tester response, recording). */
function finished(job: RunhumanJob): CallToolResult {
  const explanation = job.result?.explanation.trim().replace(/\.+$/, "");
  const verdict = job.result ? ` (success: ${String(job.result.success)}) — ${explanation ?? ""}` : "";
  const cost = job.costUsd === undefined ? "" : ` Cost: $${String(job.costUsd)}.`;
  return {
    content: text(`Job ${job.id} ${job.status}${verdict}.${cost}`, json(job)),
    structuredContent: { ...job, done: true },
  };
}

function stillRunning(id: string, status: string, waited: number): CallToolResult {
  const next = nextWaitSeconds(waited);
  return {
    content: text(
      `Job ${id} is still ${status} after waiting ${String(waited)} second${waited === 1 ? "" : "s"}; a human tester is on it or about to be. ` +
        `Call wait_for_result again with jobId "${id}" and a longer wait, e.g. waitSeconds ${String(next)}.`,
    ),
    structuredContent: { id, status, done: false, suggestedWaitSeconds: next },
  };
}

/** A 409 from cancel, explained from the job's current status: claimed by a tester, or already ended. */
async function cancelRefused(
  client: EyeballClient,
  id: string,
  error: ConflictError,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const status = await client.jobs
    .get(id, { signal })
    .then((job) => job.status)
    .catch(() => undefined);
  const why =
    status === undefined
      ? "Only a job that no tester has claimed yet can be cancelled."
      : isTerminal(status)
        ? `Job ${id} has already ended (${status}); there is nothing to cancel.`
        : `A tester has already claimed job ${id} (status ${status}), so it can no longer be cancelled; ` +
          "call wait_for_result to get its result.";
  return { isError: true, content: text(`${error.message}. ${why}`) };
}

export function createMcpServer(client: EyeballClient): McpServer {
  const server = new McpServer(
    { name: "eyeball", version: "0.0.0" },
    {
      instructions:
        "Eyeball runs QA tests of web pages by real human testers. Call create_job with a URL, instructions and " +
        "an outputSchema, then call wait_for_result with the job id (start with waitSeconds 30, then 45, then 60) " +
        "until the job is done. Tests take minutes.",
    },
  );

  server.registerTool(
    "create_job",
    {
      title: "Create a human QA test",
      description:
        "Creates a QA job for a human tester and returns its id at once. Then call wait_for_result with the id.",
      inputSchema: createJobShape,
    },
    (args, extra) =>
      guarded(async () => {
        const body: CreateJobRequest = args;
        const created = await client.jobs.create(body, { signal: extra.signal });
        return {
          content: text(
            `Job ${created.jobId} created. A human tester will run it; this takes minutes. ` +
              `Call wait_for_result with jobId "${created.jobId}" (start with waitSeconds ${String(DEFAULT_WAIT_SECONDS)}, then 45, then 60).`,
          ),
          structuredContent: { jobId: created.jobId, message: created.message },
        };
      }),
  );

  server.registerTool(
    "wait_for_result",
    {
      title: "Wait for a job's result",
      description:
        "Returns the job's result once it is complete: status, extracted data, explanation, costUsd and the " +
        "tester's response. Returns at once when the job is already done; otherwise waits up to waitSeconds and, " +
        "if it is still running, returns its status and suggests calling again with a longer wait.",
      inputSchema: {
        jobId,
        waitSeconds: z
          .number()
          .int()
          .min(1)
          .max(MAX_WAIT_SECONDS)
          .default(DEFAULT_WAIT_SECONDS)
          .describe(
            `How long to wait, in seconds (1–${String(MAX_WAIT_SECONDS)}). Default: ${String(DEFAULT_WAIT_SECONDS)}. Start with 30, then 45, then 60.`,
          ),
      },
    },
    ({ jobId: id, waitSeconds }, extra) =>
      guarded(async () => {
        const current = await client.jobs.get(id, { signal: extra.signal });
        if (isTerminal(current.status)) return finished(current);
        try {
          const job = await client.jobs.wait(id, {
            timeoutMs: waitSeconds * 1000,
            signal: extra.signal,
            pollIntervalMs: POLL_INTERVAL_MS,
            maxPollIntervalMs: POLL_INTERVAL_MS,
          });
          return finished(job);
        } catch (error) {
          if (!(error instanceof WaitTimeoutError)) throw error;
          const status = error.status === "unknown" ? current.status : error.status;
          return stillRunning(id, status, waitSeconds);
        }
      }),
  );

  server.registerTool(
    "get_job",
    {
      title: "Get a job",
      description:
        "The job's current state without waiting: {id, status} while it runs, then the result, cost and recording.",
      inputSchema: { jobId },
    },
    ({ jobId: id }, extra) =>
      guarded(async () => {
        const job = await client.jobs.get(id, { signal: extra.signal });
        return { content: text(json(job)), structuredContent: job };
      }),
  );

  server.registerTool(
    "list_jobs",
    {
      title: "List jobs",
      description:
        "The organisation's jobs, newest first, one page at a time; pass the returned `next` as cursor for the next page.",
      inputSchema: {
        status: z.enum(JOB_STATUSES).optional().describe("Only jobs in this status"),
        limit: z.number().int().optional().describe("Jobs per page (the server's default and maximum apply)"),
        cursor: z.string().optional().describe("The `next` value of the previous page"),
      },
    },
    ({ status, limit, cursor }, extra) =>
      guarded(async () => {
        const page = await client.jobs.list(
          {
            ...(status === undefined ? {} : { status }),
            ...(limit === undefined ? {} : { limit }),
            ...(cursor === undefined ? {} : { cursor }),
          },
          { signal: extra.signal },
        );
        return { content: text(json(page)), structuredContent: page };
      }),
  );

  server.registerTool(
    "cancel_job",
    {
      title: "Cancel a job",
      description:
        "Cancels a job that no tester has claimed yet (it then costs nothing). Once a tester has claimed it, it cannot be cancelled.",
      inputSchema: { jobId },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    ({ jobId: id }, extra) =>
      guarded(async () => {
        try {
          const run = await client.jobs.cancel(id, { signal: extra.signal });
          return { content: text(`Job ${id} cancelled.`, json(run)), structuredContent: run };
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          return cancelRefused(client, id, error, extra.signal);
        }
      }),
  );

  return server;
}
