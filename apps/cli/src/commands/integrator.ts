// Integrator commands over the REST API (@eyeball/sdk): `eyeball run` for CI, and `eyeball jobs list|get|cancel`.
import { readFileSync } from "node:fs";
import path from "node:path";

import { type Command, InvalidArgumentError, Option } from "commander";

import {
  ConnectionError,
  type CreateJobRequest,
  createEyeballClient,
  type EyeballClient,
  EyeballApiError,
  JOB_STATUSES,
  type JobStatus,
  type RunhumanJob,
  WaitTimeoutError,
} from "@eyeball/sdk";

import { CliExit, EXIT } from "../exit";
import { writeGithubFiles, writeGithubTimeout } from "../github-summary";
import { type IntegratorFlags, resolveIntegratorConfig } from "../integrator-config";
import type { Output } from "../program";
import { createProgress } from "./progress";

const PRESETS = ["desktop", "laptop", "tablet", "mobile"] as const;
/** `desktop|laptop|tablet|mobile` or `WIDTHxHEIGHT` (e.g. 1280x800). */
export function parseScreen(value: string): CreateJobRequest["screenSize"] {
  if ((PRESETS as readonly string[]).includes(value)) return value as (typeof PRESETS)[number];
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(value);
  if (!match)
    throw new InvalidArgumentError(`expected ${PRESETS.join(", ")} or WIDTHxHEIGHT (e.g. 1280x800)`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive whole number`);
    return n;
  };
}

/** The output schema from a JSON file: `{field: {type, description}}`. */
export function readSchemaFile(file: string, cwd: string): NonNullable<CreateJobRequest["outputSchema"]> {
  const resolved = path.resolve(cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolved, "utf8"));
  } catch (error) {
    throw new CliExit(
      EXIT.usage,
      `--schema ${resolved}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliExit(
      EXIT.usage,
      `--schema ${resolved}: must be a JSON object of {field: {type, description}}`,
    );
  }
  return parsed as NonNullable<CreateJobRequest["outputSchema"]>;
}

/** Exit code for a finished job: 0 only when it completed and the tester's result says it succeeded. */
export function exitCodeFor(job: RunhumanJob): number {
  return job.status === "completed" && job.result?.success === true ? EXIT.ok : EXIT.testFailed;
}

/** Maps SDK errors onto the CLI's exit codes with one readable line. */
export function toCliExit(error: unknown): unknown {
  if (error instanceof CliExit) return error;
  if (error instanceof WaitTimeoutError) {
    return new CliExit(EXIT.timeout, `timed out: ${error.message} (the job goes on)`);
  }
  if (error instanceof EyeballApiError) return new CliExit(EXIT.apiError, error.message);
  if (error instanceof ConnectionError)
    return new CliExit(EXIT.apiError, `cannot reach the server: ${error.message}`);
  return error;
}

type ConnectionOptions = IntegratorFlags;

/** Parse errors of the integrator commands exit 64 (commander has printed the message), so CI can tell them from a failed test. */
function usageExit(command: Command): Command {
  return command.exitOverride((error) => {
    throw new CliExit(error.exitCode === 0 ? EXIT.ok : EXIT.usage, "");
  });
}

function connectionOptions(command: Command): Command {
  return usageExit(command)
    .option("--api-key <key>", "API key (default EYEBALL_API_KEY or the config file)")
    .option(
      "--server <url>",
      "Eyeball server URL (default EYEBALL_URL, the config file, or http://127.0.0.1:4000)",
    )
    .option(
      "--config <file>",
      "JSON config file with {apiKey, url} (default ./.eyeball.json, ~/.config/eyeball/config.json)",
    );
}

export interface IntegratorIo extends Output {
  /** Progress and notes go to stderr so stdout stays pure JSON. */
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export function defaultIntegratorIo(io: Output): IntegratorIo {
  return {
    ...io,
    stderr: process.stderr,
    isTTY: process.stderr.isTTY,
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
  };
}

function clientFor(options: ConnectionOptions, io: IntegratorIo): EyeballClient {
  const config = resolveIntegratorConfig(options, io.env, io.cwd);
  return createEyeballClient({ apiKey: config.apiKey, baseUrl: config.url, userAgent: "eyeball-cli" });
}

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw toCliExit(error);
  }
}

interface RunFlags extends ConnectionOptions {
  url: string;
  description: string;
  schema?: string;
  screen?: CreateJobRequest["screenSize"];
  duration?: number;
  testers?: number;
  title?: string;
  project?: string;
  wait: boolean;
  timeout?: number;
  idempotencyKey?: string;
  progress?: "auto" | "tty" | "plain" | "none";
  github: boolean;
}

export function registerIntegratorCommands(program: Command, io: IntegratorIo): void {
  connectionOptions(
    program
      .command("run")
      .description(
        "Create a human test of a URL; with --wait, follow it live and print the result as JSON (exit 0 passed, 1 failed, 2 timeout, 3 API error)",
      )
      .requiredOption("--url <url>", "the page to test")
      .requiredOption("--description <text>", "what the tester should do and report")
      .option("--schema <file.json>", "output schema: {field: {type, description}}")
      .option("--screen <size>", "desktop, laptop, tablet, mobile or WIDTHxHEIGHT", parseScreen)
      .option("--duration <minutes>", "target duration, 1–60 (default 5)", positiveInteger("--duration"))
      .option("--testers <n>", "how many testers (default 1)", positiveInteger("--testers"))
      .option("--title <text>", "a title shown in the portal")
      .option("--project <id>", "project id")
      .option("--wait", "wait for the result and exit with its code", false)
      .option(
        "--timeout <seconds>",
        "with --wait: give up after this long (exit 2)",
        positiveInteger("--timeout"),
      )
      .option("--idempotency-key <key>", "a retried command creates the job once (e.g. the CI run id)")
      .option(
        "--github",
        "with --wait in GitHub Actions: write the job summary ($GITHUB_STEP_SUMMARY) and step outputs ($GITHUB_OUTPUT)",
        false,
      )
      .addOption(
        new Option("--progress <style>", "live display on stderr")
          .choices(["auto", "tty", "plain", "none"])
          .default("auto"),
      ),
  ).action((flags: RunFlags) =>
    guarded(async () => {
      const body: CreateJobRequest = {
        url: flags.url,
        description: flags.description,
        ...(flags.schema === undefined ? {} : { outputSchema: readSchemaFile(flags.schema, io.cwd) }),
        ...(flags.screen === undefined ? {} : { screenSize: flags.screen }),
        ...(flags.duration === undefined ? {} : { targetDurationMinutes: flags.duration }),
        ...(flags.testers === undefined ? {} : { testerCount: flags.testers }),
        ...(flags.title === undefined ? {} : { title: flags.title }),
        ...(flags.project === undefined ? {} : { projectId: flags.project }),
      };
      const client = clientFor(flags, io);
      const createOptions =
        flags.idempotencyKey === undefined ? {} : { idempotencyKey: flags.idempotencyKey };
      if (!flags.wait) {
        const created = await client.jobs.create(body, createOptions);
        io.out(`${JSON.stringify({ jobId: created.jobId })}\n`);
        return;
      }
      // A terminal that reports no width (some CI ptys) cannot hold a redrawn line: plain lines there.
      const width = (io.stderr as { columns?: number }).columns ?? 0;
      const style =
        flags.progress === "auto" || flags.progress === undefined
          ? io.isTTY && width > 0
            ? "tty"
            : "plain"
          : flags.progress;
      const progress = createProgress(style, io.stderr, client);
      const interrupted = new AbortController();
      const onSignal = () => {
        interrupted.abort(new CliExit(130, "interrupted; the job goes on"));
      };
      process.once("SIGINT", onSignal);
      const jobUrlOf = (id: string) => `${client.apiBase.replace(/\/api$/, "")}/jobs/${id}`;
      const githubFiles = {
        ...(io.env.GITHUB_STEP_SUMMARY ? { summaryFile: io.env.GITHUB_STEP_SUMMARY } : {}),
        ...(io.env.GITHUB_OUTPUT ? { outputFile: io.env.GITHUB_OUTPUT } : {}),
      };
      try {
        const job = await client.run(body, {
          ...createOptions,
          signal: interrupted.signal,
          ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
          onCreated: (jobId) => {
            progress.created(jobId, client.apiBase);
          },
          onUpdate: (update) => {
            progress.update(update);
          },
        });
        progress.finish(job);
        if (flags.github) writeGithubFiles(job, jobUrlOf(job.id), githubFiles);
        io.out(`${JSON.stringify(job, null, 2)}\n`);
        process.exitCode = exitCodeFor(job);
      } catch (error) {
        if (flags.github && error instanceof WaitTimeoutError) {
          writeGithubTimeout(error.jobId, error.status, jobUrlOf(error.jobId), githubFiles);
        }
        throw error;
      } finally {
        process.off("SIGINT", onSignal);
        progress.stop();
      }
    }),
  );

  const jobs = usageExit(
    program.command("jobs").description("List, read and cancel jobs over the REST API (JSON on stdout)"),
  );
  connectionOptions(
    jobs
      .command("list")
      .description(
        "The newest jobs first, one JSON page ({data, next}); --all prints every job as JSON lines",
      )
      .addOption(new Option("--status <status>", "only jobs in this status").choices(JOB_STATUSES))
      .option("--limit <n>", "page size (1–100)", positiveInteger("--limit"))
      .option("--cursor <cursor>", "the `next` of a previous page")
      .option("--all", "walk every page", false),
  ).action(
    (flags: ConnectionOptions & { status?: JobStatus; limit?: number; cursor?: string; all: boolean }) =>
      guarded(async () => {
        const client = clientFor(flags, io);
        const query = {
          ...(flags.status === undefined ? {} : { status: flags.status }),
          ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        };
        if (flags.all) {
          for await (const job of client.jobs.all(query)) io.out(`${JSON.stringify(job)}\n`);
          return;
        }
        const page = await client.jobs.list({
          ...query,
          ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
        });
        io.out(`${JSON.stringify(page, null, 2)}\n`);
      }),
  );
  connectionOptions(
    jobs
      .command("get")
      .description("One job with its slots, settlement and result")
      .argument("<id>", "job id"),
  ).action((id: string, flags: ConnectionOptions) =>
    guarded(async () => {
      io.out(`${JSON.stringify(await clientFor(flags, io).jobs.details(id), null, 2)}\n`);
    }),
  );
  connectionOptions(
    jobs
      .command("cancel")
      .description("Cancel a job no tester has claimed yet (409 after)")
      .argument("<id>", "job id"),
  ).action((id: string, flags: ConnectionOptions) =>
    guarded(async () => {
      io.out(`${JSON.stringify(await clientFor(flags, io).jobs.cancel(id))}\n`);
    }),
  );
}
