// The jobs service: create, read and list jobs, and every owner action, each in one transaction.
import {
  cancelJob,
  DomainError,
  disputeJob,
  isTerminalJobStatus,
  JOB_STATUSES,
  type JobStatus,
  maxHoldMicros,
  micros,
  newId,
  type OwnerActionResult,
  pauseJob,
  resizeJob,
  resolveRate,
  resolveScreenSize,
  resumeJob,
  settleJob,
  stopJob,
  transitionJob,
  validationError,
} from "@eyeball/core";
import { type Prisma } from "@eyeball/db";

import { type Actor } from "../../actor";
import { decodeCursor, encodeCursor, MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT } from "../../pagination";
import { type Mode, type ServiceDeps, type Tx } from "../types";
import { parseCreateInput } from "./create-job-input";
import { createCredentialsCipher } from "./credentials-cipher";
import { assertJobAccess, jobNotFound, type OwnerCaller, ownerCaller } from "./job-access";
import { RATE_METADATA_KEY } from "./job-terms";
import { resolveTargeting } from "./job-targeting";
import { type JobSource, type JobView, jobViewInclude, toJobView } from "./job-view";
import { approveDueSettlements, approveLoadedJob, type AutoApproveReport } from "./approve-settlement";
import { applyOwnerResult, type LoadedOwnerJob, loadOwnerJob } from "./owner-effects";
import { wakeSandbox } from "./sandbox-wake";
import { requestAutoReloadCheck } from "../stripe/auto-reload";
import { inTransaction, lockJob } from "./transaction";
import { assertPublicWebhookUrl } from "../webhooks/url-guard";
import { sendAfterCommit } from "./after-commit";
import { QUEUES, SIDE_EFFECT_RETRIES, sideEffectSingletonKey } from "./queue-names";

export interface JobsServiceOptions {
  /** Secret key material (≥ 32 bytes) from which the credentials encryption key is derived. */
  credentialsKey: Buffer;
}

export interface CreateJobOptions {
  source: JobSource;
  /** Mode for portal users (API keys always use their own mode). Default live. */
  mode?: Mode;
}

export interface ListJobsInput {
  /** 1–100, default 20. */
  limit?: number | undefined;
  cursor?: string | null | undefined;
  status?: string | undefined;
  projectId?: string | undefined;
  /** Search: the job id exactly, or part of the title, URL or description (case-insensitive); trimmed, 1–200 chars. */
  q?: string | undefined;
}

export interface JobPage {
  items: JobView[];
  next: string | null;
}

export interface DisputeInput {
  assignmentIds: readonly string[];
  reason: string;
}

export interface JobsService {
  /** Validates, places the hold, creates the job with its open slots and posts it, in one transaction. */
  create(actor: Actor, input: unknown, options: CreateJobOptions): Promise<JobView>;
  get(actor: Actor, jobId: string): Promise<JobView>;
  /** Newest first (createdAt desc, id desc); `next` is an opaque cursor or null on the last page. */
  list(actor: Actor, input?: ListJobsInput): Promise<JobPage>;
  /** Only before any tester claimed (409 after): slots closed, hold released, status cancelled. */
  cancel(actor: Actor, jobId: string): Promise<JobView>;
  pause(actor: Actor, jobId: string): Promise<JobView>;
  resume(actor: Actor, jobId: string): Promise<JobView>;
  stop(actor: Actor, jobId: string): Promise<JobView>;
  settle(actor: Actor, jobId: string): Promise<JobView>;
  /** Final: each assignment's earning (its share, see earningSharesOf) is booked to its tester. */
  approve(actor: Actor, jobId: string): Promise<JobView>;
  /**
   * The sweep at the dispute window's end: approves every settled settlement whose window ended by
   * `now` (default the clock) and that has no open dispute — `job.approved` with `{auto: true}`.
   */
  approveDueSettlements(now?: Date): Promise<AutoApproveReport>;
  dispute(actor: Actor, jobId: string, input: DisputeInput): Promise<JobView>;
  resize(actor: Actor, jobId: string, testerCount: number): Promise<JobView>;
  /** The view once the job is terminal (at once if it already is), or null after `timeoutMs`. */
  waitForTerminal(
    actor: Actor,
    jobId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<JobView | null>;
}

function parseStatusFilter(status: string | undefined): JobStatus | undefined {
  if (status === undefined) return undefined;
  if (!(JOB_STATUSES as readonly string[]).includes(status)) {
    throw validationError("status", `must be one of ${JOB_STATUSES.join(", ")}`);
  }
  return status as JobStatus;
}

export const MAX_JOB_SEARCH_LENGTH = 200;

/** The search's conditions, or undefined without one; VALIDATION naming `q` when blank or too long. */
function searchFilter(q: string | undefined): Prisma.JobWhereInput | undefined {
  if (q === undefined) return undefined;
  const text = q.trim();
  if (text.length === 0) throw validationError("q", "must not be blank");
  if (text.length > MAX_JOB_SEARCH_LENGTH) {
    throw validationError("q", `must be at most ${MAX_JOB_SEARCH_LENGTH} characters`);
  }
  // Prisma passes `contains` to ILIKE as is: escape its wildcards (backslash is PostgreSQL's LIKE escape).
  const contains = { contains: text.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } as const;
  return { OR: [{ id: text }, { title: contains }, { url: contains }, { description: contains }] };
}

function parseLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw validationError("limit", `must be an integer between 1 and ${MAX_PAGE_LIMIT}`);
  }
  return limit;
}

export function createJobsService(deps: ServiceDeps, options: JobsServiceOptions): JobsService {
  const { db, clock, config, ledger, events } = deps;
  const cipher = createCredentialsCipher(options.credentialsKey);

  async function loadView(jobId: string): Promise<JobView | null> {
    const job = await db.job.findUnique({ where: { id: jobId }, include: jobViewInclude });
    return job ? toJobView(job) : null;
  }

  async function viewFor(caller: OwnerCaller, jobId: string): Promise<JobView> {
    const view = await loadView(jobId);
    if (!view) throw jobNotFound(jobId);
    assertJobAccess(caller, { id: view.id, orgId: view.orgId, mode: view.mode });
    return view;
  }

  async function ownerAction(
    actor: Actor,
    jobId: string,
    eventType: string,
    decide: (loaded: LoadedOwnerJob, tx: Tx) => OwnerActionResult | Promise<OwnerActionResult>,
  ): Promise<JobView> {
    const caller = ownerCaller(actor);
    // Scope first without locking, so another organisation's caller learns 403 and holds no lock.
    await viewFor(caller, jobId);
    await inTransaction(db, async (tx) => {
      await lockJob(tx, jobId);
      const loaded = await loadOwnerJob(tx, jobId);
      const result = await decide(loaded, tx);
      await applyOwnerResult(tx, deps, loaded, result, { userId: caller.userId, eventType });
    });
    // Resume and resize up may have made slots claimable again for the sandbox tester.
    await wakeSandbox(deps, jobId);
    // A raised live hold may have taken available credit below the auto-reload threshold.
    await requestAutoReloadCheck(deps, caller.orgId, caller.mode ?? "live");
    return viewFor(caller, jobId);
  }

  return {
    async create(actor, input, { source, mode: requestedMode }) {
      const caller = ownerCaller(actor);
      const { request, targeting: targetingInput } = parseCreateInput(input, source);
      // Every transport gets the same outbound check: production refuses private webhook targets (400 naming webhookUrl).
      if (request.webhookUrl !== undefined) await assertPublicWebhookUrl(request.webhookUrl, config.mode);
      const mode: Mode = caller.mode ?? requestedMode ?? "live";
      const screen = resolveScreenSize(request.screenSize);
      const org = await db.organization.findUnique({ where: { id: caller.orgId } });
      if (!org) throw new DomainError("NOT_FOUND", "organisation not found");
      let slackWebhookUrl = org.slackWebhookUrl;
      if (request.projectId !== undefined) {
        const project = await db.project.findUnique({ where: { id: request.projectId } });
        if (!project || project.orgId !== caller.orgId) {
          throw validationError("projectId", "is not a project of this organisation");
        }
        if (project.archivedAt !== null) throw validationError("projectId", "is archived");
        slackWebhookUrl = project.slackWebhookUrl ?? slackWebhookUrl;
      }
      const targeting = await resolveTargeting(db, targetingInput);
      const rate = resolveRate(
        org.rateOverrideMicrosPerSecond === null ? null : Number(org.rateOverrideMicrosPerSecond),
      );
      const hold = maxHoldMicros({
        targetDurationMinutes: request.targetDurationMinutes,
        allowDurationExtension: request.allowDurationExtension,
        maxExtensionMinutes: request.maxExtensionMinutes,
        testerCount: request.testerCount,
        rate,
      });
      const jobId = newId("job");
      const now = clock.now();
      const credentials = request.credentials ?? [];

      await inTransaction(db, async (tx) => {
        await tx.job.create({
          data: {
            id: jobId,
            orgId: caller.orgId,
            projectId: request.projectId ?? null,
            categoryId: targeting.categoryId,
            ...(targeting.participantFilterIds.length === 0
              ? {}
              : { participantFilters: { connect: targeting.participantFilterIds.map((id) => ({ id })) } }),
            createdByApiKeyId: caller.apiKeyId,
            createdByUserId: caller.userId,
            mode,
            // Posted in the creating transaction: no separate posting step that could be lost, so
            // a committed job is always visible to testers.
            status: transitionJob("pending", "post"),
            postedAt: now,
            version: 1,
            source,
            url: request.url,
            description: request.description,
            title: request.title ?? null,
            ...(request.outputSchema === undefined
              ? {}
              : { outputSchema: request.outputSchema as Prisma.InputJsonObject }),
            targetDurationMinutes: request.targetDurationMinutes,
            allowDurationExtension: request.allowDurationExtension,
            maxExtensionMinutes: request.maxExtensionMinutes === false ? null : request.maxExtensionMinutes,
            additionalValidationInstructions: request.additionalValidationInstructions ?? null,
            screenPreset: screen.preset,
            screenWidth: screen.width,
            screenHeight: screen.height,
            repoName: request.repoName ?? null,
            canCreateGithubIssues: request.canCreateGithubIssues,
            testerCount: request.testerCount,
            allowSlotReopen: request.allowSlotReopen,
            credentialsEncrypted: credentials.length > 0 ? cipher.encrypt(credentials, jobId) : null,
            webhookUrl: request.webhookUrl ?? null,
            metadata: { [RATE_METADATA_KEY]: rate },
            holdMicros: BigInt(hold),
            createdAt: now,
            assignments: {
              create: Array.from({ length: request.testerCount }, (_, slotIndex) => ({
                slotIndex,
                createdAt: now,
              })),
            },
          },
        });
        await events.append(tx, {
          jobId,
          type: "job.created",
          payload: { source, mode, testerCount: request.testerCount, holdMicros: hold },
        });
        await events.append(tx, { jobId, type: "job.posted", payload: {} });
        // The hold comes last: it takes the organisation's books lock, held until commit, so the
        // organisation's concurrent creations queue only for the hold itself. A 402 here rolls back
        // the job, its slots and its events: nothing half-written remains.
        await ledger.placeHold(tx, { orgId: caller.orgId, jobId, mode, micros: BigInt(hold) });
      });

      await wakeSandbox(deps, jobId);
      await requestAutoReloadCheck(deps, caller.orgId, mode);
      // Side effects of a committed job; their failures are logged by the worker, never the job's.
      if (request.repoName !== undefined) {
        await sendAfterCommit(
          deps.queue,
          QUEUES.githubRepoContext,
          { jobId },
          { ...SIDE_EFFECT_RETRIES, singletonKey: sideEffectSingletonKey.repoContext(jobId) },
        );
      }
      if (slackWebhookUrl) {
        await sendAfterCommit(
          deps.queue,
          QUEUES.slackNewJob,
          { jobId },
          { ...SIDE_EFFECT_RETRIES, singletonKey: sideEffectSingletonKey.slackNewJob(jobId) },
        );
      }
      return viewFor(caller, jobId);
    },

    async get(actor, jobId) {
      return viewFor(ownerCaller(actor), jobId);
    },

    async list(actor, input = {}) {
      const caller = ownerCaller(actor);
      const limit = parseLimit(input.limit);
      const status = parseStatusFilter(input.status);
      const search = searchFilter(input.q);
      let after: Prisma.JobWhereInput = {};
      if (input.cursor) {
        const [createdAtMs, id] = decodeCursor(input.cursor, ["number", "string"]) as [number, string];
        const createdAt = new Date(createdAtMs);
        after = { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
      }
      const rows = await db.job.findMany({
        where: {
          orgId: caller.orgId,
          ...(caller.mode === null ? {} : { mode: caller.mode }),
          ...(status === undefined ? {} : { status }),
          ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
          // The cursor's OR and the search's OR both apply: AND them rather than spread one over the other.
          AND: [after, ...(search ? [search] : [])],
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        include: jobViewInclude,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toJobView),
        next: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
      };
    },

    cancel: (actor, jobId) => ownerAction(actor, jobId, "job.cancelled", ({ state }) => cancelJob(state)),
    pause: (actor, jobId) => ownerAction(actor, jobId, "job.paused", ({ state }) => pauseJob(state)),
    resume: (actor, jobId) => ownerAction(actor, jobId, "job.resumed", ({ state }) => resumeJob(state)),
    stop: (actor, jobId) => ownerAction(actor, jobId, "job.stopped", ({ state }) => stopJob(state)),
    settle: (actor, jobId) =>
      ownerAction(actor, jobId, "job.settled", ({ state }) => settleJob(state, clock.now().getTime())),
    async approve(actor, jobId) {
      const caller = ownerCaller(actor);
      await viewFor(caller, jobId);
      await inTransaction(db, async (tx) => {
        await lockJob(tx, jobId);
        await approveLoadedJob(tx, deps, await loadOwnerJob(tx, jobId), {
          userId: caller.userId,
          auto: false,
        });
      });
      return viewFor(caller, jobId);
    },

    approveDueSettlements: (now) => approveDueSettlements(deps, now ?? clock.now()),
    dispute: (actor, jobId, input) =>
      ownerAction(actor, jobId, "job.disputed", ({ state }) =>
        disputeJob(
          state,
          { assignmentIds: input.assignmentIds, reason: input.reason },
          clock.now().getTime(),
          { windowMs: config.disputeWindowMs },
        ),
      ),
    resize: (actor, jobId, testerCount) =>
      ownerAction(actor, jobId, "job.resized", async ({ job, state }, tx) => {
        // Test-mode books never refuse (the ledger tops sandbox credit up), so only live credit limits a resize.
        const available =
          job.mode === "test"
            ? micros(Number.MAX_SAFE_INTEGER)
            : micros(Number((await ledger.balance(job.orgId, job.mode, tx)).availableMicros));
        return resizeJob(state, testerCount, { availableCreditMicros: available });
      }),

    async waitForTerminal(actor, jobId, timeoutMs, signal) {
      const caller = ownerCaller(actor);
      const view = await viewFor(caller, jobId);
      if (isTerminalJobStatus(view.status)) return view;
      const finished = await events.waitFor(
        jobId,
        async () => {
          const current = await loadView(jobId);
          return current && isTerminalJobStatus(current.status) ? current : undefined;
        },
        { timeoutMs, ...(signal ? { signal } : {}) },
      );
      return finished ?? null;
    },
  };
}
