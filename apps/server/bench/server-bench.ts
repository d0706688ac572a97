// `pnpm bench`: the server under load, as production runs it — a separate `src/main.ts` process on a
// fresh PostgreSQL database — against baselines measured in the same run.
//
//   1. POST /api/jobs creations per second (autocannon, C connections) vs raw pg INSERTs of the same row.
//   2. GET /api/job/:id per second and p99 latency (64 connections).
//   3. N POST /api/run held open at once: server RSS before/while, database transactions per second
//      while they wait, and submit → answer latency as a tester works through them.
//
// Every count and bound is an EYEBALL_BENCH_* variable (bench-config.ts). The run exits by itself:
// the server is killed and the scratch database dropped, also on failure, SIGINT or the deadline.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import pg from "pg";

import { createDatabase, type Database, poolConfigFromUrl } from "@eyeball/db";

import {
  type DbClient,
  freePort,
  JOB_INPUT,
  killServer,
  newLiveOrg,
  openDbClient,
  type ServerProcess,
  startServer,
} from "../e2e/e2e-harness";
import { loadBenchConfig } from "./bench-config";
import { type HeldPhaseResult, runHeldPhase } from "./held-runs";
import { httpLoad, type HttpLoadResult, rawInserts, type RawInsertResult } from "./load";
import {
  createScratchDatabase,
  hostOf,
  openStatementCounter,
  type ScratchDatabase,
  type StatementCounter,
} from "./scratch-database";

/** Live credit granted to each bench organisation: far more than every hold the run places. */
const CREDIT_MICROS = 10_000_000_000_000n;
/** The server's POST /api/run wait: longer than the bench, so no held request times out on its own. */
const RUN_WAIT_MS = 15 * 60 * 1000;

const config = loadBenchConfig();
const benchStart = performance.now();
const problems: string[] = [];
/** Findings that do not make the run fail (bounds that cut a phase short). */
const notes: string[] = [];

function elapsed(): string {
  return `${((performance.now() - benchStart) / 1000).toFixed(1)}s`;
}
function log(line: string): void {
  process.stdout.write(`[bench ${elapsed()}] ${line}\n`);
}
/** A result line: one label, one figure. */
function figure(label: string, value: string): void {
  process.stdout.write(`BENCH ${label.padEnd(58)} ${value}\n`);
}
function fixed(value: number | null, digits = 1): string {
  return value === null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}
function mib(kib: number | null): string {
  return kib === null ? "n/a" : `${(kib / 1024).toFixed(1)} MiB`;
}

let scratch: ScratchDatabase | undefined;
let database: Database | undefined;
let statements: StatementCounter | undefined;
let client: DbClient | undefined;
let server: ServerProcess | undefined;
let dataDir: string | undefined;
let cleaning: Promise<void> | undefined;

/** Kills the server, closes every client and drops the scratch database; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (server) {
      const running = server;
      // SIGTERM lets it close its pool; SIGKILL when it does not exit within 5 s.
      const force = setTimeout(() => void killServer(running, "SIGKILL"), 5_000);
      await killServer(running, "SIGTERM");
      clearTimeout(force);
    }
    await client?.close().catch(() => undefined);
    await statements?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    if (scratch) {
      await scratch.drop().then(
        () => {
          log(`dropped database ${scratch?.name ?? ""}`);
        },
        (error: unknown) => {
          log(
            `could not drop ${scratch?.name ?? ""}: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      );
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

function abort(reason: string, code: number): void {
  log(`aborting: ${reason}`);
  void cleanup().finally(() => process.exit(code));
}
const watchdog = setTimeout(() => {
  abort(`the bench ran past its ${config.deadlineSeconds} s deadline (EYEBALL_BENCH_DEADLINE_S)`, 2);
}, config.deadlineSeconds * 1000);
process.once("SIGINT", () => {
  abort("SIGINT", 130);
});
process.once("SIGTERM", () => {
  abort("SIGTERM", 143);
});

function checkHttp(name: string, result: HttpLoadResult): void {
  if (result.non2xx > 0 || result.errors > 0) {
    problems.push(
      `${name}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify(result.statuses)}); e.g. ${result.failures.join(" | ") || "-"}`,
    );
  }
  if (result.cutShort) notes.push(`${name}: stopped by its time bound before its request count`);
}

/** One API-created job row, as the template of the raw INSERT baseline, and a scratch table shaped like `jobs`. */
async function prepareRawTable(url: string, orgId: string): Promise<Record<string, unknown>> {
  const pgClient = new pg.Client(poolConfigFromUrl(url));
  await pgClient.connect();
  try {
    await pgClient.query(`CREATE TABLE bench_raw_jobs (LIKE jobs INCLUDING ALL)`);
    const { rows } = await pgClient.query<Record<string, unknown>>(
      `SELECT * FROM jobs WHERE "orgId" = $1 ORDER BY "createdAt" DESC LIMIT 1`,
      [orgId],
    );
    const row = rows[0];
    if (!row) throw new Error("no API-created job to copy for the raw INSERT baseline");
    return row;
  } finally {
    await pgClient.end();
  }
}

interface Results {
  create?: HttpLoadResult;
  raw?: RawInsertResult;
  get?: HttpLoadResult;
  held?: HeldPhaseResult;
}

function printSummary(results: Results, statementsNote: string): void {
  const { create, raw, get, held } = results;
  const ratio = create && raw ? create.okPerSecond / raw.perSecond : null;
  const bound = held && held.unanswered > 0 ? "≥ " : "";
  const c = config.concurrency;
  const rows: [string, string][] = [
    [`POST /api/jobs creations/s (C=${c})`, fixed(create?.okPerSecond ?? null)],
    [`raw INSERT rows/s (C=${c})`, fixed(raw?.perSecond ?? null)],
    ["API / raw ratio", fixed(ratio, 4)],
    [`GET /api/job/:id req/s (${config.getConnections} conn)`, fixed(get?.okPerSecond ?? null)],
    [`GET /api/job/:id p99 latency ms`, fixed(get?.latencyP99Ms ?? null, 2)],
    [`server RSS before ${config.held} held`, mib(held?.rssBeforeKib ?? null)],
    [`server RSS while ${config.held} held`, mib(held?.rssWhileKib ?? null)],
    ["DB xacts/s idle (pg_stat_database)", fixed(held?.idle.transactionsPerSecond ?? null)],
    [
      `DB xacts/s while ${config.held} held (pg_stat_database)`,
      fixed(held?.waiting.transactionsPerSecond ?? null),
    ],
    ["submit → held answer p50 ms", `${bound}${fixed(held?.latencyP50Ms ?? null)}`],
    ["submit → held answer p99 ms", `${bound}${fixed(held?.latencyP99Ms ?? null)}`],
    ["job completedAt → held answer p99 ms", fixed(held?.wakeP99Ms ?? null, 2)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const line = `+-${"-".repeat(width)}-+-${"-".repeat(12)}-+`;
  process.stdout.write(`\nSummary (pg_stat_statements: ${statementsNote})\n${line}\n`);
  for (const [label, value] of rows)
    process.stdout.write(`| ${label.padEnd(width)} | ${value.padStart(12)} |\n`);
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  log(
    `config: C=${config.concurrency} creations=${config.creations} get=${config.getConnections}conn×${config.getSeconds}s held=${config.held} submit=${config.submit}/batch ${config.submitBatch}`,
  );
  scratch = await createScratchDatabase(config.adminUrls);
  log(`created database ${scratch.name} on ${hostOf(scratch.adminUrl)}`);
  database = await createDatabase({ url: scratch.url, migrate: true });
  statements = await openStatementCounter(scratch.url, scratch.name);
  const statementsNote = statements.available ? "available" : `unavailable (${statements.reason})`;
  log(`pg_stat_statements: ${statementsNote}; database load is measured with pg_stat_database`);

  dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-bench-"));
  const port = await freePort();
  server = await startServer({
    name: "bench server",
    port,
    databaseUrl: scratch.url,
    dataDir,
    role: "both",
    runWaitMs: RUN_WAIT_MS,
  });
  log(
    `server pid ${server.child.pid ?? "?"} at ${server.url} (role both, sandbox off, rate limit 100000/min per key)`,
  );

  client = await openDbClient(database);
  const main = await newLiveOrg(client, CREDIT_MICROS);
  const getKey = (await client.services.apiKeys.create(main.orgId, { name: "bench get", mode: "live" })).key;
  const heldOrg = await newLiveOrg(client, CREDIT_MICROS);
  log(`organisations ready (live credit ${String(CREDIT_MICROS / 1_000_000n)} USD each)`);

  const results: Results = {};
  const c = config.concurrency;

  // 1. Job creation: the API against raw INSERTs of the same row, same concurrency.
  if (config.warmup > 0) {
    const warm = await httpLoad({
      url: `${server.url}/api/jobs`,
      method: "POST",
      key: main.key,
      connections: Math.min(c, config.warmup),
      amount: config.warmup,
      maxSeconds: config.creationMaxSeconds,
      body: JOB_INPUT,
    });
    checkHttp("warm-up POST /api/jobs", warm);
  }
  log(`POST /api/jobs ×${config.creations} at C=${c}…`);
  const create = await httpLoad({
    url: `${server.url}/api/jobs`,
    method: "POST",
    key: main.key,
    connections: c,
    amount: config.creations,
    maxSeconds: config.creationMaxSeconds,
    body: JOB_INPUT,
  });
  results.create = create;
  checkHttp("POST /api/jobs", create);
  figure(`POST /api/jobs creations/s (C=${c}, ${create.ok} created)`, `${fixed(create.okPerSecond)} /s`);
  figure(`POST /api/jobs latency p50 (C=${c})`, `${fixed(create.latencyP50Ms, 2)} ms`);
  figure(`POST /api/jobs latency p99 (C=${c})`, `${fixed(create.latencyP99Ms, 2)} ms`);

  const template = await prepareRawTable(scratch.url, main.orgId);
  log(`raw INSERT ×${config.creations} into bench_raw_jobs (LIKE jobs INCLUDING ALL) at C=${c}…`);
  const raw = await rawInserts({
    url: scratch.url,
    table: "bench_raw_jobs",
    template,
    count: config.creations,
    concurrency: c,
    maxSeconds: config.creationMaxSeconds,
  });
  results.raw = raw;
  if (raw.failures.length > 0) problems.push(`raw INSERT: ${raw.failures.join(" | ")}`);
  figure(`raw INSERT rows/s (C=${c}, ${raw.inserted} rows)`, `${fixed(raw.perSecond)} /s`);
  figure("job creation ratio API / raw INSERT", fixed(create.okPerSecond / raw.perSecond, 4));

  // 2. Reads: GET /api/job/:id over the jobs just created, a fixed duration.
  const ids = (
    await database.prisma.job.findMany({ where: { orgId: main.orgId }, select: { id: true }, take: 200 })
  ).map((row) => row.id);
  let nextId = 0;
  log(`GET /api/job/:id at ${config.getConnections} connections for ${config.getSeconds} s…`);
  const get = await httpLoad({
    url: `${server.url}/api/job/${ids[0] ?? "none"}`,
    method: "GET",
    key: getKey,
    connections: config.getConnections,
    durationSeconds: config.getSeconds,
    maxSeconds: config.getSeconds + 10,
    nextPath: () => `/api/job/${ids[nextId++ % ids.length] ?? "none"}`,
  });
  results.get = get;
  checkHttp("GET /api/job/:id", get);
  figure(
    `GET /api/job/:id req/s (${config.getConnections} conn, ${get.ok} ok)`,
    `${fixed(get.okPerSecond)} /s`,
  );
  figure(`GET /api/job/:id latency p50 (${config.getConnections} conn)`, `${fixed(get.latencyP50Ms, 2)} ms`);
  figure(`GET /api/job/:id latency p99 (${config.getConnections} conn)`, `${fixed(get.latencyP99Ms, 2)} ms`);

  // 3. Held runs. The bench's own client (event listener, queue) is closed so the windows see the server alone.
  await client.close();
  client = undefined;
  const held = await runHeldPhase({
    config,
    serverUrl: server.url,
    serverPid: server.child.pid,
    database,
    scratch,
    statements,
    orgId: heldOrg.orgId,
    key: heldOrg.key,
    onClient: (opened) => {
      client = opened;
    },
    log,
  });
  results.held = held;
  const n = config.held;
  figure(`held POST /api/run jobs created (of ${n})`, `${held.created} in ${fixed(held.createSeconds)} s`);
  figure(`held POST /api/run still open during the wait window`, String(held.openDuringWindow));
  figure("server RSS before the held runs (VmRSS)", mib(held.rssBeforeKib));
  figure(`server RSS while ${n} runs are held (VmRSS)`, mib(held.rssWhileKib));
  if (held.rssBeforeKib !== null && held.rssWhileKib !== null && n > 0) {
    figure("server RSS per held run", `${fixed((held.rssWhileKib - held.rssBeforeKib) / n, 1)} KiB`);
  }
  figure(
    `DB xacts/s idle, ${fixed(held.idle.seconds)} s window (pg_stat_database)`,
    `${fixed(held.idle.transactionsPerSecond)} /s`,
  );
  figure(
    `DB xacts/s while ${n} held, ${fixed(held.waiting.seconds)} s window (pg_stat_database)`,
    `${fixed(held.waiting.transactionsPerSecond)} /s`,
  );
  if (held.waiting.statementsPerSecond !== null) {
    figure(
      `DB statements/s while ${n} held (pg_stat_statements)`,
      `${fixed(held.waiting.statementsPerSecond)} /s`,
    );
  }
  const bound = held.unanswered > 0 ? "≥ " : "";
  figure(
    `held runs submitted / answered completed (${held.batches} batches of ≤${config.submitBatch})`,
    `${held.submitted} / ${held.completed} in ${fixed(held.submitSeconds)} s`,
  );
  figure("held runs submitted but unanswered when the phase ended", String(held.unanswered));
  figure("held answers completed per second while submitting", `${fixed(held.answersPerSecond, 2)} /s`);
  figure("tester submit call p50 (claim excluded)", `${fixed(held.submitCallP50Ms, 2)} ms`);
  figure("submit → held POST /api/run answer p50", `${bound}${fixed(held.latencyP50Ms)} ms`);
  figure("submit → held POST /api/run answer p99", `${bound}${fixed(held.latencyP99Ms)} ms`);
  figure("submit → held POST /api/run answer max", `${bound}${fixed(held.latencyMaxMs)} ms`);
  figure("job completedAt → held POST /api/run answer p50", `${fixed(held.wakeP50Ms, 2)} ms`);
  figure("job completedAt → held POST /api/run answer p99", `${fixed(held.wakeP99Ms, 2)} ms`);

  if (held.connectionErrors > 0) {
    problems.push(`held: ${held.connectionErrors} requests failed (${held.connectionErrorSample ?? "?"})`);
  }
  if (held.created < n) problems.push(`held: only ${held.created} of ${n} jobs were created`);
  if (Object.keys(held.earlyAnswers).length > 0) {
    problems.push(
      `held: answers before submission ${JSON.stringify(held.earlyAnswers)}; e.g. ${held.earlySamples.join(" | ")}`,
    );
  }
  const notCompleted = Object.entries(held.answerStatuses).filter(([label]) => label !== "200 completed");
  if (notCompleted.length > 0)
    problems.push(`held: answers to submitted jobs ${JSON.stringify(held.answerStatuses)}`);
  if (held.claimFailures.length > 0)
    problems.push(`held: claim/submit failures: ${held.claimFailures.join(" | ")}`);
  if (config.submit > 0 && held.completed === 0) problems.push("held: no submitted job was answered");
  if (held.unanswered > 0) {
    notes.push(
      `held: ${held.unanswered} of ${held.submitted} submitted jobs were still waiting when the phase ended; their waiting time so far counts, so the submit → answer percentiles are lower bounds (≥)`,
    );
  }
  if (held.cutShort) {
    notes.push(
      `held: the submit budget (EYEBALL_BENCH_SUBMIT_BUDGET_S=${config.submitBudgetSeconds}) ended submissions after ${held.submitted} of ${config.submit}`,
    );
  }

  printSummary(results, statementsNote);
  return problems.length === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (server) log(`server output (tail):\n${server.output().slice(-4000)}`);
}
for (const item of notes) log(`NOTE ${item}`);
for (const problem of problems) log(`PROBLEM ${problem}`);
await cleanup();
clearTimeout(watchdog);
log(`done in ${elapsed()} (exit ${exitCode})`);
process.exit(exitCode);
