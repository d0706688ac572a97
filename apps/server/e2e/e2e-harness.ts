// End-to-end helpers: server subprocesses on a shared database, and an in-test client of the same database.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  type Actor,
  apiConfig,
  createAccessServices,
  createCaller,
  createContextInner,
  createEventBus,
  createLedger,
  createLocalArtifactStore,
  createQueue,
  createServices,
  type EyeballEventBus,
  type PgBossQueue,
  type Queue,
  type Services,
  systemClock,
} from "@eyeball/api";
import { allowedMs, chargeForAssignment, resolveRate } from "@eyeball/core";
import { type Assignment, type Database, type Job } from "@eyeball/db";
import { createBuiltinExtractor } from "@eyeball/extraction";

const serverDir = path.resolve(import.meta.dirname, "..");

/** One secret shared by every process of a test, as production requires. */
export const SECRET_KEY = randomBytes(32).toString("hex");

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<string>;
}

export interface StartServerOptions {
  name: string;
  port: number;
  /** PostgreSQL URL, or undefined for the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  role?: "api" | "worker" | "both";
  runWaitMs?: number;
}

/** Spawns `src/main.ts` (sandbox off, built-in extractor) and waits until /api/health answers 200. */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...process.env,
      PORT: String(options.port),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl ?? "",
      EYEBALL_DATA_DIR: options.dataDir,
      INIT_CWD: serverDir,
      EYEBALL_ROLE: options.role ?? "both",
      EYEBALL_SANDBOX: "false",
      EYEBALL_SEED_DEMO: "false",
      EYEBALL_EXTRACTOR: "builtin",
      EYEBALL_SECRET_KEY: SECRET_KEY,
      EYEBALL_RUN_WAIT_MS: String(options.runWaitMs ?? 120_000),
      EYEBALL_RATE_LIMIT_PER_MINUTE: "100000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve(signal ?? String(code));
    });
  });
  const server: ServerProcess = {
    name: options.name,
    url: `http://127.0.0.1:${options.port}`,
    child,
    output: () => out,
    exited,
  };
  await waitForHealth(server, 45_000);
  return server;
}

/** Polls /api/health every 100 ms until 200, the process exits, or the deadline passes. */
async function waitForHealth(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: string | undefined;
  void server.exited.then((code) => (exitedWith = code));
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`${server.name} exited (${exitedWith}) before it was healthy:\n${server.output()}`);
    }
    try {
      const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} was not healthy within ${timeoutMs} ms:\n${server.output()}`);
}

/** Sends `signal` (unless it already exited) and resolves once the process is gone. */
export async function killServer(server: ServerProcess | undefined, signal: NodeJS.Signals): Promise<string> {
  if (!server) return "not started";
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** fetch with a bound: JSON body in, status and parsed body out. */
export async function http(
  url: string,
  init: { method?: string; key?: string; body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ status: number; body: unknown }> {
  const timeout = AbortSignal.timeout(init.timeoutMs ?? 10_000);
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: init.signal ? AbortSignal.any([timeout, init.signal]) : timeout,
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** A queue that loses every message: a process that died between its commit and the send. */
const droppingQueue: Queue = {
  send: () => Promise.resolve(null),
  work: () => Promise.resolve(),
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

export type TesterActor = Extract<Actor, { kind: "tester" }>;

/**
 * The test process as a third client of the shared database: access and job services over the real
 * event bus and pg-boss queue (it sends, it never works), plus `crashing`, whose queue drops sends.
 */
export interface DbClient {
  database: Database;
  events: EyeballEventBus;
  queue: PgBossQueue;
  services: Services & ReturnType<typeof createAccessServices>;
  /** The same services with a queue that drops every send. */
  crashing: Services;
  /** tRPC's tester procedures in this process (tester auth over HTTP is still a seam). */
  testerCaller(actor: TesterActor): ReturnType<typeof createCaller>["tester"];
  close(): Promise<void>;
}

export async function openDbClient(database: Database): Promise<DbClient> {
  const db = database.prisma;
  const events = createEventBus(database);
  const queue = createQueue(database);
  await events.start();
  await queue.start();
  const config = apiConfig({ sandbox: { enabled: false, claimDelayMs: 0, workDurationMs: 0 } });
  const credentialsKey = Buffer.from(SECRET_KEY, "hex");
  // Its own folder: tests read the servers' artifacts through their signed links, never from disk.
  const artifactStore = createLocalArtifactStore(mkdtempSync(path.join(tmpdir(), "eyeball-e2e-artifacts-")));
  const base = {
    artifactStore,
    db,
    clock: systemClock,
    config,
    ledger: createLedger(db),
    events,
    extractor: createBuiltinExtractor(),
  };
  const services = {
    ...createAccessServices({ db, clock: systemClock }),
    ...createServices({ ...base, queue, credentialsKey }),
  };
  const crashing = createServices({ ...base, queue: droppingQueue, credentialsKey });
  const contextServices = { ...services, db, clock: systemClock, config, events };
  return {
    database,
    events,
    queue,
    services,
    crashing,
    testerCaller: (actor) => createCaller(createContextInner({ services: contextServices, actor })).tester,
    async close() {
      await queue.stop().catch(() => undefined);
      await events.stop().catch(() => undefined);
    },
  };
}

export interface LiveOrg {
  orgId: string;
  key: string;
  actor: Extract<Actor, { kind: "apiKey" }>;
}

/** An organisation with a live key and `creditMicros` of live credit granted through the ledger. */
export async function newLiveOrg(client: DbClient, creditMicros = 100_000_000n): Promise<LiveOrg> {
  const { orgs, apiKeys } = client.services;
  const org = await orgs.create({ slug: `e2e-${randomUUID().slice(0, 8)}` });
  const { key } = await apiKeys.create(org.id, { name: "e2e live", mode: "live" });
  await createLedger(client.database.prisma).grantCredits({
    orgId: org.id,
    mode: "live",
    micros: creditMicros,
  });
  return { orgId: org.id, key, actor: await apiKeys.authenticate(`Bearer ${key}`) };
}

/** A real (non-sandbox) tester: a user with a TesterProfile. */
export async function newTester(client: DbClient): Promise<TesterActor> {
  const id = randomUUID();
  const user = await client.database.prisma.user.create({
    data: {
      email: `tester-${id}@example.test`,
      name: "E2E Tester",
      testerProfile: { create: { alias: `Tester ${id.slice(0, 4)}`, color: "#4A90E2" } },
    },
    include: { testerProfile: true },
  });
  if (!user.testerProfile) throw new Error("tester profile not created");
  return { kind: "tester", userId: user.id, testerId: user.testerProfile.id };
}

/** A signup check with an output schema the built-in extractor fills from the FULL message. */
export const JOB_INPUT = {
  url: "https://example.com/signup",
  description: "Sign up with a new email, then try a weak password",
  outputSchema: {
    signupWorks: { type: "boolean", description: "Whether the tester could sign up" },
    errorMessage: { type: "string", description: "The error message shown for a weak password" },
  },
} as const;

export const FULL_MESSAGE =
  'I signed up with a new email and it worked. With a weak password the page showed "Password too weak". Done.';

export const EXPECTED_DATA = { signupWorks: true, errorMessage: "Password too weak" } as const;

/** The first event matching `filter` (replayed from the start, then live by LISTEN/NOTIFY), within `timeoutMs`. */
export async function firstEvent(
  client: DbClient,
  filter: { orgId?: string; jobId?: string; types: readonly string[] },
  timeoutMs: number,
): Promise<{ jobId: string; assignmentId: string | null; type: string }> {
  const stop = new AbortController();
  const timer = setTimeout(() => {
    stop.abort();
  }, timeoutMs);
  try {
    for await (const event of client.events.subscribe(filter, { afterId: 0n, signal: stop.signal })) {
      return { jobId: event.jobId, assignmentId: event.assignmentId, type: event.type };
    }
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  throw new Error(`no ${filter.types.join("/")} event within ${timeoutMs} ms`);
}

type JobTerms = Pick<
  Job,
  "metadata" | "targetDurationMinutes" | "allowDurationExtension" | "maxExtensionMinutes"
>;

/**
 * The charge the rules give a completed slot, recomputed independently from the stored rows (the
 * rate fixed at creation in `metadata.rateMicrosPerSecond`, billed time capped at the allowed time).
 */
export function expectedChargeMicros(
  job: JobTerms,
  slot: Pick<Assignment, "claimedAt" | "submittedAt" | "extensionMinutesGranted">,
): bigint {
  const metadata = job.metadata;
  const stored =
    metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)
      ? metadata.rateMicrosPerSecond
      : undefined;
  const rate = resolveRate(typeof stored === "number" ? stored : null);
  const limits = {
    targetDurationMinutes: job.targetDurationMinutes,
    allowDurationExtension: job.allowDurationExtension,
    maxExtensionMinutes: job.maxExtensionMinutes ?? (false as const),
  };
  const workedMs = (slot.submittedAt?.getTime() ?? 0) - (slot.claimedAt?.getTime() ?? 0);
  return BigInt(
    chargeForAssignment("completed", workedMs, rate, allowedMs(limits, slot.extensionMinutesGranted)),
  );
}

/** What the books say about one job: its hold row and its ledger transactions by kind. */
export async function moneyOf(
  database: Database,
  jobId: string,
): Promise<{
  costMicros: bigint;
  holdMicros: bigint;
  hold: { amountMicros: bigint; capturedMicros: bigint; releasedMicros: bigint; status: string } | null;
  transactions: string[];
}> {
  const db = database.prisma;
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  const hold = await db.hold.findUnique({
    where: { jobId },
    select: { amountMicros: true, capturedMicros: true, releasedMicros: true, status: true },
  });
  const rows = await db.ledgerTransaction.findMany({ where: { jobId }, orderBy: { id: "asc" } });
  return {
    costMicros: job.costMicros,
    holdMicros: job.holdMicros,
    hold,
    transactions: rows.map((row) => row.kind),
  };
}
