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
