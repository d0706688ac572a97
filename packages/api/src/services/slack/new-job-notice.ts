// Slack new-job notices: an incoming webhook per project (else per organisation), sent after the job's commit.
import { IncomingWebhook, type IncomingWebhookSendArguments } from "@slack/webhook";

import { formatUsd, OPEN_JOB_STATUSES } from "@eyeball/core";

import { resendEach } from "../jobs/after-commit";
import {
  QUEUES,
  SIDE_EFFECT_RECONCILE_MS,
  SIDE_EFFECT_RETRIES,
  sideEffectSingletonKey,
} from "../jobs/queue-names";
import { targetPayMicros } from "../tester/tester-views";
import { type ServiceDeps } from "../types";

/** How much of the job's description a notice quotes. */
export const NOTICE_DESCRIPTION_CHARS = 300;
export const SLACK_TIMEOUT_MS = 10_000;

export interface NewJobNoticeInput {
  jobId: string;
  title: string | null;
  url: string;
  description: string;
  screenWidth: number;
  screenHeight: number;
  screenPreset: string | null;
  targetDurationMinutes: number;
  testerCount: number;
  mode: "live" | "test";
  projectName: string | null;
  payMicros: number;
  /** Where testers go from the notice (the server's public URL). */
  portalUrl: string;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > NOTICE_DESCRIPTION_CHARS
    ? `${flat.slice(0, NOTICE_DESCRIPTION_CHARS - 1).trimEnd()}…`
    : flat;
}

/** Slack mrkdwn treats &, < and > as markup. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The notice for a new job. A live job invites the channel's testers to claim it. A test-mode job is the
 * sandbox's (real testers never see it, DESIGN): its notice says so, so an integrator can check the wiring
 * with a test key without sending testers after work they cannot claim.
 */
export function newJobNotice(input: NewJobNoticeInput): IncomingWebhookSendArguments {
  const name = input.title ?? input.url;
  const live = input.mode === "live";
  const screen = `${input.screenPreset ?? "custom"} ${input.screenWidth}×${input.screenHeight}`;
  const testers = `${input.testerCount} tester${input.testerCount === 1 ? "" : "s"}`;
  const pay = `about ${formatUsd(input.payMicros)} per tester at the target duration`;
  const facts = [
    `*Screen:* ${screen}`,
    `*Target:* ${input.targetDurationMinutes} min`,
    `*Testers:* ${testers}`,
    ...(live ? [`*Pay:* ${pay}`] : []),
  ];
  const heading = live ? `New Eyeball job: ${name}` : `Test-mode Eyeball job: ${name}`;
  const action = live
    ? `Claim it in the Eyeball tester app: ${input.portalUrl}`
    : "The sandbox tester handles it; there is nothing to claim.";
  const context = live
    ? `Claim it in the Eyeball tester app (<${input.portalUrl}|${escape(input.portalUrl)}>) · job \`${input.jobId}\``
    : `A sandbox job (test mode): nothing to claim · job \`${input.jobId}\``;
  return {
    text: `${heading} (${input.url}) — ${screen}, ${input.targetDurationMinutes} min, ${testers}${live ? `, ${pay}` : ""}. ${action}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: heading.slice(0, 150) } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `<${input.url}|${escape(name)}>${input.projectName ? ` · ${escape(input.projectName)}` : ""}\n${escape(excerpt(input.description))}`,
        },
      },
      { type: "section", fields: facts.map((text) => ({ type: "mrkdwn", text })) },
      { type: "context", elements: [{ type: "mrkdwn", text: context }] },
    ],
  };
}

export interface SlackService {
  /**
   * Worker `slack.new_job`: sends the notice to the project's webhook, else the organisation's; none
   * without, and none again once sent (a redelivered message).
   */
  notifyNewJob(jobId: string): Promise<{ sentTo: "project" | "org" | null }>;
  /** Re-enqueues the notice of open jobs of the last day that have a webhook and were never announced. */
  reconcile(): Promise<{ queued: number }>;
}

export function createSlackService(
  deps: Pick<ServiceDeps, "db" | "config" | "clock" | "queue">,
): SlackService {
  const { db, config, clock, queue } = deps;
  return {
    async reconcile() {
      const due = await db.job.findMany({
        where: {
          slackNoticeSentAt: null,
          status: { in: OPEN_JOB_STATUSES },
          createdAt: { gte: new Date(clock.now().getTime() - SIDE_EFFECT_RECONCILE_MS.newJob) },
          OR: [{ project: { slackWebhookUrl: { not: null } } }, { org: { slackWebhookUrl: { not: null } } }],
        },
        select: { id: true },
      });
      return resendEach(queue, QUEUES.slackNewJob, "jobId", due, {
        ...SIDE_EFFECT_RETRIES,
        singletonKey: sideEffectSingletonKey.slackNewJob,
      });
    },

    async notifyNewJob(jobId) {
      const job = await db.job.findUnique({
        where: { id: jobId },
        include: { project: true, org: { select: { slackWebhookUrl: true } } },
      });
      if (!job || job.slackNoticeSentAt !== null) return { sentTo: null };
      const projectUrl = job.project?.slackWebhookUrl ?? null;
      const url = projectUrl ?? job.org.slackWebhookUrl;
      if (!url) return { sentTo: null };
      const webhook = new IncomingWebhook(url, { timeout: SLACK_TIMEOUT_MS });
      await webhook.send(
        newJobNotice({
          jobId: job.id,
          title: job.title,
          url: job.url,
          description: job.description,
          screenWidth: job.screenWidth,
          screenHeight: job.screenHeight,
          screenPreset: job.screenPreset,
          targetDurationMinutes: job.targetDurationMinutes,
          testerCount: job.testerCount,
          mode: job.mode,
          projectName: job.project?.name ?? null,
          payMicros: targetPayMicros(job, config.testerShareBps),
          portalUrl: config.publicUrl,
        }),
      );
      // Slack accepted it; a crash before this line sends it once more at the next reconcile.
      await db.job.update({ where: { id: jobId }, data: { slackNoticeSentAt: clock.now() } });
      return { sentTo: projectUrl ? "project" : "org" };
    },
  };
}
