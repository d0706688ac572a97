// Instahuman REST dialect, jobs: GET /api/jobs (cursor pages), GET /api/jobs/:id and the owner job actions.
import { type Router } from "express";
import { z } from "zod";

import {
  type AssignmentStatus,
  type JobControl,
  type JobStatus,
  micros,
  microsToUsd,
  type SettlementState,
} from "@eyeball/core";

import { pageRequestSchema } from "../../pagination";
import { type JobResult, type JobsService, type JobView, type SlotView } from "../../services/jobs";
import { actorOf } from "../auth";
import { parseBody, parseQuery, route } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";

export interface InstahumanTester {
  /** The tester's profile id: add it to a project pool with POST /api/projects/:id/testers. */
  testerId: string;
  alias: string;
  avatarUrl: string | null;
  color: string | null;
}

export interface InstahumanAssignment {
  id: string;
  slotIndex: number;
  status: AssignmentStatus;
  tester: InstahumanTester | null;
  claimedAt: Date | null;
  submittedAt: Date | null;
  finishedAt: Date | null;
  durationSeconds: number | null;
  extensionMinutesGranted: number;
  costUsd: number;
  testerResponse: string | null;
  result: JobResult | null;
  rejectReason: string | null;
  /** An abandoned slot that was reopened as a new one; it no longer counts as a tester. */
  replaced: boolean;
}

/** The Instahuman job resource: what GET /api/jobs/:id, list entries and every owner action answer. */
export interface InstahumanJob {
  id: string;
  status: JobStatus;
  control: JobControl;
  settlement: SettlementState;
  mode: JobView["mode"];
  source: JobView["source"];
  url: string;
  title: string | null;
  description: string;
  projectId: string | null;
  /** The category's id (created with its id or slug), and the entry itself. */
  categoryId: string | null;
  category: JobView["category"];
  participantFilterIds: string[];
  participantFilters: JobView["participantFilters"];
  testerCount: number;
  targetDurationMinutes: number;
  screenSize: JobView["screenSize"];
  result: JobResult | null;
  /** Charged so far, full precision (0.396, not 0.40). */
  costUsd: number;
  /** Still held on the owner's credits for this job. */
  holdUsd: number;
  testDurationSeconds: number | null;
  assignments: InstahumanAssignment[];
  createdAt: Date;
  updatedAt: Date;
  postedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

function usd(amount: number): number {
  return microsToUsd(micros(amount));
}

function toInstahumanAssignment(slot: SlotView): InstahumanAssignment {
  return {
    id: slot.id,
    slotIndex: slot.slotIndex,
    status: slot.status,
    tester: slot.tester
      ? {
          testerId: slot.tester.id,
          alias: slot.tester.alias,
          avatarUrl: slot.tester.avatarUrl,
          color: slot.tester.color,
        }
      : null,
    claimedAt: slot.claimedAt,
    submittedAt: slot.submittedAt,
    finishedAt: slot.finishedAt,
    durationSeconds: slot.durationSeconds,
    extensionMinutesGranted: slot.extensionMinutesGranted,
    costUsd: usd(slot.costMicros),
    testerResponse: slot.testerResponse,
    result: slot.result,
    rejectReason: slot.rejectReason,
    replaced: slot.replaced,
  };
}

export function toInstahumanJob(view: JobView): InstahumanJob {
  return {
    id: view.id,
    status: view.status,
    control: view.control,
    settlement: view.settlement,
    mode: view.mode,
    source: view.source,
    url: view.url,
    title: view.title,
    description: view.description,
    projectId: view.projectId,
    categoryId: view.category?.id ?? null,
    category: view.category,
    participantFilterIds: view.participantFilters.map((filter) => filter.id),
    participantFilters: view.participantFilters,
    testerCount: view.testerCount,
    targetDurationMinutes: view.targetDurationMinutes,
    screenSize: view.screenSize,
    result: view.result,
    costUsd: usd(view.costMicros),
    holdUsd: usd(view.holdMicros),
    testDurationSeconds: view.testDurationSeconds,
    assignments: view.slots.map(toInstahumanAssignment),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    postedAt: view.postedAt,
    startedAt: view.startedAt,
    completedAt: view.completedAt,
    cancelledAt: view.cancelledAt,
  };
}

const listQuerySchema = pageRequestSchema.extend({
  status: z.string({ error: "must be a string" }).optional(),
  projectId: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
});

const disputeSchema = z.object({
  assignmentIds: z.array(z.string({ error: "must be strings" }), {
    error: "must be an array of assignment ids",
  }),
  reason: z.string({ error: "must be a string" }),
});

const resizeSchema = z.object({
  testerCount: z.number({ error: "must be a number" }),
});

type SimpleAction = "pause" | "resume" | "stop" | "settle" | "approve";
const SIMPLE_ACTIONS: readonly SimpleAction[] = ["pause", "resume", "stop", "settle", "approve"];

export interface InstahumanJobsRoutesDeps {
  jobs: JobsService;
}

/**
 * The Instahuman job routes (creation is the shared `POST /api/jobs`, registered elsewhere).
 * Register `createInstahumanJobsRoutes({ jobs })` in createRestRouter's `routes`.
 */
export function createInstahumanJobsRoutes({ jobs }: InstahumanJobsRoutesDeps): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    router.get(
      "/jobs",
      ...toolkit.authenticated,
      route(async (req, res) => {
        const query = parseQuery(listQuerySchema, req);
        const page = await jobs.list(actorOf(res), {
          limit: query.limit,
          cursor: query.cursor,
          status: query.status,
          projectId: query.projectId,
        });
        return { data: page.items.map(toInstahumanJob), next: page.next };
      }),
    );

    router.get(
      "/jobs/:id",
      ...toolkit.authenticated,
      route(async (req, res) => toInstahumanJob(await jobs.get(actorOf(res), String(req.params.id)))),
    );

    for (const action of SIMPLE_ACTIONS) {
      router.post(
        `/owner/jobs/:id/${action}`,
        ...toolkit.authenticated,
        route(async (req, res) => toInstahumanJob(await jobs[action](actorOf(res), String(req.params.id)))),
      );
    }

    router.post(
      "/owner/jobs/:id/dispute",
      ...toolkit.authenticated,
      route(async (req, res) => {
        const body = parseBody(disputeSchema, req);
        return toInstahumanJob(await jobs.dispute(actorOf(res), String(req.params.id), body));
      }),
    );

    router.post(
      "/owner/jobs/:id/resize",
      ...toolkit.authenticated,
      route(async (req, res) => {
        const body = parseBody(resizeSchema, req);
        return toInstahumanJob(await jobs.resize(actorOf(res), String(req.params.id), body.testerCount));
      }),
    );
  };
}
