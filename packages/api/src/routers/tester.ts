// tester.*: the tester app's calls — sign-in and profile, the feed and its live updates, claiming, working an assignment, and the tester's history, earnings and payouts.
import { tracked } from "@trpc/server";
import { z } from "zod";

import { ARTIFACT_KINDS, capturedAtSchema, MAX_CHUNK_BYTES } from "../services/artifacts";
import { jobSideOf } from "../context";
import { pageRequestSchema } from "../pagination";
import { type FeedItem } from "../services/tester";
import { updateTesterProfileInputSchema } from "../services/tester-auth";
import { publicProcedure, testerProcedure, router } from "../trpc";
import { requiredId } from "./inputs";
import { afterIdOf, lastEventIdSchema } from "./jobs";
import { testerPayoutsRouter } from "./tester-payouts";

/** Job events that can change what a tester's feed shows (new jobs, slots taken or freed, jobs ending). */
export const FEED_EVENT_TYPES = [
  "job.created",
  "job.posted",
  "job.status_changed",
  "job.finished",
  "job.paused",
  "job.resumed",
  "job.cancelled",
  "job.stopped",
  "job.resized",
  "assignment.claimed",
  "assignment.abandoned",
  "assignment.timed_out",
  "assignment.rejected",
  "assignment.reopened",
] as const;

/** What `feedUpdates` yields (wrapped in `tracked(eventId, …)`): the event that moved the feed and the feed after it. */
export interface FeedUpdate {
  eventId: string;
  type: string;
  jobId: string;
  feed: FeedItem[];
}

const assignmentInput = z.strictObject({ id: requiredId });

const testerJobsProcedure = testerProcedure.use(({ ctx, next }) => {
  const { tester, events, artifacts } = jobSideOf(ctx.services);
  return next({ ctx: { tester, events, artifacts } });
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const chunkData = z
  .string({ error: "must be a base64 string" })
  .min(1, { error: "must not be empty" })
  .max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4, { error: `must be at most ${MAX_CHUNK_BYTES} bytes per chunk` })
  .refine((value) => value.length % 4 === 0 && BASE64.test(value), { error: "must be a base64 string" })
  .transform((value) => Buffer.from(value, "base64"));

/**
 * Resumable uploads of the recording: `begin` → `append` chunks at `uploadedBytes` → `complete`.
 * After a crash or a lost connection, `list` tells each upload's `uploadedBytes` to resume from.
 */
const artifactsRouter = router({
  begin: testerJobsProcedure
    .input(
      z.strictObject({
        assignmentId: requiredId,
        kind: z.enum(ARTIFACT_KINDS, { error: `must be one of ${ARTIFACT_KINDS.join(", ")}` }),
        contentType: z.string({ error: "is required" }).trim().min(1, { error: "is required" }),
        /** When the content starts: a video's frame 0 (the recorder's `startedAt`), a screenshot's moment. */
        capturedAt: capturedAtSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.artifacts.begin(ctx.testerId, input)),
  append: testerJobsProcedure
    .input(
      z.strictObject({
        artifactId: requiredId,
        offset: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0),
        data: chunkData,
      }),
    )
    .mutation(({ ctx, input }) => ctx.artifacts.append(ctx.testerId, input)),
  complete: testerJobsProcedure
    .input(
      z.strictObject({
        artifactId: requiredId,
        bytes: z
          .number({ error: "must be a number" })
          .int({ error: "must be a whole number" })
          .min(0)
          .optional(),
        sha256: z
          .string({ error: "must be a string" })
          .regex(/^[0-9a-fA-F]{64}$/, { error: "must be 64 hex characters" })
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.artifacts.complete(ctx.testerId, input)),
  list: testerJobsProcedure
    .input(z.strictObject({ assignmentId: requiredId }))
    .query(({ ctx, input }) => ctx.artifacts.uploads(ctx.testerId, input.assignmentId)),
});

const signInInput = z.strictObject({
  email: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(320),
  password: z.string({ error: "is required" }).min(1, { error: "is required" }).max(1000),
});

export const testerRouter = router({
  /** Email + password → `{token, expiresAt, tester}`; send the token as `Authorization: Bearer eb_tst_…`. */
  signIn: publicProcedure
    .input(signInInput)
    .mutation(({ ctx, input }) => ctx.services.testerAuth.signIn(input.email, input.password)),

  /** Revokes the session this call was made with. */
  signOut: testerProcedure.mutation(async ({ ctx }) => {
    if (ctx.actor.sessionId !== undefined) await ctx.services.testerAuth.revokeSession(ctx.actor.sessionId);
    return { signedOut: true as const };
  }),

  me: testerProcedure.query(({ ctx }) => ctx.services.testerAuth.getProfile(ctx.testerId)),

  profile: router({
    get: testerProcedure.query(({ ctx }) => ctx.services.testerAuth.getProfile(ctx.testerId)),
    update: testerProcedure
      .input(updateTesterProfileInputSchema)
      .mutation(({ ctx, input }) => ctx.services.testerAuth.updateProfile(ctx.testerId, input)),
  }),

  feed: testerJobsProcedure.query(({ ctx }) => ctx.tester.feed(ctx.testerId)),

  /**
   * The refreshed feed after each job event that may change it, skipping events that left it as it
   * was (another mode's jobs, jobs outside this tester's pools). Resume with `lastEventId`.
   */
  feedUpdates: testerJobsProcedure
    .input(z.strictObject({ lastEventId: lastEventIdSchema }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const abort = signal ?? new AbortController().signal;
      let previous: string | undefined;
      const stream = ctx.events.subscribe(
        { types: FEED_EVENT_TYPES },
        { ...afterIdOf(input?.lastEventId), signal: abort },
      );
      for await (const event of stream) {
        const feed = await ctx.tester.feed(ctx.testerId);
        const serialized = JSON.stringify(feed);
        if (serialized === previous) continue;
        previous = serialized;
        const eventId = event.id.toString();
        const update: FeedUpdate = { eventId, type: event.type, jobId: event.jobId, feed };
        yield tracked(eventId, update);
      }
    }),

  claim: testerJobsProcedure
    .input(z.strictObject({ jobId: requiredId }))
    .mutation(({ ctx, input }) => ctx.tester.claim(ctx.testerId, input.jobId)),

  assignment: testerJobsProcedure
    .input(assignmentInput)
    .query(({ ctx, input }) => ctx.tester.assignment(ctx.testerId, input.id)),

  heartbeat: testerJobsProcedure
    .input(assignmentInput)
    .mutation(({ ctx, input }) => ctx.tester.heartbeat(ctx.testerId, input.id)),

  requestExtension: testerJobsProcedure
    .input(
      assignmentInput.extend({
        minutes: z.number({ error: "must be a number" }).int({ error: "must be an integer" }),
      }),
    )
    .mutation(({ ctx, input }) => ctx.tester.requestExtension(ctx.testerId, input.id, input.minutes)),

  /** The done rule is the service's: a message not ending in "done" is BAD_REQUEST naming `message`. */
  submit: testerJobsProcedure
    .input(assignmentInput.extend({ message: z.string({ error: "must be a string" }) }))
    .mutation(({ ctx, input }) => ctx.tester.submit(ctx.testerId, input.id, input.message)),

  abandon: testerJobsProcedure
    .input(assignmentInput)
    .mutation(({ ctx, input }) => ctx.tester.abandon(ctx.testerId, input.id)),

  artifacts: artifactsRouter,

  reject: testerJobsProcedure
    .input(assignmentInput.extend({ reason: z.string({ error: "must be a string" }) }))
    .mutation(({ ctx, input }) => ctx.tester.reject(ctx.testerId, input.id, input.reason)),

  /** The tester's own assignments, newest first: `{items, nextCursor}`; `limit` 1–100, default 25. */
  history: testerJobsProcedure
    .input(pageRequestSchema.optional())
    .query(({ ctx, input }) => ctx.tester.history(ctx.testerId, input)),

  /** Earned, pending, available and paid micros, and the last 12 months. */
  earnings: testerJobsProcedure.query(({ ctx }) => ctx.tester.earnings(ctx.testerId)),

  /** The tester's payouts, newest first: `{items, nextCursor}`. */
  payouts: testerJobsProcedure
    .input(pageRequestSchema.optional())
    .query(({ ctx, input }) => ctx.tester.payouts(ctx.testerId, input)),

  /** Stripe Connect payouts: summary, list, request, onboard (`payouts` above is the earnings view's list). */
  payout: testerPayoutsRouter,
});
