// Job webhooks (the job's `webhookUrl` and the org's endpoints): the TesterArmy run body, the outbox rows written when a job ends, and their after-commit dispatch.
import { type JobStatus, type JsonValue } from "@eyeball/core";

import { type ArtifactLinks, screenshotLinks } from "../artifacts/artifact-links";
import { type Db, type EventBus, type JsonObject, type Tx } from "../types";
import {
  enqueueWebhookDelivery,
  type WebhookDeliverer,
  type WebhookDeliveryStatus,
} from "../webhooks/deliverer";
import { jobViewInclude, type JobView, toJobView } from "./job-view";

export const TESTERARMY_RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type TesterArmyRunStatus = (typeof TESTERARMY_RUN_STATUSES)[number];

/**
 * Job status → TesterArmy run status: pending/waiting → queued, working → running, completed →
 * completed, incomplete/abandoned/rejected/error → failed, cancelled → cancelled.
 */
const RUN_STATUS: Readonly<Record<JobStatus, TesterArmyRunStatus>> = {
  pending: "queued",
  waiting: "queued",
  working: "running",
  completed: "completed",
  incomplete: "failed",
  abandoned: "failed",
  rejected: "failed",
  error: "failed",
  cancelled: "cancelled",
};

export function testerArmyRunStatus(status: JobStatus): TesterArmyRunStatus {
  return RUN_STATUS[status];
}

/** The job statuses a run-status filter stands for (the inverse of testerArmyRunStatus). */
export function jobStatusesOfRunStatus(status: TesterArmyRunStatus): JobStatus[] {
  return (Object.keys(RUN_STATUS) as JobStatus[]).filter((job) => RUN_STATUS[job] === status);
}

export interface TesterArmyRunOutput {
  featureName: string;
  result: "PASS" | "FAIL";
  description: string;
  issues: string[];
  screenshots: string[];
}

/** `GET /runs` list item (the reference's short form). */
export interface TesterArmyRunSummary {
  id: string;
  type: "chat";
  status: TesterArmyRunStatus;
  input: { prompt: string };
  durationMs: number | null;
  createdAt: string;
  completedAt: string | null;
}

/** `GET /runs/:id` and the webhook body. */
export interface TesterArmyRun extends TesterArmyRunSummary {
  output: TesterArmyRunOutput | null;
  error: string | null;
  webhookUrl: string | null;
  webhookStatus: WebhookDeliveryStatus | null;
  startedAt: string | null;
}

const FEATURE_NAME_LENGTH = 80;
const ISSUE_FIELD = /issue|bug|problem|error/i;

/** The job's title, else the prompt's first sentence (shortened). */
function featureName(view: JobView): string {
  if (view.title) return view.title;
  const first = (view.description.split(/(?<=[.!?])\s+|\n/)[0] ?? view.description).trim();
  return first.length > FEATURE_NAME_LENGTH ? `${first.slice(0, FEATURE_NAME_LENGTH - 1)}…` : first;
}

function issueText(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Issues: the `issues` array of the extracted data, else the first array field whose name speaks
 * of issues/bugs/problems/errors; without one, an unsuccessful run lists its unanswered fields.
 */
function issuesOf(view: JobView): string[] {
  const result = view.result;
  if (!result) return [];
  const data = result.data;
  const issues = data.issues;
  if (Array.isArray(issues)) return issues.map(issueText);
  for (const [field, value] of Object.entries(data)) {
    if (ISSUE_FIELD.test(field) && Array.isArray(value)) return value.map(issueText);
  }
  if (result.success) return [];
  return Object.entries(data)
    .filter(([, value]) => value === null)
    .map(([field]) => `${field}: not reported by the tester`);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function toTesterArmyRunSummary(view: JobView): TesterArmyRunSummary {
  return {
    id: view.id,
    type: "chat",
    status: testerArmyRunStatus(view.status),
    input: { prompt: view.description },
    durationMs: view.testDurationSeconds === null ? null : view.testDurationSeconds * 1000,
    createdAt: view.createdAt.toISOString(),
    completedAt: iso(view.completedAt ?? view.cancelledAt),
  };
}

/**
 * The full run. `output` is null until the run ends (and for a cancelled run); `result` is PASS
 * only when the job completed and its extraction succeeded. `error` carries the explanation of a
 * failed run. `screenshots` are the signed links of the representative slot's screenshots.
 */
export function toTesterArmyRun(
  view: JobView,
  webhookStatus: WebhookDeliveryStatus | null,
  /** Signed links of the representative slot's screenshots. */
  screenshots: readonly string[] = [],
): TesterArmyRun {
  const status = testerArmyRunStatus(view.status);
  const ended = status === "completed" || status === "failed";
  const pass = view.status === "completed" && view.result?.success === true;
  return {
    ...toTesterArmyRunSummary(view),
    output: ended
      ? {
          featureName: featureName(view),
          result: pass ? "PASS" : "FAIL",
          description: view.result?.explanation ?? "",
          issues: issuesOf(view),
          screenshots: [...screenshots],
        }
      : null,
    error: status === "failed" ? (view.result?.explanation ?? `The run ended ${view.status}.`) : null,
    webhookUrl: view.webhookUrl,
    webhookStatus,
    startedAt: iso(view.startedAt),
  };
}

/** Webhook event per run outcome: run.completed, run.failed, run.cancelled. */
export function runWebhookEvent(status: JobStatus): string {
  const run = testerArmyRunStatus(status);
  return run === "completed" || run === "cancelled" ? `run.${run}` : "run.failed";
}

/**
 * Inside the transaction that made the job terminal (finishJob): writes the outbox rows of the
 * job's own `webhookUrl`, if it has one, and of each enabled organisation endpoint that takes the
 * event (an endpoint with no event list takes every event), all with the run body as payload.
 * Returns the delivery ids.
 */
export async function enqueueJobWebhook(
  tx: Tx,
  jobId: string,
  now: Date,
  links?: ArtifactLinks,
): Promise<string[]> {
  const job = await tx.job.findUniqueOrThrow({ where: { id: jobId }, include: jobViewInclude });
  const view = toJobView(job);
  const event = runWebhookEvent(view.status);
  const endpoints = (
    await tx.webhookEndpoint.findMany({
      where: { orgId: job.orgId, active: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, url: true, events: true },
    })
  ).filter((endpoint) => endpoint.events.length === 0 || endpoint.events.includes(event));
  if (job.webhookUrl === null && endpoints.length === 0) return [];
  const screenshots =
    links && view.representativeSlotId !== null
      ? await screenshotLinks(tx, links, view.representativeSlotId)
      : [];
  const payload = JSON.parse(JSON.stringify(toTesterArmyRun(view, "pending", screenshots))) as JsonObject;
  const ids: string[] = [];
  if (job.webhookUrl !== null)
    ids.push(await enqueueWebhookDelivery(tx, { jobId, url: job.webhookUrl, event, payload, now }));
  for (const endpoint of endpoints)
    ids.push(
      await enqueueWebhookDelivery(tx, {
        jobId,
        endpointId: endpoint.id,
        url: endpoint.url,
        event,
        payload,
        now,
      }),
    );
  return ids;
}

export interface JobWebhookDispatchDeps {
  db: Db;
  events: EventBus;
  deliverer: Pick<WebhookDeliverer, "schedule">;
  onError?: (error: unknown) => void;
}

/** Schedules the job's first-attempt deliveries (pending, never tried); returns how many. */
export async function scheduleJobWebhooks(
  deps: Pick<JobWebhookDispatchDeps, "db" | "deliverer">,
  jobId: string,
): Promise<number> {
  const due = await deps.db.webhookDelivery.findMany({
    where: { jobId, status: "pending", attempts: 0 },
    select: { id: true },
  });
  for (const { id } of due) await deps.deliverer.schedule(id);
  return due.length;
}

/**
 * The after-commit half: `job.finished` is only heard once its transaction committed, so the
 * outbox row it came with is visible; this schedules it at once (the deliverer's sweep remains
 * the fallback for a missed event). Run it where the webhook worker runs; call the returned stop().
 */
export function startJobWebhookDispatch(deps: JobWebhookDispatchDeps): { stop(): void; done: Promise<void> } {
  const controller = new AbortController();
  const report =
    deps.onError ??
    ((error: unknown) => {
      process.stderr.write(`eyeball webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  const done = (async () => {
    try {
      for await (const event of deps.events.subscribe(
        { types: ["job.finished"] },
        { signal: controller.signal },
      )) {
        await scheduleJobWebhooks(deps, event.jobId).catch(report);
      }
    } catch (error) {
      if (!controller.signal.aborted) report(error);
    }
  })();
  return {
    stop: () => {
      controller.abort();
    },
    done,
  };
}
