// Background workers: extraction, the sandbox tester, the time-out sweep, and reconcile after a crash.
import { QUEUES } from "./jobs/queue-names";
import { type Services } from "./index";
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

/**
 * Registers every handler on a worker process's queue and starts the sweep loop. The sweep
 * re-enqueues itself (a singleton, so several workers keep one loop between them); a sweep that
 * throws is retried by the queue and the loop resumes with the next `registerWorkers` or reconcile.
 */
export async function registerWorkers(services: Services, queue: Queue): Promise<void> {
  await queue.work(QUEUES.extract, (data) => services.tester.extract(stringField(data, "assignmentId")));
  await queue.work(QUEUES.sandboxClaim, async (data) => {
    await services.sandbox.claim(stringField(data, "jobId"));
  });
  await queue.work(QUEUES.sandboxWork, (data) => services.sandbox.work(stringField(data, "assignmentId")));
  await queue.work(QUEUES.timeoutsSweep, async () => {
    try {
      await services.tester.sweepTimeouts();
    } finally {
      await scheduleSweep(queue, TIMEOUT_SWEEP_INTERVAL_MS);
    }
  });
  await scheduleSweep(queue, 0);
}

export interface ReconcileReport {
  extractions: number;
  sandboxClaims: number;
  sandboxWorks: number;
}

/**
 * Re-enqueues work whose stored state says it is due, so a crash between a commit and its queue
 * send loses nothing: submitted-but-not-extracted assignments, test-mode jobs waiting for the
 * sandbox, and sandbox testers mid-slot. Safe to run at every start: extraction is a singleton
 * per assignment and every handler is idempotent against the state it finds.
 */
export async function reconcile(services: Services, queue: Queue): Promise<ReconcileReport> {
  const { extractions } = await services.tester.reconcile();
  const { claims, works } = await services.sandbox.reconcile();
  await scheduleSweep(queue, 0);
  return { extractions, sandboxClaims: claims, sandboxWorks: works };
}
