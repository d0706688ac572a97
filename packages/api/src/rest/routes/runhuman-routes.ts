// run(human) REST dialect: POST /api/jobs, GET /api/job/:jobId and the blocking POST /api/run (200 or 408).
import { type Router } from "express";

import { type JobStatus, micros, microsToUsd } from "@eyeball/core";

import { type ArtifactsService, type SlotRecording } from "../../services/artifacts";
import { type JobResult, type JobsService, type JobView } from "../../services/jobs";
import { actorOf } from "../auth";
import { reply, route } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";

export const RUNHUMAN_CREATED_MESSAGE = "Job created successfully. Use GET /api/job/:id to check status.";

/**
 * run(human) `testerData`: the representative tester's recording; `videoUrl` only when a video was recorded,
 * `videoStartedAt` (an Eyeball addition) only when its frame 0's moment is known.
 */
export interface RunhumanTesterData {
  testDurationSeconds: number | null;
  consoleMessages: { type: string; message: string; timestamp: string }[];
  networkRequests: { url: string; method: string; status?: number; timestamp: string }[];
  clicks: { x: number; y: number; timestamp: string; element?: string }[];
  screenshots: string[];
  videoUrl?: string;
  /** ISO 8601 moment of the video's frame 0, when known: an entry's place in the video is `timestamp − videoStartedAt`. */
  videoStartedAt?: string;
}

/** The body of `GET /api/job/:jobId` and of `POST /api/run`'s 200. */
export interface RunhumanJob {
  id: string;
  status: JobStatus;
  result?: JobResult;
  costUsd?: number;
  testDurationSeconds?: number | null;
  testerResponse?: string | null;
  testerAlias?: string;
  testerAvatarUrl?: string | null;
  testerColor?: string | null;
  testerData?: RunhumanTesterData;
}

/**
 * Every field beyond `id` and `status` — result, costUsd (full precision from micros: 396000 →
 * 0.396), testDurationSeconds, testerResponse, the tester identity and testerData — appears when
 * the tester's work was delivered: `completed`, as the reference (001) says, and also `incomplete`,
 * because that work is billed and its result (success false, the unanswered fields null) is what the
 * integrator needs to act on. Clients written for the reference check the status first, so the extra
 * fields on `incomplete` cannot mislead them. Other statuses answer `{id, status}`.
 */
const DELIVERED_STATUSES: ReadonlySet<JobStatus> = new Set(["completed", "incomplete"]);

export function toRunhumanJob(view: JobView, recording: SlotRecording | null = null): RunhumanJob {
  const body: RunhumanJob = { id: view.id, status: view.status };
  if (!DELIVERED_STATUSES.has(view.status)) return body;
  if (view.result) body.result = view.result;
  body.costUsd = microsToUsd(micros(view.costMicros));
  body.testDurationSeconds = view.testDurationSeconds;
  body.testerResponse = view.testerResponse;
  if (view.tester) {
    body.testerAlias = view.tester.alias;
    body.testerAvatarUrl = view.tester.avatarUrl;
    body.testerColor = view.tester.color;
  }
  body.testerData = {
    testDurationSeconds: view.testDurationSeconds,
    consoleMessages: recording?.consoleMessages ?? [],
    networkRequests: recording?.networkRequests ?? [],
    clicks: recording?.clicks ?? [],
    screenshots: recording?.screenshots.map((shot) => shot.url) ?? [],
    ...(recording?.video ? { videoUrl: recording.video.url } : {}),
    ...(recording?.video && recording.videoStartedAt
      ? { videoStartedAt: recording.videoStartedAt.toISOString() }
      : {}),
  };
  return body;
}

/** The run(human) body with its recording read only when the body shows it. */
async function runhumanJob(artifacts: ArtifactsService, view: JobView): Promise<RunhumanJob> {
  const recording = DELIVERED_STATUSES.has(view.status)
    ? await artifacts.representativeRecording(view)
    : null;
  return toRunhumanJob(view, recording);
}

/** "10 minutes", "1 minute", or seconds when the wait is not whole minutes. */
export function waitDescription(ms: number): string {
  const minutes = ms / 60_000;
  if (Number.isInteger(minutes)) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const seconds = Number((ms / 1000).toFixed(3));
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export interface RunhumanRoutesDeps {
  jobs: JobsService;
  artifacts: ArtifactsService;
}

/** The run(human) routes; register `createRunhumanRoutes({ jobs, artifacts })` in createRestRouter's `routes`. */
export function createRunhumanRoutes({ jobs, artifacts }: RunhumanRoutesDeps): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    router.post(
      "/jobs",
      ...toolkit.authenticated,
      toolkit.idempotent("runhuman.jobs.create"),
      route(async (req, res) => {
        const view = await jobs.create(actorOf(res), req.body ?? {}, { source: "runhuman" });
        return reply(201, { jobId: view.id, message: RUNHUMAN_CREATED_MESSAGE });
      }),
    );

    router.get(
      "/job/:jobId",
      ...toolkit.authenticated,
      route(async (req, res) =>
        runhumanJob(artifacts, await jobs.get(actorOf(res), String(req.params.jobId))),
      ),
    );

    router.post(
      "/run",
      ...toolkit.authenticated,
      route(async (req, res) => {
        const actor = actorOf(res);
        const view = await jobs.create(actor, req.body ?? {}, { source: "runhuman" });
        // Stop waiting when the client goes away: the job goes on, the listener is released.
        const disconnected = new AbortController();
        const onClose = () => {
          if (!res.writableEnded) disconnected.abort();
        };
        res.on("close", onClose);
        try {
          const waitMs = toolkit.services.config.runWaitMs;
          const finished = await jobs.waitForTerminal(actor, view.id, waitMs, disconnected.signal);
          if (disconnected.signal.aborted) return undefined;
          if (finished) return await runhumanJob(artifacts, finished);
          return reply(408, {
            error: "timeout",
            message: `Test did not complete within ${waitDescription(waitMs)}`,
            jobId: view.id,
          });
        } finally {
          res.off("close", onClose);
        }
      }),
    );
  };
}
