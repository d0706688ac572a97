// Background workers: extraction, the sandbox tester, the time-out and auto-approve sweeps, and reconcile after a crash.
import { DEFAULT_API_CONFIG } from "../config";
import { QUEUES } from "./jobs/queue-names";
import { type Services } from "./index";
import { type PayoutsService } from "./payouts";
import { type AutoReload } from "./stripe/auto-reload";
import { type JsonObject, type Queue } from "./types";

/** How often working testers are checked against their deadline plus grace. */
export const TIMEOUT_SWEEP_INTERVAL_MS = 15_000;

function stringField(data: JsonObject, key: string): string {
  const value = data[key];
  if (typeof value !== "string" || value.length === 0) {
    throw new Error(`queue message is missing "${key}"`);
  }
  return value;
}

async function scheduleSweep(queue: Queue, delayMs: number): Promise<void> {
  await queue.send(QUEUES.timeoutsSweep, {}, { delayMs, singletonKey: QUEUES.timeoutsSweep });
}

async function scheduleAutoApprove(queue: Queue, delayMs: number): Promise<void> {
  await queue.send(QUEUES.autoApproveSweep, {}, { delayMs, singletonKey: QUEUES.autoApproveSweep });
}

/** Reports a failed side effect (the queue retries it); the job it belongs to is not affected. */
function logged(
  what: string,
  handler: (data: JsonObject) => Promise<void>,
): (data: JsonObject) => Promise<void> {
  return async (data) => {
    try {
      await handler(data);
    } catch (error) {
      process.stderr.write(
        `eyeball: ${what} failed (retried): ${error instanceof Error ? error.message : String(error)}\n`,
      );
      throw error;
    }
  };
}

export interface WorkerOptions {
  /** ApiConfig.autoApproveSweepMs: the interval of the dispute-window sweep (default 60 s). */
  autoApproveSweepMs?: number;
}

/**
 * Registers every handler on a worker process's queue and starts the sweep loop. The sweep
 * re-enqueues itself (a singleton, so several workers keep one loop between them); a sweep that
 * throws is retried by the queue and the loop resumes with the next `registerWorkers` or reconcile.
 */
export async function registerWorkers(
  services: Services,
  queue: Queue,
  options: WorkerOptions = {},
): Promise<void> {
  const autoApproveEveryMs = options.autoApproveSweepMs ?? DEFAULT_API_CONFIG.autoApproveSweepMs;
  await queue.work(QUEUES.extract, (data) => services.tester.extract(stringField(data, "assignmentId")));
  await queue.work(QUEUES.sandboxClaim, async (data) => {
    await services.sandbox.claim(stringField(data, "jobId"));
  });
  await queue.work(QUEUES.sandboxWork, (data) => services.sandbox.work(stringField(data, "assignmentId")));
  await queue.work(QUEUES.githubRepoContext, (data) =>
    services.repoContext.refresh(stringField(data, "jobId")),
  );
  await queue.work(
    QUEUES.githubIssues,
    logged("GitHub issues", async (data) => {
      await services.githubIssues.openForAssignment(stringField(data, "assignmentId"));
    }),
  );
  await queue.work(
    QUEUES.slackNewJob,
    logged("Slack notice", async (data) => {
      await services.slack.notifyNewJob(stringField(data, "jobId"));
    }),
  );
  await queue.work(QUEUES.timeoutsSweep, async () => {
    try {
      await services.tester.sweepTimeouts();
    } finally {
      await scheduleSweep(queue, TIMEOUT_SWEEP_INTERVAL_MS);
    }
  });
  await scheduleSweep(queue, 0);
  // Same loop shape for settlements whose dispute window closed: approve them, then come back later.
  await queue.work(QUEUES.autoApproveSweep, async () => {
    try {
      const { failed } = await services.jobs.approveDueSettlements();
      for (const failure of failed) {
        process.stderr.write(
          `eyeball: auto-approve of ${failure.jobId} failed (next sweep retries): ${failure.message}\n`,
        );
      }
    } finally {
      await scheduleAutoApprove(queue, autoApproveEveryMs);
    }
  });
  await scheduleAutoApprove(queue, 0);
}

export interface ReconcileReport {
  extractions: number;
  sandboxClaims: number;
  sandboxWorks: number;
  repoContexts: number;
  githubIssues: number;
  slackNotices: number;
}

/**
 * Re-enqueues work whose stored state says it is due, so a crash between a commit and its queue
 * send loses nothing: submitted-but-not-extracted assignments, test-mode jobs waiting for the
 * sandbox, sandbox testers mid-slot, and the side effects (repository reads, GitHub issues, Slack
 * notices) not yet done. Safe to run at every start: each send is a singleton per job or slot and
 * every handler is idempotent against the state it finds.
 */
export async function reconcile(services: Services, queue: Queue): Promise<ReconcileReport> {
  const { extractions } = await services.tester.reconcile();
  const { claims, works } = await services.sandbox.reconcile();
  const repoContexts = (await services.repoContext.reconcile()).queued;
  const githubIssues = (await services.githubIssues.reconcile()).queued;
  const slackNotices = (await services.slack.reconcile()).queued;
  await scheduleSweep(queue, 0);
  await scheduleAutoApprove(queue, 0);
  return {
    extractions,
    sandboxClaims: claims,
    sandboxWorks: works,
    repoContexts,
    githubIssues,
    slackNotices,
  };
}

/** A Stripe payout left pending this long was abandoned by its process (a crash); the sweep retries it. */
export const STALE_PAYOUT_MS = 10 * 60 * 1000;

/**
 * Tester payouts on a schedule (ApiConfig.payouts.scheduleMs; null = on request only): each sweep
 * first retries payouts a crash left pending, then pays every eligible tester. Without a schedule
 * the crash recovery still runs once here, at worker start.
 */
export async function registerPayoutsWorker(
  queue: Queue,
  payouts: PayoutsService,
  options: { scheduleMs: number | null; now: () => Date },
): Promise<void> {
  const { scheduleMs } = options;
  if (scheduleMs === null) {
    await payouts.reconcile({ olderThanMs: STALE_PAYOUT_MS });
    return;
  }
  const next = (delayMs: number) =>
    queue.send(QUEUES.payoutsSweep, {}, { delayMs, singletonKey: QUEUES.payoutsSweep });
  await queue.work(QUEUES.payoutsSweep, async () => {
    try {
      await payouts.reconcile({ olderThanMs: STALE_PAYOUT_MS });
      await payouts.runScheduled(options.now());
    } finally {
      await next(scheduleMs);
    }
  });
  await next(0);
}

/** How often every organisation's auto-reload is checked, beside the check after each live hold. */
export const AUTO_RELOAD_SWEEP_MS = 5 * 60 * 1000;

/**
 * Auto-reload (Stripe configured): `{orgId}` checks sent after a live hold is placed or raised,
 * and a sweep over every organisation with auto-reload on, as the safety net for a lost send.
 */
export async function registerAutoReloadWorker(
  queue: Queue,
  autoReload: AutoReload,
  options: { sweepMs?: number } = {},
): Promise<void> {
  const sweepMs = options.sweepMs ?? AUTO_RELOAD_SWEEP_MS;
  await queue.work(QUEUES.autoReloadCheck, async (data) => {
    await autoReload.check(stringField(data, "orgId"));
  });
  const next = (delayMs: number) =>
    queue.send(QUEUES.autoReloadSweep, {}, { delayMs, singletonKey: QUEUES.autoReloadSweep });
  await queue.work(QUEUES.autoReloadSweep, async () => {
    try {
      await autoReload.sweep();
    } finally {
      await next(sweepMs);
    }
  });
  await next(0);
}
