// GET /api/job/:jobId/events: a job's changes as Server-Sent Events, in the run(human) body, until it is terminal.
import { type Router } from "express";

import { isTerminalJobStatus } from "@eyeball/core";

import { type ArtifactsService } from "../../services/artifacts";
import { type JobsService, type JobView } from "../../services/jobs";
import { type EventBus } from "../../services/types";
import { actorOf } from "../auth";
import { jsonSafe } from "../json-safe";
import { route } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";
import { toRunhumanJob } from "./runhuman-routes";

/** A comment line this often keeps proxies from closing an idle stream. */
export const JOB_EVENTS_HEARTBEAT_MS = 15_000;

export interface JobEventsRoutesDeps {
  jobs: JobsService;
  artifacts: ArtifactsService;
  events: EventBus;
  heartbeatMs?: number;
}

/**
 * The stream: a `job` event with the current body at once, another after every change of the job
 * (`id:` is the job event's id, so a client reconnecting with `Last-Event-ID` misses nothing), and
 * `end` once the job is terminal, after which the server closes it. Access is checked before the
 * stream opens, so a wrong id still answers 404 / 403 in the JSON error shape.
 */
export function createJobEventsRoutes(deps: JobEventsRoutesDeps): RestRouteModule {
  const heartbeatMs = deps.heartbeatMs ?? JOB_EVENTS_HEARTBEAT_MS;
  return (router: Router, toolkit: RestToolkit) => {
    router.get(
      "/job/:jobId/events",
      ...toolkit.authenticated,
      route(async (req, res) => {
        const actor = actorOf(res);
        const jobId = String(req.params.jobId);
        const lastEventId = req.get("last-event-id");
        // Without a resume point, start after the job's newest event read before its body: a change
        // between the two reads is then delivered, never lost.
        const newest = await toolkit.services.db.jobEvent.findFirst({
          where: { jobId },
          orderBy: { id: "desc" },
          select: { id: true },
        });
        const first = await deps.jobs.get(actor, jobId);
        const afterId =
          lastEventId !== undefined && /^\d{1,20}$/.test(lastEventId)
            ? BigInt(lastEventId)
            : (newest?.id ?? 0n);

        res.status(200).set({
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        res.flushHeaders();
        const closed = new AbortController();
        res.on("close", () => {
          closed.abort();
        });
        const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
        heartbeat.unref();

        const send = async (view: JobView, id?: bigint): Promise<boolean> => {
          const recording = isTerminalJobStatus(view.status)
            ? await deps.artifacts.representativeRecording(view)
            : null;
          const body = JSON.stringify(jsonSafe(toRunhumanJob(view, recording)));
          res.write(`${id === undefined ? "" : `id: ${id.toString()}\n`}event: job\ndata: ${body}\n\n`);
          return isTerminalJobStatus(view.status);
        };

        try {
          let done = await send(first);
          if (!done) {
            for await (const event of deps.events.subscribe({ jobId }, { afterId, signal: closed.signal })) {
              done = await send(await deps.jobs.get(actor, jobId), event.id);
              if (done) break;
            }
          }
          if (done && !closed.signal.aborted) res.write("event: end\ndata: {}\n\n");
        } finally {
          clearInterval(heartbeat);
          closed.abort();
          res.end();
        }
        return undefined;
      }),
    );
  };
}
