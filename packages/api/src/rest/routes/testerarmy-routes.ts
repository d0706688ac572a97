// TesterArmy REST dialect under /api/v1: POST/GET /runs, GET /runs/:id and POST /runs/:id/cancel.
import { type Router } from "express";
import { z } from "zod";

import { parseCreateRunRequest } from "@eyeball/core";

import { type Actor } from "../../actor";
import { encodeCursor } from "../../pagination";
import { type ArtifactsService } from "../../services/artifacts";
import { type JobsService, type JobView } from "../../services/jobs";
import {
  jobStatusesOfRunStatus,
  TESTERARMY_RUN_STATUSES,
  testerArmyRunStatus,
  toTesterArmyRun,
  toTesterArmyRunSummary,
  type TesterArmyRun,
  type TesterArmyRunSummary,
} from "../../services/jobs/job-webhooks";
import { jobWebhookStatus } from "../../services/webhooks";
import { actorOf } from "../auth";
import { parseQuery, reply, route } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";

export const TESTERARMY_DEFAULT_LIMIT = 10;
export const TESTERARMY_MAX_LIMIT = 100;

const listQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "must be a number" })
    .int({ error: `must be an integer between 1 and ${TESTERARMY_MAX_LIMIT}` })
    .min(1, { error: `must be between 1 and ${TESTERARMY_MAX_LIMIT}` })
    .max(TESTERARMY_MAX_LIMIT, { error: `must be between 1 and ${TESTERARMY_MAX_LIMIT}` })
    .default(TESTERARMY_DEFAULT_LIMIT),
  status: z
    .enum(TESTERARMY_RUN_STATUSES, { error: `must be one of ${TESTERARMY_RUN_STATUSES.join(", ")}` })
    .optional(),
  cursor: z.string({ error: "must be a string" }).max(500, { error: "is not a valid cursor" }).optional(),
});

export interface TesterArmyRunPage {
  runs: TesterArmyRunSummary[];
  nextCursor: string | null;
}

export interface TesterArmyRoutesDeps {
  jobs: JobsService;
  artifacts: ArtifactsService;
}

/**
 * A run status stands for one or more job statuses (failed = incomplete, abandoned, rejected,
 * error): one page per job status from the same cursor, merged newest first. The jobs service's
 * order (createdAt desc, id desc) and cursor position make the merged page's cursor exact.
 */
async function listRuns(
  jobs: JobsService,
  actor: Actor,
  query: z.output<typeof listQuerySchema>,
): Promise<TesterArmyRunPage> {
  const statuses = query.status === undefined ? [undefined] : jobStatusesOfRunStatus(query.status);
  const pages = await Promise.all(
    statuses.map((status) =>
      jobs.list(actor, {
        limit: query.limit,
        cursor: query.cursor ?? null,
        ...(status === undefined ? {} : { status }),
      }),
    ),
  );
  if (pages.length === 1 && pages[0]) {
    return { runs: pages[0].items.map(toTesterArmyRunSummary), nextCursor: pages[0].next };
  }
  const merged = pages
    .flatMap((page) => page.items)
    .sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  const items: JobView[] = merged.slice(0, query.limit);
  const more = merged.length > query.limit || pages.some((page) => page.next !== null);
  const last = items.at(-1);
  return {
    runs: items.map(toTesterArmyRunSummary),
    nextCursor: more && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
  };
}

/** The TesterArmy routes; register `createTesterArmyRoutes({ jobs, artifacts })` in createRestRouter's `routes`. */
export function createTesterArmyRoutes({ jobs, artifacts }: TesterArmyRoutesDeps): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    const { db } = toolkit.services;

    async function fullRun(view: JobView): Promise<TesterArmyRun> {
      // With a webhookUrl the status is "pending" until the run ends and its delivery is written.
      const webhookStatus = view.webhookUrl ? ((await jobWebhookStatus(db, view.id)) ?? "pending") : null;
      // Screenshots only: the run body has no timeline, so the timeline files are not read.
      return toTesterArmyRun(view, webhookStatus, await artifacts.representativeScreenshots(view));
    }

    router.post(
      "/v1/runs",
      ...toolkit.authenticated,
      toolkit.idempotent("testerarmy.runs.create"),
      route(async (req, res) => {
        const request = parseCreateRunRequest(req.body ?? {});
        const view = await jobs.create(actorOf(res), request, { source: "testerarmy" });
        return reply(202, {
          id: view.id,
          status: testerArmyRunStatus(view.status),
          createdAt: view.createdAt.toISOString(),
        });
      }),
    );

    router.get(
      "/v1/runs",
      ...toolkit.authenticated,
      route((req, res) => listRuns(jobs, actorOf(res), parseQuery(listQuerySchema, req))),
    );

    router.get(
      "/v1/runs/:id",
      ...toolkit.authenticated,
      route(async (req, res) => fullRun(await jobs.get(actorOf(res), String(req.params.id)))),
    );

    router.post(
      "/v1/runs/:id/cancel",
      ...toolkit.authenticated,
      route(async (req, res) => {
        // The jobs service refuses (409) once a tester claimed: only queued runs can be cancelled.
        const view = await jobs.cancel(actorOf(res), String(req.params.id));
        return { id: view.id, status: testerArmyRunStatus(view.status) };
      }),
    );
  };
}
