// Slack new-job notices: an incoming webhook per project (else per organisation), sent after the job's commit.
import { IncomingWebhook, type IncomingWebhookSendArguments } from "@slack/webhook";

import { formatUsd } from "@eyeball/core";

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

export function newJobNotice(input: NewJobNoticeInput): IncomingWebhookSendArguments {
  const name = input.title ?? input.url;
  const screen = `${input.screenPreset ?? "custom"} ${input.screenWidth}×${input.screenHeight}`;
  const testers = `${input.testerCount} tester${input.testerCount === 1 ? "" : "s"}`;
  const pay = `about $${formatUsd(input.payMicros)} per tester at the target duration`;
  const facts = [
    `*Screen:* ${screen}`,
    `*Target:* ${input.targetDurationMinutes} min`,
    `*Testers:* ${testers}`,
    `*Pay:* ${pay}`,
  ];
  const heading = `New${input.mode === "test" ? " test-mode" : ""} Eyeball job: ${name}`;
  return {
    text: `${heading} (${input.url}) — ${screen}, ${input.targetDurationMinutes} min, ${testers}, ${pay}. Claim it in the Eyeball tester app: ${input.portalUrl}`,
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
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Claim it in the Eyeball tester app (<${input.portalUrl}|${escape(input.portalUrl)}>) · job \`${input.jobId}\``,
          },
        ],
      },
    ],
  };
}

export interface SlackService {
  /** Worker `slack.new_job`: sends the notice to the project's webhook, else the organisation's; none without. */
  notifyNewJob(jobId: string): Promise<{ sentTo: "project" | "org" | null }>;
}

export function createSlackService(deps: Pick<ServiceDeps, "db" | "config">): SlackService {
  const { db, config } = deps;
  return {
    async notifyNewJob(jobId) {
      const job = await db.job.findUnique({
        where: { id: jobId },
        include: { project: true, org: { select: { slackWebhookUrl: true } } },
      });
      if (!job) return { sentTo: null };
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
      return { sentTo: projectUrl ? "project" : "org" };
    },
  };
}
