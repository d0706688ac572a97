// The GitHub client: the real Octokit, pointed at ApiConfig.github (token optional, base URL configurable).
import { Octokit } from "@octokit/rest";

import { type ApiConfig } from "../../config";

export type GithubFetch = typeof globalThis.fetch;

/** How long one GitHub run (repo context, issues) may take before its requests are aborted. */
export const GITHUB_TIMEOUT_MS = 20_000;

export interface GithubClientOptions {
  /** Replaces the global fetch (tests, proxies). */
  fetch?: GithubFetch;
  timeoutMs?: number;
}

const quietLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`eyeball: github: ${message}\n`),
  // Failures are reported by the caller (stored on the job or retried by the queue), not logged twice.
  error: () => undefined,
};

/** One client per run: the timeout's signal covers every request of that run. */
export function createGithubClient(github: ApiConfig["github"], options: GithubClientOptions = {}): Octokit {
  return new Octokit({
    ...(github.token === null ? {} : { auth: github.token }),
    baseUrl: github.apiBaseUrl.replace(/\/+$/, ""),
    userAgent: "eyeball",
    log: quietLog,
    request: {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? GITHUB_TIMEOUT_MS),
    },
  });
}

/** `owner/name` split; the format was checked when the job was created (core job-request). */
export function splitRepo(repoName: string): { owner: string; repo: string } {
  const [owner = "", repo = ""] = repoName.split("/");
  return { owner, repo };
}

/** The HTTP status of an Octokit RequestError, or null for network errors and aborts. */
export function githubStatus(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = error.status;
    if (typeof status === "number") return status;
  }
  return null;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
