// Repo context: README.md and CLAUDE.md of a job's repository, fetched off the request path and stored on the job.
import { OPEN_JOB_STATUSES } from "@eyeball/core";
import { Prisma } from "@eyeball/db";

import { resendEach } from "../jobs/after-commit";
import {
  QUEUES,
  SIDE_EFFECT_RECONCILE_MS,
  SIDE_EFFECT_RETRIES,
  sideEffectSingletonKey,
} from "../jobs/queue-names";

import { type ServiceDeps } from "../types";
import {
  createGithubClient,
  errorMessage,
  type GithubClientOptions,
  githubStatus,
  splitRepo,
} from "./client";

/** The files a tester and the extractor get, in this order; a missing one is skipped. */
export const REPO_CONTEXT_FILES = ["README.md", "CLAUDE.md"] as const;
/** Each file is cut to this many bytes of UTF-8 (a README explains terms; it is not the product). */
export const MAX_REPO_FILE_BYTES = 50_000;

export interface RepoFile {
  path: string;
  content: string;
}

/** Job.repoContext as stored: the files found, when, and why none could be read. */
export interface StoredRepoContext {
  files: RepoFile[];
  fetchedAt: string;
  error?: string;
}

/** What the tester sees of it: the repository and its files (null without files). */
export interface RepoContextView {
  repo: string;
  files: RepoFile[];
}

function cut(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= MAX_REPO_FILE_BYTES) return text;
  // Cutting mid-character leaves a replacement character at worst; drop it.
  return `${bytes
    .subarray(0, MAX_REPO_FILE_BYTES)
    .toString("utf8")
    .replace(/\uFFFD$/, "")}\n[… cut]`;
}

/** Job.repoContext read defensively (it is JSON): the files, or [] for anything else. */
export function storedRepoFiles(value: Prisma.JsonValue | null | undefined): RepoFile[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const files = (value as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((file: unknown) => {
    if (typeof file !== "object" || file === null) return [];
    const { path, content } = file as { path?: unknown; content?: unknown };
    return typeof path === "string" && typeof content === "string" ? [{ path, content }] : [];
  });
}

export function repoContextView(job: {
  repoName: string | null;
  repoContext: Prisma.JsonValue | null;
}): RepoContextView | null {
  const files = storedRepoFiles(job.repoContext);
  return job.repoName === null || files.length === 0 ? null : { repo: job.repoName, files };
}

/** The extractor's `repoContext`: each file under its path as a heading; undefined without files. */
export function repoContextText(job: { repoContext: Prisma.JsonValue | null }): string | undefined {
  const files = storedRepoFiles(job.repoContext);
  if (files.length === 0) return undefined;
  return files.map((file) => `# ${file.path}\n\n${file.content}`).join("\n\n");
}

/**
 * README.md and CLAUDE.md of `owner/name` through repos.getContent. The repository is looked up
 * first so that a missing or unreadable repository (404, 401, 403) is an error, while a missing
 * file is only skipped.
 */
export async function fetchRepoFiles(
  octokit: ReturnType<typeof createGithubClient>,
  repoName: string,
): Promise<RepoFile[]> {
  const { owner, repo } = splitRepo(repoName);
  await octokit.rest.repos.get({ owner, repo });
  const files: RepoFile[] = [];
  for (const path of REPO_CONTEXT_FILES) {
    let data: unknown;
    try {
      ({ data } = await octokit.rest.repos.getContent({ owner, repo, path }));
    } catch (error) {
      if (githubStatus(error) === 404) continue;
      throw error;
    }
    // A directory answers with an array, a symlink or submodule with another type: not a file to read.
    if (typeof data !== "object" || data === null || Array.isArray(data)) continue;
    const entry = data as { type?: unknown; content?: unknown; encoding?: unknown };
    if (entry.type !== "file" || typeof entry.content !== "string" || entry.encoding !== "base64") continue;
    files.push({ path, content: cut(Buffer.from(entry.content, "base64").toString("utf8")) });
  }
  return files;
}

export interface RepoContextService {
  /** Worker `github.repo_context`: fetches and stores Job.repoContext; never fails the job. */
  refresh(jobId: string): Promise<void>;
  /** Re-enqueues the fetch for open jobs of the last day whose repository was never read (a lost send). */
  reconcile(): Promise<{ queued: number }>;
}

export function createRepoContextService(
  deps: Pick<ServiceDeps, "db" | "clock" | "config" | "queue">,
  options: GithubClientOptions = {},
): RepoContextService {
  const { db, clock, config, queue } = deps;
  return {
    async reconcile() {
      const due = await db.job.findMany({
        where: {
          repoName: { not: null },
          repoContext: { equals: Prisma.DbNull },
          status: { in: OPEN_JOB_STATUSES },
          createdAt: { gte: new Date(clock.now().getTime() - SIDE_EFFECT_RECONCILE_MS.newJob) },
        },
        select: { id: true },
      });
      return resendEach(queue, QUEUES.githubRepoContext, "jobId", due, {
        ...SIDE_EFFECT_RETRIES,
        singletonKey: sideEffectSingletonKey.repoContext,
      });
    },

    async refresh(jobId) {
      const job = await db.job.findUnique({ where: { id: jobId }, select: { repoName: true } });
      if (!job?.repoName) return;
      let stored: StoredRepoContext;
      let transient: Error | null = null;
      try {
        const files = await fetchRepoFiles(createGithubClient(config.github, options), job.repoName);
        stored = { files, fetchedAt: clock.now().toISOString() };
      } catch (error) {
        const status = githubStatus(error);
        stored = {
          files: [],
          fetchedAt: clock.now().toISOString(),
          error: status === null ? errorMessage(error) : `GitHub answered ${status}: ${errorMessage(error)}`,
        };
        // Network errors and GitHub's 5xx may pass: the queue retries; 4xx answers are final.
        if (status === null || status >= 500) {
          transient = error instanceof Error ? error : new Error(errorMessage(error));
        }
      }
      await db.job.update({
        where: { id: jobId },
        data: { repoContext: stored as unknown as Prisma.InputJsonObject },
      });
      if (transient !== null) throw transient;
    },
  };
}
