// Queue sends that follow a commit: a failure is reported, not thrown, because the state is already durable.
import { type JsonObject, type Queue, type QueueSendOptions } from "../types";

/**
 * The transaction has committed, so the caller's work is done and acknowledged; a lost send is
 * recovered by `reconcile()` (workers.ts), which re-enqueues whatever the stored state says is due.
 */
export async function sendAfterCommit(
  queue: Queue,
  name: string,
  data: JsonObject,
  options?: QueueSendOptions,
): Promise<void> {
  try {
    await queue.send(name, data, options);
  } catch (error) {
    process.stderr.write(
      `eyeball: could not enqueue ${name} (reconcile will retry): ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}

/**
 * Reconcile's re-send of a side effect for each id its stored state says is due, one queued message
 * per id (the singleton key), with the side-effect retries.
 */
export async function resendEach(
  queue: Queue,
  name: string,
  field: "jobId" | "assignmentId",
  ids: { id: string }[],
  options: Omit<QueueSendOptions, "singletonKey"> & { singletonKey: (id: string) => string },
): Promise<{ queued: number }> {
  const { singletonKey, ...rest } = options;
  for (const { id } of ids) {
    await sendAfterCommit(queue, name, { [field]: id }, { ...rest, singletonKey: singletonKey(id) });
  }
  return { queued: ids.length };
}
