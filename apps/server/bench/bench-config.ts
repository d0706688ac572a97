// The benchmark's knobs: every count and time bound, each overridable by an EYEBALL_BENCH_* variable.

export interface BenchConfig {
  /** Admin URL of the PostgreSQL server; the bench creates and drops its own database on it. */
  adminUrls: string[];
  /** Connections for job creation through the API and for the raw INSERT baseline. */
  concurrency: number;
  /** POST /api/jobs requests (and as many raw INSERTs). */
  creations: number;
  /** Upper bound on each creation run, in seconds. */
  creationMaxSeconds: number;
  /** Warm-up creations before the timed run (server pool, JIT). */
  warmup: number;
  getConnections: number;
  getSeconds: number;
  /** POST /api/run requests held open at once. */
  held: number;
  /** How many of the held jobs a tester claims and submits (≤ held). */
  submit: number;
  /** Submissions per batch; the next batch starts once this one's answers arrived (or its bound passed). */
  submitBatch: number;
  /** Submit calls in flight at once inside a batch. */
  submitParallel: number;
  /** Length of each pg_stat_database window, in seconds. */
  quietSeconds: number;
  /**
   * Wait before each window, in seconds: PostgreSQL 15+ backends hold back their counters for up to
   * 10 s (PGSTAT_IDLE_INTERVAL) after their last busy moment, so a window opened sooner counts the
   * tail of the previous phase.
   */
  statsSettleSeconds: number;
  /** Upper bound on creating the held jobs, in seconds. */
  heldCreateMaxSeconds: number;
  /** Upper bound on the claim-and-submit part, in seconds (no new batch starts after it). */
  submitBudgetSeconds: number;
  /** Upper bound on waiting for one batch's answers before the next batch starts (and on the final drain), in seconds. */
  batchMaxSeconds: number;
  /** Watchdog: the whole bench is aborted (and cleaned up) after this many seconds. */
  deadlineSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** postgres@ first (the test suite's default), root@ as the other trusted local role. */
function adminUrls(env: Env): string[] {
  const explicit = env.EYEBALL_BENCH_PG_URL?.trim() || env.EYEBALL_TEST_PG_URL?.trim();
  if (explicit) return [explicit];
  return ["postgres://postgres@127.0.0.1:5432/test", "postgres://root@127.0.0.1:5432/test"];
}

export function loadBenchConfig(env: Env = process.env): BenchConfig {
  const held = whole(env, "EYEBALL_BENCH_HELD", 2000, 1, 20_000);
  return {
    adminUrls: adminUrls(env),
    concurrency: whole(env, "EYEBALL_BENCH_CONCURRENCY", 32, 1, 1000),
    creations: whole(env, "EYEBALL_BENCH_CREATIONS", 1000, 1, 1_000_000),
    creationMaxSeconds: whole(env, "EYEBALL_BENCH_CREATION_MAX_S", 30, 1, 3600),
    warmup: whole(env, "EYEBALL_BENCH_WARMUP", 100, 0, 100_000),
    getConnections: whole(env, "EYEBALL_BENCH_GET_CONNECTIONS", 64, 1, 1000),
    getSeconds: whole(env, "EYEBALL_BENCH_GET_S", 10, 1, 3600),
    held,
    submit: Math.min(held, whole(env, "EYEBALL_BENCH_SUBMIT", held, 0, 20_000)),
    submitBatch: whole(env, "EYEBALL_BENCH_SUBMIT_BATCH", 100, 1, 20_000),
    submitParallel: whole(env, "EYEBALL_BENCH_SUBMIT_PARALLEL", 8, 1, 256),
    quietSeconds: whole(env, "EYEBALL_BENCH_QUIET_S", 5, 1, 600),
    statsSettleSeconds: whole(env, "EYEBALL_BENCH_STATS_SETTLE_S", 11, 0, 600),
    heldCreateMaxSeconds: whole(env, "EYEBALL_BENCH_HELD_CREATE_MAX_S", 60, 1, 3600),
    submitBudgetSeconds: whole(env, "EYEBALL_BENCH_SUBMIT_BUDGET_S", 45, 1, 3600),
    batchMaxSeconds: whole(env, "EYEBALL_BENCH_BATCH_MAX_S", 15, 1, 3600),
    deadlineSeconds: whole(env, "EYEBALL_BENCH_DEADLINE_S", 240, 10, 24 * 3600),
  };
}
