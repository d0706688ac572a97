// jobs.*: an owner's jobs (API key or signed-in user of the organisation), and their live updates over SSE.
import { tracked } from "@trpc/server";
import { z } from "zod";

import { type CreateJobRequestInput, isDomainError, JOB_STATUSES, validationError } from "@eyeball/core";

import { type Actor } from "../actor";
import { jobSideOf, type JobSideServices } from "../context";
import { pageRequestSchema } from "../pagination";
import { type JobView } from "../services/jobs";
import { type TargetingInput } from "../services/jobs/job-targeting";
import { type EventFilter, type Mode } from "../services/types";
import { ownerProcedure, router } from "../trpc";
import { requiredId } from "./inputs";

const jobIdInput = z.strictObject({ id: requiredId });

/** `jobs.create`'s input: the create request, Instahuman targeting and the portal's mode choice. */
export type CreateJobInput = CreateJobRequestInput & TargetingInput & { mode?: Mode };

const modeSchema = z.enum(["live", "test"], { error: "must be live or test" }).optional();

/** Takes `mode` off the request (the request schema is strict and has no such field). */
function splitCreateInput(input: unknown): { mode: Mode | undefined; request: unknown } {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !("mode" in input)) {
    return { mode: undefined, request: input };
  }
  const { mode, ...request } = input as Record<string, unknown>;
  const parsed = modeSchema.safeParse(mode);
  if (!parsed.success) throw validationError("mode", "must be live or test");
  return { mode: parsed.data, request };
}

/** The SSE resume point tRPC passes back (`tracked` ids are job event ids). */
export const lastEventIdSchema = z
  .string({ error: "must be a string" })
  .regex(/^\d{1,20}$/, { error: "must be an event id" })
  .nullish();

export function afterIdOf(lastEventId: string | null | undefined): { afterId?: bigint } {
  return lastEventId === null || lastEventId === undefined ? {} : { afterId: BigInt(lastEventId) };
}

/** What `onUpdate` yields per job event (wrapped in `tracked(eventId, …)`). */
export interface JobUpdate {
  eventId: string;
  type: string;
  jobId: string;
  assignmentId: string | null;
  job: JobView;
}

/** Each job event matching `filter`, with the job's current view, as `tracked(eventId, update)`. */
async function* jobUpdates(
  { jobs, events }: JobSideServices,
  actor: Actor,
  options: { filter: EventFilter; afterId?: bigint; signal: AbortSignal },
) {
  const { filter, signal, ...resume } = options;
  for await (const event of events.subscribe(filter, { ...resume, signal })) {
    let job: JobView;
    try {
      job = await jobs.get(actor, event.jobId);
    } catch (error) {
      // An organisation-wide stream skips jobs this caller may not see (an API key's other mode).
      if (filter.jobId === undefined && isDomainError(error) && error.code === "NOT_FOUND") continue;
      throw error;
    }
    const eventId = event.id.toString();
    const update: JobUpdate = {
      eventId,
      type: event.type,
      jobId: event.jobId,
      assignmentId: event.assignmentId,
      job,
    };
    yield tracked(eventId, update);
  }
}

/** The job side of the context's services, narrowed once per call. */
const jobsProcedure = ownerProcedure.use(({ ctx, next }) =>
  next({ ctx: { jobSide: jobSideOf(ctx.services) } }),
);

export const jobsRouter = router({
  list: jobsProcedure
    .input(
      pageRequestSchema.extend({
        status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(", ")}` }).optional(),
        projectId: requiredId.optional(),
        /** Search (trimmed, 1–200 chars): the service matches id, title, URL and description and names `q`. */
        q: z.string({ error: "must be a string" }).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await ctx.jobSide.jobs.list(ctx.actor, input);
      return { data: page.items, next: page.next };
    }),

  get: jobsProcedure.input(jobIdInput).query(({ ctx, input }) => ctx.jobSide.jobs.get(ctx.actor, input.id)),

  /**
   * The run(human) request object (plus Eyeball extras); the service validates it and names the field.
   * `mode` (tRPC only, not part of the REST body): a signed-in owner picks test (sandbox, free) or
   * live (billed), default live; an API key's own mode decides, and a `mode` naming the other one is
   * refused (400 naming `mode`) rather than silently creating a job of a mode the caller did not ask for.
   */
  create: jobsProcedure.input(z.custom<CreateJobInput>()).mutation(({ ctx, input }) => {
    const { mode, request } = splitCreateInput(input);
    if (mode !== undefined && ctx.actor.kind === "apiKey" && mode !== ctx.actor.mode) {
      throw validationError("mode", `must be ${ctx.actor.mode} (the API key's mode) or omitted`);
    }
    return ctx.jobSide.jobs.create(ctx.actor, request, {
      source: "portal",
      ...(mode === undefined ? {} : { mode }),
    });
  }),

  cancel: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.cancel(ctx.actor, input.id)),
  pause: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.pause(ctx.actor, input.id)),
  resume: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.resume(ctx.actor, input.id)),
  stop: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.stop(ctx.actor, input.id)),
  settle: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.settle(ctx.actor, input.id)),
  approve: jobsProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.approve(ctx.actor, input.id)),

  dispute: jobsProcedure
    .input(
      jobIdInput.extend({
        assignmentIds: z
          .array(requiredId, { error: "must be an array of assignment ids" })
          .min(1, { error: "must name at least one assignment" }),
        reason: z.string({ error: "is required" }).trim().min(1, { error: "must not be empty" }),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.jobSide.jobs.dispute(ctx.actor, input.id, {
        assignmentIds: input.assignmentIds,
        reason: input.reason,
      }),
    ),

  resize: jobsProcedure
    .input(
      jobIdInput.extend({
        testerCount: z.number({ error: "must be a number" }).int({ error: "must be an integer" }),
      }),
    )
    .mutation(({ ctx, input }) => ctx.jobSide.jobs.resize(ctx.actor, input.id, input.testerCount)),

  /** The recording of each slot (screenshots, video, console, network, clicks) with signed links. */
  recording: jobsProcedure.input(jobIdInput).query(async ({ ctx, input }) => {
    const view = await ctx.jobSide.jobs.get(ctx.actor, input.id);
    const slots = await ctx.jobSide.artifacts.recordings(view.slots.map((slot) => slot.id));
    return { jobId: view.id, representativeSlotId: view.representativeSlotId, slots };
  }),

  /**
   * Every event of one job (`id`) or of all the caller's jobs, with the job's view after it.
   * Access is checked before subscribing (403 / 404); resume with `lastEventId`.
   */
  onUpdate: jobsProcedure
    .input(z.strictObject({ id: requiredId.optional(), lastEventId: lastEventIdSchema }))
    .subscription(async ({ ctx, input, signal }) => {
      // Checked here, not inside the stream: a caller without access gets 403/404 and no subscription.
      if (input.id !== undefined) await ctx.jobSide.jobs.get(ctx.actor, input.id);
      return jobUpdates(ctx.jobSide, ctx.actor, {
        filter: input.id === undefined ? { orgId: ctx.orgId } : { jobId: input.id },
        ...afterIdOf(input.lastEventId),
        signal: signal ?? new AbortController().signal,
      });
    }),
});
