// What a tester sees: feed items, their own assignment with its timing, and the claimed job's brief.
import {
  costForDurationMicros,
  deadlineAt,
  type OutputSchema,
  type ScreenPreset,
  type SiteCredential,
  type AssignmentStatus,
  testerEarnings,
} from "@eyeball/core";
import { type Assignment, type Job } from "@eyeball/db";

import { type RepoContextView } from "../github/repo-context";
import { limitsOf, rateOf } from "../jobs/job-terms";

export interface ScreenSizeView {
  preset: ScreenPreset | "custom";
  width: number;
  height: number;
}

export interface FeedItem {
  jobId: string;
  title: string | null;
  url: string;
  description: string;
  outputSchema: OutputSchema | null;
  screenSize: ScreenSizeView;
  targetDurationMinutes: number;
  allowDurationExtension: boolean;
  maxExtensionMinutes: number | false;
  /** Name of the job's project; null when the job has none. */
  projectName: string | null;
  /** Open slots right now. */
  openSlots: number;
  rateMicrosPerSecond: number;
  /** What the tester earns for working the target duration: its cost at the job's rate times the tester share. */
  payMicros: number;
  postedAt: Date | null;
}

export interface AssignmentView {
  id: string;
  jobId: string;
  slotIndex: number;
  status: AssignmentStatus;
  claimedAt: Date | null;
  submittedAt: Date | null;
  finishedAt: Date | null;
  lastHeartbeatAt: Date | null;
  extensionMinutesGranted: number;
  /** When working time runs out (target plus granted extensions); null until claimed. */
  deadlineAt: Date | null;
  testerResponse: string | null;
  costMicros: number;
}

/** The job as its assigned tester needs it. Credentials only while the assignment is active. */
export interface TesterJobBrief {
  id: string;
  title: string | null;
  url: string;
  description: string;
  outputSchema: OutputSchema | null;
  screenSize: ScreenSizeView;
  targetDurationMinutes: number;
  allowDurationExtension: boolean;
  maxExtensionMinutes: number | false;
  repoName: string | null;
}

export interface ClaimedAssignment {
  assignment: AssignmentView;
  job: TesterJobBrief;
  /** Decrypted site credentials: present only to the assigned tester while the slot is working. */
  credentials: SiteCredential[];
  /** README.md / CLAUDE.md of the job's repository ("Project notes"); null without repoName or files. */
  repoContext: RepoContextView | null;
}

export interface AssignmentTiming {
  assignmentId: string;
  deadlineAt: Date;
  /** Past this the tester is timed out (deadline plus grace). */
  timeoutAt: Date;
  remainingMs: number;
  extensionMinutesGranted: number;
}

function preset(value: string | null): ScreenPreset | "custom" {
  return value === "desktop" || value === "laptop" || value === "tablet" || value === "mobile"
    ? value
    : "custom";
}

export function screenOf(job: Pick<Job, "screenPreset" | "screenWidth" | "screenHeight">): ScreenSizeView {
  return { preset: preset(job.screenPreset), width: job.screenWidth, height: job.screenHeight };
}

export function toAssignmentView(slot: Assignment, job: Job): AssignmentView {
  return {
    id: slot.id,
    jobId: slot.jobId,
    slotIndex: slot.slotIndex,
    status: slot.status,
    claimedAt: slot.claimedAt,
    submittedAt: slot.submittedAt,
    finishedAt: slot.finishedAt,
    lastHeartbeatAt: slot.lastHeartbeatAt,
    extensionMinutesGranted: slot.extensionMinutesGranted,
    deadlineAt: slot.claimedAt
      ? new Date(deadlineAt(slot.claimedAt.getTime(), limitsOf(job), slot.extensionMinutesGranted))
      : null,
    testerResponse: slot.testerResponse,
    costMicros: Number(slot.costMicros),
  };
}

export function toJobBrief(job: Job): TesterJobBrief {
  return {
    id: job.id,
    title: job.title,
    url: job.url,
    description: job.description,
    outputSchema: (job.outputSchema ?? null) as OutputSchema | null,
    screenSize: screenOf(job),
    targetDurationMinutes: job.targetDurationMinutes,
    allowDurationExtension: job.allowDurationExtension,
    maxExtensionMinutes: job.maxExtensionMinutes ?? false,
    repoName: job.repoName,
  };
}

/** The tester's share of the target duration's cost: what working the job to its target pays. */
export function targetPayMicros(
  job: Pick<Job, "targetDurationMinutes" | "metadata">,
  testerShareBps: number,
): number {
  const cost = costForDurationMicros(job.targetDurationMinutes * 60_000, rateOf(job));
  return testerEarnings(cost, testerShareBps).tester;
}

export function toFeedItem(
  job: Job & { project: { name: string } | null },
  openSlots: number,
  testerShareBps: number,
): FeedItem {
  // A feed item is the job brief keyed by jobId, without repoName, plus what a tester weighs before claiming.
  const { project, ...row } = job;
  const { id, repoName: _repoName, ...brief } = toJobBrief(row);
  return {
    jobId: id,
    ...brief,
    projectName: project?.name ?? null,
    openSlots,
    rateMicrosPerSecond: rateOf(job),
    payMicros: targetPayMicros(job, testerShareBps),
    postedAt: job.postedAt,
  };
}
