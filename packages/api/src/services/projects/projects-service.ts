// The projects service: an organisation's projects (CRUD, archive) and each project's tester pool.
import { z } from "zod";

import { DomainError, OPEN_JOB_STATUSES, parseOrThrow, validationError } from "@eyeball/core";
import {
  isUniqueViolation,
  type Prisma,
  type Project,
  type ProjectTester,
  type TesterProfile,
} from "@eyeball/db";

import { type Actor } from "../../actor";
import { type Clock } from "../../clock";
import { type ApiConfig } from "../../config";
import { decodeCursor, encodeCursor, type Page, pageLimit, pageRequestSchema } from "../../pagination";
import { ownerCaller } from "../jobs/job-access";
import { type Db } from "../types";
import { slackWebhookUrlProblem } from "../slack/webhook-url";

export const MAX_PROJECT_NAME_LENGTH = 200;
export const MAX_PROJECT_DESCRIPTION_LENGTH = 5000;
export const MAX_TESTER_NOTES_LENGTH = 2000;

export interface ProjectView {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  slackWebhookUrl: string | null;
  archived: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A pool entry as the owner sees it: the tester's public identity (never their email) and the flags. */
export interface ProjectTesterView {
  projectId: string;
  testerId: string;
  alias: string;
  avatarUrl: string | null;
  color: string | null;
  preferred: boolean;
  blocked: boolean;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectsService {
  /** `{name, description?, slackWebhookUrl?}`; 400 naming the field. */
  create(actor: Actor, input: unknown): Promise<ProjectView>;
  /** Newest first; archived projects only with `includeArchived`. */
  list(actor: Actor, input?: unknown): Promise<Page<ProjectView>>;
  get(actor: Actor, projectId: string): Promise<ProjectView>;
  /** Partial update; `null` clears description or slackWebhookUrl. */
  update(actor: Actor, projectId: string, input: unknown): Promise<ProjectView>;
  /**
   * Deletes the project and its tester pool. Refused (409) while any of its jobs is not terminal;
   * finished jobs are kept and detached (their projectId becomes null).
   */
  delete(actor: Actor, projectId: string): Promise<void>;
  /** Idempotent: archiving an archived project keeps its first archive time. */
  archive(actor: Actor, projectId: string): Promise<ProjectView>;
  unarchive(actor: Actor, projectId: string): Promise<ProjectView>;
  listTesters(actor: Actor, projectId: string): Promise<ProjectTesterView[]>;
  /** `{email | testerId, preferred?, blocked?, notes?}`; 404 naming the email or id; 409 when already in the pool. */
  addTester(actor: Actor, projectId: string, input: unknown): Promise<ProjectTesterView>;
  updateTester(actor: Actor, projectId: string, testerId: string, input: unknown): Promise<ProjectTesterView>;
  removeTester(actor: Actor, projectId: string, testerId: string): Promise<void>;
}

export interface ProjectsServiceDeps {
  db: Db;
  clock: Clock;
  config: Pick<ApiConfig, "mode">;
}

const nameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_PROJECT_NAME_LENGTH, { error: `must be at most ${MAX_PROJECT_NAME_LENGTH} characters` });
const descriptionSchema = z.string({ error: "must be a string" }).max(MAX_PROJECT_DESCRIPTION_LENGTH, {
  error: `must be at most ${MAX_PROJECT_DESCRIPTION_LENGTH} characters`,
});
// Checked in full by slackWebhookUrlProblem, the organisation's rule: hooks.slack.com over https in production.
const slackWebhookUrlSchema = z.string({ error: "must be a string" });

export const createProjectInputSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.nullish(),
  slackWebhookUrl: slackWebhookUrlSchema.nullish(),
});

export const updateProjectInputSchema = z.strictObject({
  name: nameSchema.optional(),
  description: descriptionSchema.nullish(),
  slackWebhookUrl: slackWebhookUrlSchema.nullish(),
});

const listProjectsInputSchema = pageRequestSchema.extend({
  includeArchived: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])], { error: "must be true or false" })
    .optional()
    .transform((value) => value === true || value === "true" || value === "1"),
});

const flagsShape = {
  preferred: z.boolean({ error: "must be true or false" }).optional(),
  blocked: z.boolean({ error: "must be true or false" }).optional(),
  notes: z
    .string({ error: "must be a string" })
    .max(MAX_TESTER_NOTES_LENGTH, { error: `must be at most ${MAX_TESTER_NOTES_LENGTH} characters` })
    .nullish(),
};

export const addProjectTesterInputSchema = z.strictObject({
  email: z.email({ error: "must be an email address" }).optional(),
  testerId: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
  ...flagsShape,
});

export const updateProjectTesterInputSchema = z.strictObject(flagsShape);

export type CreateProjectInput = z.input<typeof createProjectInputSchema>;
export type UpdateProjectInput = z.input<typeof updateProjectInputSchema>;
export type AddProjectTesterInput = z.input<typeof addProjectTesterInputSchema>;
export type UpdateProjectTesterInput = z.input<typeof updateProjectTesterInputSchema>;

function toProjectView(project: Project): ProjectView {
  return {
    id: project.id,
    orgId: project.orgId,
    name: project.name,
    description: project.description,
    slackWebhookUrl: project.slackWebhookUrl,
    archived: project.archivedAt !== null,
    archivedAt: project.archivedAt,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}

function toTesterView(entry: ProjectTester & { tester: TesterProfile }): ProjectTesterView {
  return {
    projectId: entry.projectId,
    testerId: entry.testerId,
    alias: entry.tester.alias,
    avatarUrl: entry.tester.avatarUrl,
    color: entry.tester.color,
    preferred: entry.preferred,
    blocked: entry.blocked,
    notes: entry.notes,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/** A tester is either preferred or blocked for a project, never both. */
function assertFlags(preferred: boolean, blocked: boolean): void {
  if (preferred && blocked) throw validationError("blocked", "a tester cannot be both preferred and blocked");
}

function testerNotInPool(projectId: string, testerId: string): DomainError {
  return new DomainError("NOT_FOUND", `tester ${testerId} is not in the pool of project ${projectId}`);
}

export function createProjectsService({ db, clock, config }: ProjectsServiceDeps): ProjectsService {
  /** The caller's project: 404 when none, 403 when it belongs to another organisation. */
  async function ownProject(actor: Actor, projectId: string): Promise<Project> {
    const { orgId } = ownerCaller(actor);
    const project = await db.project.findUnique({ where: { id: projectId } });
    if (!project) throw new DomainError("NOT_FOUND", `project ${projectId} not found`);
    if (project.orgId !== orgId) {
      throw new DomainError("FORBIDDEN", `project ${projectId} belongs to another organisation`);
    }
    return project;
  }

  /** The same rule as the organisation's URL (https://hooks.slack.com/… in production, any http(s) in development). */
  function checkSlackUrl(url: string | null | undefined): void {
    if (typeof url !== "string") return;
    const problem = slackWebhookUrlProblem(url, config.mode);
    if (problem !== null) throw validationError("slackWebhookUrl", problem);
  }

  async function setArchived(actor: Actor, projectId: string, archived: boolean): Promise<ProjectView> {
    const project = await ownProject(actor, projectId);
    if ((project.archivedAt !== null) === archived) return toProjectView(project);
    const updated = await db.project.update({
      where: { id: project.id },
      data: { archivedAt: archived ? clock.now() : null },
    });
    return toProjectView(updated);
  }

  async function poolEntry(projectId: string, testerId: string) {
    const entry = await db.projectTester.findUnique({
      where: { projectId_testerId: { projectId, testerId } },
      include: { tester: true },
    });
    if (!entry) throw testerNotInPool(projectId, testerId);
    return entry;
  }

  return {
    async create(actor, input) {
      const { orgId } = ownerCaller(actor);
      const body = parseOrThrow(createProjectInputSchema, input);
      checkSlackUrl(body.slackWebhookUrl);
      const project = await db.project.create({
        data: {
          orgId,
          name: body.name,
          description: body.description ?? null,
          slackWebhookUrl: body.slackWebhookUrl ?? null,
          createdAt: clock.now(),
        },
      });
      return toProjectView(project);
    },

    async list(actor, input = {}) {
      const { orgId } = ownerCaller(actor);
      const query = parseOrThrow(listProjectsInputSchema, input);
      const limit = pageLimit(query.limit);
      let after: Prisma.ProjectWhereInput = {};
      if (query.cursor) {
        const [createdAtMs, id] = decodeCursor(query.cursor, ["number", "string"]) as [number, string];
        const createdAt = new Date(createdAtMs);
        after = { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
      }
      const rows = await db.project.findMany({
        where: { orgId, ...(query.includeArchived ? {} : { archivedAt: null }), ...after },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(toProjectView),
        next: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
      };
    },

    async get(actor, projectId) {
      return toProjectView(await ownProject(actor, projectId));
    },

    async update(actor, projectId, input) {
      const body = parseOrThrow(updateProjectInputSchema, input);
      const project = await ownProject(actor, projectId);
      checkSlackUrl(body.slackWebhookUrl);
      const data: Prisma.ProjectUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.description !== undefined) data.description = body.description;
      if (body.slackWebhookUrl !== undefined) data.slackWebhookUrl = body.slackWebhookUrl;
      if (Object.keys(data).length === 0) return toProjectView(project);
      return toProjectView(await db.project.update({ where: { id: project.id }, data }));
    },

    async delete(actor, projectId) {
      const project = await ownProject(actor, projectId);
      await db.$transaction(async (tx) => {
        const running = await tx.job.count({
          where: { projectId: project.id, status: { in: OPEN_JOB_STATUSES } },
        });
        if (running > 0) {
          throw new DomainError(
            "CONFLICT",
            `project ${project.id} has ${running} job${running === 1 ? "" : "s"} still running; stop them or wait until they finish, or archive the project instead`,
            { details: { runningJobs: running } },
          );
        }
        // Finished jobs keep their history; the relation detaches them (projectId → null).
        await tx.project.delete({ where: { id: project.id } });
      });
    },

    archive: (actor, projectId) => setArchived(actor, projectId, true),
    unarchive: (actor, projectId) => setArchived(actor, projectId, false),

    async listTesters(actor, projectId) {
      const project = await ownProject(actor, projectId);
      const rows = await db.projectTester.findMany({
        where: { projectId: project.id },
        include: { tester: true },
        orderBy: [{ createdAt: "asc" }, { testerId: "asc" }],
      });
      return rows.map(toTesterView);
    },

    async addTester(actor, projectId, input) {
      const body = parseOrThrow(addProjectTesterInputSchema, input);
      if ((body.email === undefined) === (body.testerId === undefined)) {
        throw validationError("email", "give either email or testerId");
      }
      const preferred = body.preferred ?? false;
      const blocked = body.blocked ?? false;
      assertFlags(preferred, blocked);
      const project = await ownProject(actor, projectId);
      let testerId: string;
      if (body.email !== undefined) {
        const user = await db.user.findFirst({
          where: { email: { equals: body.email, mode: "insensitive" } },
          include: { testerProfile: true },
        });
        if (!user?.testerProfile) {
          throw new DomainError("NOT_FOUND", `no tester with email ${body.email}`, {
            details: { field: "email", email: body.email },
          });
        }
        testerId = user.testerProfile.id;
      } else {
        const id = body.testerId ?? "";
        const profile = await db.testerProfile.findUnique({ where: { id } });
        if (!profile) {
          throw new DomainError("NOT_FOUND", `tester ${id} not found`, { details: { field: "testerId" } });
        }
        testerId = profile.id;
      }
      try {
        const entry = await db.projectTester.create({
          data: { projectId: project.id, testerId, preferred, blocked, notes: body.notes ?? null },
          include: { tester: true },
        });
        return toTesterView(entry);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DomainError(
            "CONFLICT",
            `tester ${testerId} is already in the pool of project ${project.id}; change the flags with PATCH`,
          );
        }
        throw error;
      }
    },

    async updateTester(actor, projectId, testerId, input) {
      const body = parseOrThrow(updateProjectTesterInputSchema, input);
      const project = await ownProject(actor, projectId);
      const entry = await poolEntry(project.id, testerId);
      const preferred = body.preferred ?? entry.preferred;
      const blocked = body.blocked ?? entry.blocked;
      assertFlags(preferred, blocked);
      const updated = await db.projectTester.update({
        where: { projectId_testerId: { projectId: project.id, testerId } },
        data: { preferred, blocked, ...(body.notes === undefined ? {} : { notes: body.notes }) },
        include: { tester: true },
      });
      return toTesterView(updated);
    },

    async removeTester(actor, projectId, testerId) {
      const project = await ownProject(actor, projectId);
      const { count } = await db.projectTester.deleteMany({ where: { projectId: project.id, testerId } });
      if (count === 0) throw testerNotInPool(project.id, testerId);
    },
  };
}
