// Wakes the sandbox tester for a test-mode job that has open slots, after the commit that opened them.
import { isTerminalJobStatus } from "@eyeball/core";

import { type ServiceDeps } from "../types";
import { sendAfterCommit } from "./after-commit";
import { QUEUES } from "./queue-names";

export async function wakeSandbox(
  deps: Pick<ServiceDeps, "db" | "config" | "queue">,
  jobId: string,
): Promise<void> {
  if (!deps.config.sandbox.enabled) return;
  const job = await deps.db.job.findUnique({
    where: { id: jobId },
    select: {
      mode: true,
      status: true,
      control: true,
      assignments: { where: { status: "open" }, select: { id: true } },
    },
  });
  if (!job || job.mode !== "test" || isTerminalJobStatus(job.status) || job.control !== "active") return;
  if (job.assignments.length === 0) return;
  await sendAfterCommit(
    deps.queue,
    QUEUES.sandboxClaim,
    { jobId },
    { delayMs: deps.config.sandbox.claimDelayMs },
  );
}
