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
  /** `{}`: approve settlements whose dispute window closed without an open dispute; re-enqueues itself. */
  autoApproveSweep: "settlements.auto_approve",
  /** `{orgId}`: compare live available credit with the auto-reload threshold; charge the saved card once per crossing. */
  autoReloadCheck: "billing.auto_reload",
  /** `{}`: the auto-reload check for every organisation with it on (safety net); re-enqueues itself. */
  autoReloadSweep: "billing.auto_reload_sweep",
  /** `{}`: pay every eligible tester through Stripe (ApiConfig.payouts.scheduleMs); re-enqueues itself. */
  payoutsSweep: "payouts.sweep",
  /** `{jobId}`: fetch README.md and CLAUDE.md of the job's repoName into Job.repoContext. */
  githubRepoContext: "github.repo_context",
  /** `{assignmentId}`: open a GitHub issue per distinct bug of an extracted slot (canCreateGithubIssues). */
  githubIssues: "github.issues",
  /** `{jobId}`: post the new-job notice to the project's Slack webhook, else the organisation's. */
  slackNewJob: "slack.new_job",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** One queued extraction per assignment, however often it is asked for (submit, reconcile, retry). */
export function extractSingletonKey(assignmentId: string): string {
  return `extract:${assignmentId}`;
}

/** One queued repo-context fetch, GitHub-issues run and Slack notice per job or slot (creation, reconcile, retry). */
export const sideEffectSingletonKey = {
  repoContext: (jobId: string) => `github-repo-context:${jobId}`,
  githubIssues: (assignmentId: string) => `github-issues:${assignmentId}`,
  slackNewJob: (jobId: string) => `slack-new-job:${jobId}`,
};

/** How far back reconcile looks for a lost side effect: a new-job notice or repo fetch a day late is still useful. */
export const SIDE_EFFECT_RECONCILE_MS = {
  newJob: 24 * 60 * 60 * 1000,
  githubIssues: 7 * 24 * 60 * 60 * 1000,
};

/** Retries for outbound side effects (GitHub, Slack): a few, spaced out, then given up (logged). */
export const SIDE_EFFECT_RETRIES = { retryLimit: 5, retryDelayMs: 30_000, retryBackoff: true } as const;
