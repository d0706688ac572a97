// GitHub issues: one per distinct bug a job's slots found, never twice (a row claimed first, and a marker in the issue body).
import { createHash } from "node:crypto";

import { type OutputSchema } from "@eyeball/core";
import { isUniqueViolation, type Prisma } from "@eyeball/db";

import { type ArtifactsService, type SlotRecording } from "../artifacts";
import { resendEach } from "../jobs/after-commit";
import {
  QUEUES,
  SIDE_EFFECT_RECONCILE_MS,
  SIDE_EFFECT_RETRIES,
  sideEffectSingletonKey,
} from "../jobs/queue-names";
import { type ServiceDeps } from "../types";
import { createGithubClient, type GithubClientOptions, splitRepo } from "./client";

/** Field names or descriptions that say the field lists bugs. */
const BUG_FIELD = /bug|issue|problem|error/i;
/** Values that mean "nothing found" (the extractor answers "None" when a description asks for it). */
const NOTHING = /^(none|n\/a|no|nothing|-)\.?$/i;
const MAX_TITLE_CHARS = 120;

export interface Bug {
  title: string;
  /** The finding in full, when the title had to be cut. */
  detail: string;
}

function firstSentence(text: string): string {
  const trimmed = text.trim();
  const match = /^(.+?[.!?])(\s|$)/s.exec(trimmed);
  return (match?.[1] ?? trimmed).trim();
}

function titleOf(text: string): string {
  const line = text.trim().split(/\r?\n/)[0]?.trim() ?? "";
  return line.length > MAX_TITLE_CHARS ? `${line.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…` : line;
}

/** Lower case, single spaces, no trailing punctuation: two wordings of one title share a fingerprint. */
export function normaliseTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.!?…:;,]+$/, "")
    .trim();
}

export function bugFingerprint(repo: string, title: string): string {
  return createHash("sha256")
    .update(`${repo.toLowerCase()}\n${normaliseTitle(title)}`)
    .digest("hex");
}

/** The marker in an issue body that names the job and the bug, found again by a retry. */
export function issueMarker(jobId: string, fingerprint: string): string {
  return `<!-- eyeball:${jobId}:${fingerprint} -->`;
}

/**
 * The bugs in one extraction, deterministically: every non-empty string (or string item) of a
 * schema field whose name or description mentions bug, issue, problem or error; failing that, one
 * bug from the explanation's first sentence when the result was not a success. Duplicates (same
 * normalised title) count once.
 */
export function bugsOf(input: {
  outputSchema: OutputSchema | null;
  data: Prisma.JsonValue | null;
  success: boolean;
  explanation: string | null;
}): Bug[] {
  const found: Bug[] = [];
  const data =
    typeof input.data === "object" && input.data !== null && !Array.isArray(input.data) ? input.data : {};
  for (const [name, field] of Object.entries(input.outputSchema ?? {})) {
    if (!BUG_FIELD.test(name) && !BUG_FIELD.test(field.description)) continue;
    const value = data[name];
    const items = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
    for (const item of items) {
      if (typeof item !== "string") continue;
      const text = item.trim();
      if (text.length === 0 || NOTHING.test(text)) continue;
      found.push({ title: titleOf(text), detail: text });
    }
  }
  if (found.length === 0 && !input.success) {
    const text = input.explanation?.trim() ?? "";
    if (text.length > 0) found.push({ title: titleOf(firstSentence(text)), detail: text });
  }
  const seen = new Set<string>();
  return found.filter((bug) => {
    const key = normaliseTitle(bug.title);
    if (key.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join("\n");
}

export interface IssueBodyInput {
  jobId: string;
  jobTitle: string | null;
  siteUrl: string;
  portalJobUrl: string;
  description: string;
  testerResponse: string;
  bug: Bug;
  recording: SlotRecording | null;
  fingerprint: string;
}

export function issueBody(input: IssueBodyInput): string {
  const { recording } = input;
  const screenshots = recording?.screenshots ?? [];
  const parts = [
    `An Eyeball tester found this while testing **${input.jobTitle ?? input.siteUrl}** (${input.siteUrl}).`,
    `Job: ${input.portalJobUrl}`,
    ...(input.bug.detail === input.bug.title ? [] : [`## Finding\n\n${input.bug.detail}`]),
    `## Steps\n\n${input.description.trim()}`,
    `## The tester's words\n\n${quote(input.testerResponse)}`,
    `## Screenshots\n\n${
      screenshots.length === 0
        ? "None."
        : screenshots.map((shot, index) => `- [Screenshot ${index + 1}](${shot.url})`).join("\n")
    }`,
    `## Recording\n\n${recording?.video ? `[Session recording](${recording.video.url})` : "None."}`,
    `Links to screenshots and the recording are signed and expire; the job page re-signs them.`,
    `---\nReported by Eyeball job \`${input.jobId}\`.\n${issueMarker(input.jobId, input.fingerprint)}`,
  ];
  return parts.join("\n\n");
}

export interface GithubIssuesService {
  /** Worker `github.issues`: opens the slot's missing issues; throws (the queue retries) when GitHub fails. */
  openForAssignment(assignmentId: string): Promise<{ opened: number; skipped: number }>;
  /**
   * Re-enqueues the slots of the last week that were extracted for an issue-opening job and are not
   * done: a lost send, a crash mid-run, or GitHub down through every retry.
   */
  reconcile(): Promise<{ queued: number }>;
}

export function createGithubIssuesService(
  deps: Pick<ServiceDeps, "db" | "config" | "clock" | "queue">,
  links: { artifacts: Pick<ArtifactsService, "recordings"> },
  options: GithubClientOptions = {},
): GithubIssuesService {
  const { db, config, clock, queue } = deps;
  /** Every bug of the slot has its issue (or another slot's): reconcile leaves the slot alone from now on. */
  async function markDone(assignmentId: string): Promise<void> {
    await db.assignment.update({ where: { id: assignmentId }, data: { githubIssuesDoneAt: clock.now() } });
  }
  return {
    async reconcile() {
      const due = await db.assignment.findMany({
        where: {
          status: { in: ["completed", "incomplete"] },
          githubIssuesDoneAt: null,
          finishedAt: { gte: new Date(clock.now().getTime() - SIDE_EFFECT_RECONCILE_MS.githubIssues) },
          job: { canCreateGithubIssues: true, repoName: { not: null } },
        },
        select: { id: true },
      });
      return resendEach(queue, QUEUES.githubIssues, "assignmentId", due, {
        ...SIDE_EFFECT_RETRIES,
        singletonKey: sideEffectSingletonKey.githubIssues,
      });
    },

    async openForAssignment(assignmentId) {
      const slot = await db.assignment.findUnique({ where: { id: assignmentId }, include: { job: true } });
      const job = slot?.job;
      if (!slot || !job?.canCreateGithubIssues || !job.repoName) return { opened: 0, skipped: 0 };
      if (slot.status !== "completed" && slot.status !== "incomplete") return { opened: 0, skipped: 0 };
      const extracted = await db.jobEvent.findFirst({
        where: { assignmentId, type: "assignment.extracted" },
        orderBy: { id: "desc" },
      });
      const payload = extracted?.payload as { success?: unknown } | null | undefined;
      const bugs = bugsOf({
        outputSchema: (job.outputSchema ?? null) as OutputSchema | null,
        data: slot.extractedData,
        success: payload?.success === true,
        explanation: slot.explanation,
      });
      if (bugs.length === 0) {
        await markDone(assignmentId);
        return { opened: 0, skipped: 0 };
      }

      const repoName = job.repoName;
      const found = bugs.map((bug) => ({ bug, fingerprint: bugFingerprint(repoName, bug.title) }));
      // Claim each bug first: a row per (job, fingerprint), so when two slots found the same bug at
      // once, one of them owns it and the other skips it. A row of ours without a number is an issue a
      // crash or a GitHub failure left unopened, opened now.
      const todo: typeof found = [];
      for (const item of found) {
        try {
          await db.githubIssue.create({
            data: {
              jobId: job.id,
              assignmentId,
              fingerprint: item.fingerprint,
              repo: repoName,
              title: item.bug.title,
            },
          });
          todo.push(item);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          const row = await db.githubIssue.findUnique({
            where: { jobId_fingerprint: { jobId: job.id, fingerprint: item.fingerprint } },
            select: { assignmentId: true, number: true },
          });
          if (row?.assignmentId === assignmentId && row.number === null) todo.push(item);
        }
      }
      if (todo.length === 0) {
        await markDone(assignmentId);
        return { opened: 0, skipped: bugs.length };
      }

      const octokit = createGithubClient(config.github, options);
      const { owner, repo } = splitRepo(repoName);
      // A crash after GitHub answered but before the number was written left an issue unrecorded:
      // find it by its marker among the repository's issues touched since the job was created.
      const onGithub = new Map<string, { number: number; url: string }>();
      const prefix = `<!-- eyeball:${job.id}:`;
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        state: "all",
        since: job.createdAt.toISOString(),
        per_page: 100,
      });
      for (const issue of issues) {
        const body = issue.body ?? "";
        const at = body.indexOf(prefix);
        if (at < 0) continue;
        const fingerprint = body.slice(at + prefix.length).split(" ")[0] ?? "";
        onGithub.set(fingerprint, { number: issue.number, url: issue.html_url });
      }

      const [recording = null] = await links.artifacts.recordings([assignmentId]);
      let opened = 0;
      for (const { bug, fingerprint } of todo) {
        let issue = onGithub.get(fingerprint);
        if (!issue) {
          const { data } = await octokit.rest.issues.create({
            owner,
            repo,
            title: bug.title,
            body: issueBody({
              jobId: job.id,
              jobTitle: job.title,
              siteUrl: job.url,
              portalJobUrl: `${config.publicUrl.replace(/\/+$/, "")}/jobs/${job.id}`,
              description: job.description,
              testerResponse: slot.testerResponse ?? "",
              bug,
              recording,
              fingerprint,
            }),
          });
          issue = { number: data.number, url: data.html_url };
          opened += 1;
        }
        await db.githubIssue.update({
          where: { jobId_fingerprint: { jobId: job.id, fingerprint } },
          data: { number: issue.number, url: issue.url },
        });
      }
      await markDone(assignmentId);
      return { opened, skipped: bugs.length - opened };
    },
  };
}
