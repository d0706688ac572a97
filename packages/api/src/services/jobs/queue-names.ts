// Names of the background queues the job, tester and sandbox services send to and the workers consume.
export const QUEUES = {
  /** `{assignmentId}`: extract a submitted response and charge the slot. */
  extract: "assignment.extract",
  /** `{jobId}`: the sandbox tester claims every open slot of a test-mode job. */
  sandboxClaim: "sandbox.claim",
  /** `{assignmentId}`: the sandbox tester finishes its slot (submit, abandon or reject). */
  sandboxWork: "sandbox.work",
  /** `{}`: time out working testers past their deadline plus grace; re-enqueues itself. */
  timeoutsSweep: "timeouts.sweep",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** One queued extraction per assignment, however often it is asked for (submit, reconcile, retry). */
export function extractSingletonKey(assignmentId: string): string {
  return `extract:${assignmentId}`;
}
