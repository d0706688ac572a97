// projects.*: an organisation's projects and each project's tester pool (API key or signed-in user of the org).
import { z } from "zod";

import { projectsOf } from "../context";
import { pageRequestSchema } from "../pagination";
import {
  addProjectTesterInputSchema,
  createProjectInputSchema,
  updateProjectInputSchema,
  updateProjectTesterInputSchema,
} from "../services/projects";
import { ownerProcedure, router } from "../trpc";
import { requiredId } from "./inputs";

const projectIdInput = z.strictObject({ id: requiredId });
const poolEntryInput = z.strictObject({ id: requiredId, testerId: requiredId });

/** The projects service, narrowed once per call. */
const projectsProcedure = ownerProcedure.use(({ ctx, next }) =>
  next({ ctx: { projects: projectsOf(ctx.services) } }),
);

// Bodies use the service's own schemas (one set of rules and messages for REST and tRPC); the
// router only adds the ids that REST carries in the path. The service re-checks what it is given.
export const projectsRouter = router({
  /** `{name, description?, slackWebhookUrl?}`. */
  create: projectsProcedure
    .input(createProjectInputSchema)
    .mutation(({ ctx, input }) => ctx.projects.create(ctx.actor, input)),

  /** Newest first, `{data, next}`; archived projects only with `includeArchived`. */
  list: projectsProcedure
    .input(
      pageRequestSchema.extend({ includeArchived: z.boolean({ error: "must be true or false" }).optional() }),
    )
    .query(({ ctx, input }) => ctx.projects.list(ctx.actor, input)),

  get: projectsProcedure
    .input(projectIdInput)
    .query(({ ctx, input }) => ctx.projects.get(ctx.actor, input.id)),

  /** `{id, name?, description?, slackWebhookUrl?}`; `null` clears description or slackWebhookUrl. */
  update: projectsProcedure
    .input(updateProjectInputSchema.extend({ id: requiredId }))
    .mutation(({ ctx, input: { id, ...changes } }) => ctx.projects.update(ctx.actor, id, changes)),

  archive: projectsProcedure
    .input(projectIdInput)
    .mutation(({ ctx, input }) => ctx.projects.archive(ctx.actor, input.id)),
  unarchive: projectsProcedure
    .input(projectIdInput)
    .mutation(({ ctx, input }) => ctx.projects.unarchive(ctx.actor, input.id)),

  /** 409 while any of the project's jobs is still running; finished jobs are kept and detached. */
  delete: projectsProcedure.input(projectIdInput).mutation(async ({ ctx, input }) => {
    await ctx.projects.delete(ctx.actor, input.id);
    return { id: input.id, deleted: true as const };
  }),

  testers: router({
    /** The whole pool, oldest entry first (pools are small; not paged, as in REST). */
    list: projectsProcedure
      .input(projectIdInput)
      .query(({ ctx, input }) => ctx.projects.listTesters(ctx.actor, input.id)),

    /** `{id, email | testerId, preferred?, blocked?, notes?}`; 404 naming the email, 409 when already pooled. */
    add: projectsProcedure
      .input(addProjectTesterInputSchema.extend({ id: requiredId }))
      .mutation(({ ctx, input: { id, ...entry } }) => ctx.projects.addTester(ctx.actor, id, entry)),

    /** `{id, testerId, preferred?, blocked?, notes?}`; never both preferred and blocked. */
    update: projectsProcedure
      .input(updateProjectTesterInputSchema.extend({ id: requiredId, testerId: requiredId }))
      .mutation(({ ctx, input: { id, testerId, ...flags } }) =>
        ctx.projects.updateTester(ctx.actor, id, testerId, flags),
      ),

    remove: projectsProcedure.input(poolEntryInput).mutation(async ({ ctx, input }) => {
      await ctx.projects.removeTester(ctx.actor, input.id, input.testerId);
      return { id: input.id, testerId: input.testerId, removed: true as const };
    }),
  }),
});
