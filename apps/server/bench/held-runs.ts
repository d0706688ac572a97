// Phase 3: thousands of POST /api/run held open at once — server memory, database load while they
// wait, and the time from a tester's submission to the waiter's answer.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import { build } from "hdr-histogram-js";

import { type Database } from "@eyeball/db";

import { FULL_MESSAGE, JOB_INPUT, newTester, openDbClient, type DbClient } from "../e2e/e2e-harness";
import { type BenchConfig } from "./bench-config";
import {
  busyBackends,
  rssKib,
  type ScratchDatabase,
  type StatementCounter,
  transactionCount,
} from "./scratch-database";

interface HeldRequest {
  status?: number;
  arrivedAt?: number;
  /** Date.now() at the answer, to compare with the job's completedAt (same machine, same clock). */
  arrivedWall?: number;
  error?: string;
  /** The answer came before the bench submitted its job (an error, a 408, or a bug). */
  early: boolean;
}

export interface QuietWindow {
  seconds: number;
  transactionsPerSecond: number;
  /** pg_stat_statements calls per second, when available. */
  statementsPerSecond: number | null;
}

export interface HeldPhaseResult {
  held: number;
  /** Jobs of the held organisation that exist when the wait window starts. */
  created: number;
  createSeconds: number;
  /** Requests still open (no answer, no error) at the end of the wait window. */
  openDuringWindow: number;
  rssBeforeKib: number | null;
  rssWhileKib: number | null;
  idle: QuietWindow;
  waiting: QuietWindow;
  earlyAnswers: Record<string, number>;
  earlySamples: string[];
  /** Held requests that failed at the connection level (before the bench released them). */
  connectionErrors: number;
  connectionErrorSample: string | null;
  submitted: number;
  /** Submitted jobs whose held request answered 200 with status completed. */
  completed: number;
  /** Submitted jobs whose held request had not answered when the phase ended (censored). */
  unanswered: number;
  /** Status (and body status) of every answer to a submitted job. */
  answerStatuses: Record<string, number>;
  /**
   * Percentiles over every submitted job; an unanswered one counts with its waiting time so far, so
   * with `unanswered > 0` each figure is a lower bound.
   */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  latencyMaxMs: number | null;
  /** Job completedAt (extraction's commit) → the held answer, over completed answers. */
  wakeP50Ms: number | null;
  wakeP99Ms: number | null;
  /** Completed answers per second over the submit phase (first submit → last answer or phase end). */
  answersPerSecond: number;
  submitCallP50Ms: number | null;
  submitSeconds: number;
  batches: number;
  /** The submit budget ended the phase before every job was submitted. */
  cutShort: boolean;
  claimFailures: string[];
}

export interface HeldPhaseDeps {
  config: BenchConfig;
  serverUrl: string;
  serverPid: number | undefined;
  database: Database;
  scratch: ScratchDatabase;
  statements: StatementCounter;
  orgId: string;
  key: string;
  /** Called once the bench's own database client is open again (so the caller closes it at the end). */
  onClient: (client: DbClient) => void;
  log: (line: string) => void;
}

async function quietWindow(deps: HeldPhaseDeps): Promise<QuietWindow> {
  const { scratch, statements } = deps;
  const tx0 = await transactionCount(scratch.admin, scratch.name);
  const calls0 = await statements.calls();
  const t0 = performance.now();
  await sleep(deps.config.quietSeconds * 1000);
  const tx1 = await transactionCount(scratch.admin, scratch.name);
  // The second read of pg_stat_statements counts itself; the first one is inside the window.
  const calls1 = await statements.calls();
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    transactionsPerSecond: (tx1 - tx0) / seconds,
    statementsPerSecond: statements.available ? Math.max(0, calls1 - calls0 - 1) / seconds : null,
  };
}

/** The percentile of `values` (ms) through an HDR histogram at microsecond resolution. */
function percentileMs(values: readonly number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  for (const ms of values) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  const micros = histogram.getValueAtPercentile(percentile);
  histogram.destroy();
  return micros / 1000;
}

/** Resolves when `promise` does or after `ms`, whichever is first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Runs `work` over `items` with at most `parallel` in flight. */
async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await work(item);
      }
    }),
  );
}

/** Quiet: no backend of the scratch database busy in 2 s of samples (bounded by 30 s). Returns the seconds it took. */
async function waitForQuiet(deps: HeldPhaseDeps): Promise<number> {
  const t0 = performance.now();
  const deadline = t0 + 30_000;
  let quietSamples = 0;
  while (quietSamples < 8 && performance.now() < deadline) {
    quietSamples = (await busyBackends(deps.scratch.admin, deps.scratch.name)) === 0 ? quietSamples + 1 : 0;
    await sleep(250);
  }
  return (performance.now() - t0) / 1000;
}

/** The server's backlog drained (pg_stat_activity), then the counters' flush delay passed. */
async function settleStats(deps: HeldPhaseDeps, what: string): Promise<void> {
  const quietAfter = await waitForQuiet(deps);
  deps.log(
    `held: ${what}: database quiet after ${quietAfter.toFixed(1)} s; ${deps.config.statsSettleSeconds} s for its counters…`,
  );
  if (deps.config.statsSettleSeconds > 0) await sleep(deps.config.statsSettleSeconds * 1000);
}

export async function runHeldPhase(deps: HeldPhaseDeps): Promise<HeldPhaseResult> {
  const { config, database, log } = deps;
  const prisma = database.prisma;
  const port = Number(new URL(deps.serverUrl).port);
  const payload = JSON.stringify(JOB_INPUT);

  // Before: the server after the earlier phases, nothing in flight; the bench's own client is closed.
  await settleStats(deps, "idle window");
  const rssBeforeKib = await rssKib(deps.serverPid);
  const idle = await quietWindow(deps);

  const agent = new http.Agent({ keepAlive: true, maxSockets: config.held + 100, maxFreeSockets: 16 });
  const requests: HeldRequest[] = [];
  /** Submitted job → performance.now() just before its submit call. */
  const submitAt = new Map<string, number>();
  /** Submitted job → its answer's latency in ms (answers of any status). */
  const answeredIn = new Map<string, number>();
  /** Completed job → Date.now() when its answer arrived. */
  const answeredWall = new Map<string, number>();
  const arrivals = new Map<string, () => void>();
  const earlyAnswers: Record<string, number> = {};
  const earlySamples: string[] = [];
  const answerStatuses: Record<string, number> = {};
  let completed = 0;
  let lastAnswerAt = 0;

  const onAnswer = (entry: HeldRequest, text: string): void => {
    let body: { id?: unknown; jobId?: unknown; status?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: kept as a sample below.
    }
    const id =
      typeof body.id === "string" ? body.id : typeof body.jobId === "string" ? body.jobId : undefined;
    const label = `${entry.status ?? 0}${typeof body.status === "string" ? ` ${body.status}` : ""}`;
    const t0 = id === undefined ? undefined : submitAt.get(id);
    if (id === undefined || t0 === undefined || entry.arrivedAt === undefined) {
      entry.early = true;
      earlyAnswers[label] = (earlyAnswers[label] ?? 0) + 1;
      if (earlySamples.length < 3) earlySamples.push(`${entry.status ?? 0} ${text.slice(0, 300)}`);
      return;
    }
    answeredIn.set(id, entry.arrivedAt - t0);
    answerStatuses[label] = (answerStatuses[label] ?? 0) + 1;
    if (entry.status === 200 && body.status === "completed") {
      completed++;
      if (entry.arrivedWall !== undefined) answeredWall.set(id, entry.arrivedWall);
    }
    lastAnswerAt = entry.arrivedAt;
    arrivals.get(id)?.();
  };

  const send = (): void => {
    const entry: HeldRequest = { early: false };
    requests.push(entry);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/run",
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${deps.key}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => {
          entry.error ??= error.message;
        });
        res.on("end", () => {
          entry.arrivedAt = performance.now();
          entry.arrivedWall = Date.now();
          entry.status = res.statusCode ?? 0;
          onAnswer(entry, Buffer.concat(chunks).toString("utf8"));
        });
      },
    );
    req.on("error", (error) => {
      entry.error ??= error.message;
    });
    req.end(payload);
  };

  let client: DbClient | undefined;
  try {
    log(`held: sending ${config.held} POST /api/run…`);
    const createStart = performance.now();
    for (let i = 0; i < config.held; i++) send();

    // Wait (bounded) until every held request has its job, or has been answered or failed.
    const createDeadline = createStart + config.heldCreateMaxSeconds * 1000;
    let created = 0;
    for (;;) {
      created = await prisma.job.count({ where: { orgId: deps.orgId } });
      const settled = requests.filter((r) => r.arrivedAt !== undefined || r.error !== undefined).length;
      if (created >= config.held || created + settled >= config.held) break;
      if (performance.now() > createDeadline) {
        log(`held: only ${created} of ${config.held} jobs created within ${config.heldCreateMaxSeconds} s`);
        break;
      }
      await sleep(250);
    }
    const createSeconds = (performance.now() - createStart) / 1000;
    log(`held: ${created} jobs created in ${createSeconds.toFixed(1)} s`);

    // Let the creations' follow-up work finish and its counters reach pg_stat_database, then measure.
    await settleStats(deps, "waiting window");
    const waiting = await quietWindow(deps);
    const rssWhileKib = await rssKib(deps.serverPid);
    const openDuringWindow = requests.filter(
      (r) => r.arrivedAt === undefined && r.error === undefined,
    ).length;

    // A tester claims and submits, batch by batch; each submission is timed to its waiter's answer.
    client = await openDbClient(database);
    deps.onClient(client);
    const tester = await newTester(client);
    const caller = client.testerCaller(tester);
    const rows = await prisma.job.findMany({
      where: { orgId: deps.orgId, status: "waiting" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
      take: config.submit,
    });
    const jobIds = rows.map((row) => row.id);
    const submitCalls: number[] = [];
    const claimFailures: string[] = [];
    let batches = 0;
    let cutShort = false;
    log(`held: claiming and submitting ${jobIds.length} jobs in batches of ${config.submitBatch}…`);
    const submitStart = performance.now();
    const budgetEnd = submitStart + config.submitBudgetSeconds * 1000;
    const note = (what: string, jobId: string, error: unknown) => {
      if (claimFailures.length < 3) {
        claimFailures.push(`${what} ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    for (let offset = 0; offset < jobIds.length; offset += config.submitBatch) {
      if (performance.now() > budgetEnd) {
        cutShort = true;
        break;
      }
      const batch = jobIds.slice(offset, offset + config.submitBatch);
      const claimed: { jobId: string; assignmentId: string }[] = [];
      await inParallel(batch, config.submitParallel, async (jobId) => {
        try {
          const { assignment } = await caller.claim({ jobId });
          claimed.push({ jobId, assignmentId: assignment.id });
        } catch (error) {
          note("claim", jobId, error);
        }
      });
      const answered = claimed.map(
        ({ jobId }) =>
          new Promise<void>((resolve) => {
            arrivals.set(jobId, resolve);
          }),
      );
      await inParallel(claimed, config.submitParallel, async ({ jobId, assignmentId }) => {
        const t0 = performance.now();
        submitAt.set(jobId, t0);
        try {
          await caller.submit({ id: assignmentId, message: FULL_MESSAGE });
          submitCalls.push(performance.now() - t0);
        } catch (error) {
          submitAt.delete(jobId);
          arrivals.get(jobId)?.();
          note("submit", jobId, error);
        }
      });
      // The next batch starts when this one is answered, or its bound (or the budget) has passed.
      await within(
        Promise.all(answered),
        Math.min(config.batchMaxSeconds * 1000, Math.max(0, budgetEnd - performance.now())),
      );
      batches++;
      if (batches % 5 === 0) log(`held: ${submitAt.size} submitted, ${answeredIn.size} answered…`);
    }
    // Final drain: the last answers get one more batch bound.
    const outstanding = [...submitAt.keys()]
      .filter((jobId) => !answeredIn.has(jobId))
      .map((jobId) => new Promise<void>((resolve) => arrivals.set(jobId, resolve)));
    await within(Promise.all(outstanding), config.batchMaxSeconds * 1000);
    const phaseEnd = performance.now();
    const submitSeconds = (phaseEnd - submitStart) / 1000;

    // Unanswered jobs count with the time they waited so far: the percentiles become lower bounds.
    const latencies = [...submitAt].map(([jobId, t0]) => answeredIn.get(jobId) ?? phaseEnd - t0);
    const unanswered = [...submitAt.keys()].filter((jobId) => !answeredIn.has(jobId)).length;
    // The waiter's own share: the job's completion commit (completedAt, the server's clock) → its answer.
    const finished = await prisma.job.findMany({
      where: { id: { in: [...answeredWall.keys()] } },
      select: { id: true, completedAt: true },
    });
    const wakeLatencies = finished.flatMap(({ id, completedAt }) => {
      const arrived = answeredWall.get(id);
      return completedAt && arrived !== undefined ? [Math.max(0, arrived - completedAt.getTime())] : [];
    });
    const answerSpan = ((unanswered > 0 ? phaseEnd : lastAnswerAt || phaseEnd) - submitStart) / 1000;

    const failed = requests.filter((r) => r.error !== undefined);
    return {
      connectionErrors: failed.length,
      connectionErrorSample: failed[0]?.error ?? null,
      held: config.held,
      created,
      createSeconds,
      openDuringWindow,
      rssBeforeKib,
      rssWhileKib,
      idle,
      waiting,
      earlyAnswers,
      earlySamples,
      submitted: submitAt.size,
      completed,
      unanswered,
      answerStatuses,
      latencyP50Ms: percentileMs(latencies, 50),
      latencyP99Ms: percentileMs(latencies, 99),
      latencyMaxMs: latencies.length === 0 ? null : Math.max(...latencies),
      wakeP50Ms: percentileMs(wakeLatencies, 50),
      wakeP99Ms: percentileMs(wakeLatencies, 99),
      answersPerSecond: answerSpan > 0 ? completed / answerSpan : 0,
      submitCallP50Ms: percentileMs(submitCalls, 50),
      submitSeconds,
      batches,
      cutShort,
      claimFailures,
    };
  } finally {
    // Release every held request still open: the server stops waiting when its client goes away.
    agent.destroy();
  }
}
