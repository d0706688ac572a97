// The zod schemas the OpenAPI document is generated from: the endpoints' request schemas and the response shapes.
import { z } from "zod";

import {
  ASSIGNMENT_STATUSES,
  createJobRequestSchema,
  createRunRequestSchema,
  JOB_CONTROLS,
  JOB_STATUSES,
  MAX_TESTER_COUNT,
  SCREEN_PRESET_NAMES,
  SETTLEMENT_STATES,
} from "@eyeball/core";

import { pageRequestSchema } from "../../pagination";
import { MAX_AUTO_RELOAD_USD, MIN_AUTO_RELOAD_AMOUNT_USD } from "../../services/billing/billing-service";
import { targetingSchema } from "../../services/jobs/job-targeting";
import { TESTERARMY_RUN_STATUSES } from "../../services/jobs/job-webhooks";
import {
  MAX_PROJECT_DESCRIPTION_LENGTH,
  MAX_PROJECT_NAME_LENGTH,
  MAX_TESTER_NOTES_LENGTH,
} from "../../services/projects/projects-service";
import { TESTERARMY_DEFAULT_LIMIT, TESTERARMY_MAX_LIMIT } from "../routes/testerarmy-routes";

// ---------------------------------------------------------------------------------------------
// Requests. The job and run bodies are core's own schemas. The schemas below marked "mirror" copy a
// schema that is private to its route or service module (same rules, same limits from the exported
// constants); exporting those schemas from their modules would let this file import them instead.
// ---------------------------------------------------------------------------------------------

export { createRunRequestSchema, pageRequestSchema };

/** POST /jobs: core's request plus Instahuman targeting (each a catalog id or slug; unknown ones are a 400). */
export const createJobRequestWithTargetingSchema = createJobRequestSchema.safeExtend({
  categoryId: targetingSchema.shape.categoryId.describe("A job category (GET /categories), by id or slug."),
  participantFilterIds: targetingSchema.shape.participantFilterIds.describe(
    "Participant filters (GET /filters), each by id or slug.",
  ),
});

/** Mirror of the TesterArmy `GET /v1/runs` query (routes/testerarmy-routes.ts). */
export const testerArmyListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(TESTERARMY_MAX_LIMIT).default(TESTERARMY_DEFAULT_LIMIT),
  status: z.enum(TESTERARMY_RUN_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
});

/** Mirror of the Instahuman `GET /jobs` query (routes/instahuman-jobs-routes.ts). */
export const instahumanJobsListQuerySchema = pageRequestSchema.extend({
  status: z.enum(JOB_STATUSES).optional(),
  projectId: z.string().min(1).optional(),
});

/** Mirror of the dispute body (routes/instahuman-jobs-routes.ts). */
export const disputeRequestSchema = z.object({
  assignmentIds: z.array(z.string()),
  reason: z.string(),
});

/** Mirror of the resize body (routes/instahuman-jobs-routes.ts); the service bounds the count. */
export const resizeRequestSchema = z.object({
  testerCount: z.number().int().min(1).max(MAX_TESTER_COUNT),
});

const projectName = z.string().trim().min(1).max(MAX_PROJECT_NAME_LENGTH);
const projectDescription = z.string().max(MAX_PROJECT_DESCRIPTION_LENGTH);
/** Slack incoming webhook: https://hooks.slack.com/… in production (any http(s) URL on a development server). */
const slackWebhookUrl = z.string().max(2000).meta({
  description:
    "A Slack incoming webhook URL: https://hooks.slack.com/… (development servers take any http(s) URL).",
});

/** Mirror of the projects service's create schema. */
export const createProjectRequestSchema = z.strictObject({
  name: projectName,
  description: projectDescription.nullish(),
  slackWebhookUrl: slackWebhookUrl.nullish(),
});

/** Mirror of the projects service's update schema (`null` clears a field). */
export const updateProjectRequestSchema = z.strictObject({
  name: projectName.optional(),
  description: projectDescription.nullish(),
  slackWebhookUrl: slackWebhookUrl.nullish(),
});

/** Mirror of the projects service's list query. */
export const projectsListQuerySchema = pageRequestSchema.extend({
  includeArchived: z.enum(["true", "false", "1", "0"]).optional(),
});

const testerFlags = {
  preferred: z.boolean().optional(),
  blocked: z.boolean().optional(),
  notes: z.string().max(MAX_TESTER_NOTES_LENGTH).nullish(),
};

/** Mirror of the projects service's add-tester schema: `email` or `testerId`. */
export const addProjectTesterRequestSchema = z.strictObject({
  email: z.email().optional(),
  testerId: z.string().min(1).optional(),
  ...testerFlags,
});

/** Mirror of the projects service's update-tester schema. */
export const updateProjectTesterRequestSchema = z.strictObject(testerFlags);

/** Mirror of the billing service's auto-reload schema (both amounts required when enabled). */
export const autoReloadRequestSchema = z.strictObject({
  enabled: z.boolean(),
  thresholdUsd: z.number().min(0).max(MAX_AUTO_RELOAD_USD).nullish(),
  amountUsd: z.number().min(MIN_AUTO_RELOAD_AMOUNT_USD).max(MAX_AUTO_RELOAD_USD).nullish(),
});

// ---------------------------------------------------------------------------------------------
// Responses: what the route modules send (their TypeScript interfaces, as zod).
// ---------------------------------------------------------------------------------------------

const isoDate = z.iso.datetime({ offset: true });
const nullableDate = isoDate.nullable();
/** Any JSON value (extracted data); kept non-recursive so the document needs no shared $defs. */
const jsonValue = z.unknown().meta({ description: "Any JSON value." });

export const errorSchema = z
  .object({
    error: z.string().meta({ examples: ["validation_error"] }),
    message: z.string().meta({ examples: ["targetDurationMinutes: must be between 1 and 60"] }),
  })
  .meta({ description: "Every error answers this body; `error` is a stable machine-readable type." });

export const runTimeoutSchema = z
  .object({
    error: z.literal("timeout"),
    message: z.string().meta({ examples: ["Test did not complete within 10 minutes"] }),
    jobId: z.string(),
  })
  .meta({ description: "The test did not finish within the wait; the job goes on: poll GET /job/{jobId}." });

export const jobResultSchema = z.object({
  success: z.boolean(),
  explanation: z.string(),
  data: z
    .record(z.string(), jsonValue)
    .meta({ description: "One key per outputSchema field; null when unanswered." }),
});

export const runhumanCreatedSchema = z.object({
  jobId: z.string(),
  message: z.string(),
});

export const runhumanTesterDataSchema = z.object({
  testDurationSeconds: z.number().nullable(),
  consoleMessages: z.array(z.object({ type: z.string(), message: z.string(), timestamp: z.string() })),
  networkRequests: z.array(
    z.object({ url: z.string(), method: z.string(), status: z.number().optional(), timestamp: z.string() }),
  ),
  clicks: z.array(
    z.object({ x: z.number(), y: z.number(), timestamp: z.string(), element: z.string().optional() }),
  ),
  screenshots: z.array(z.string()),
  videoUrl: z.string().optional(),
  videoStartedAt: isoDate.optional().meta({
    description:
      "When the video's frame 0 was captured (present only when known): an entry's place in the video is its timestamp minus this.",
  }),
});

export const runhumanJobSchema = z
  .object({
    id: z.string(),
    status: z.enum(JOB_STATUSES),
    result: jobResultSchema.optional(),
    costUsd: z.number().optional().meta({ description: "Full precision (0.396, not 0.40)." }),
    testDurationSeconds: z.number().nullable().optional(),
    testerResponse: z.string().nullable().optional(),
    testerAlias: z.string().optional(),
    testerAvatarUrl: z.string().nullable().optional(),
    testerColor: z.string().nullable().optional(),
    testerData: runhumanTesterDataSchema.optional(),
  })
  .meta({
    description:
      "Fields beyond id and status appear when the status is `completed` or `incomplete` (the billed, delivered work).",
  });

const testerArmyRunStatus = z.enum(TESTERARMY_RUN_STATUSES);

export const testerArmyRunCreatedSchema = z.object({
  id: z.string(),
  status: testerArmyRunStatus,
  createdAt: isoDate,
});

export const testerArmyRunSummarySchema = z.object({
  id: z.string(),
  type: z.literal("chat"),
  status: testerArmyRunStatus,
  input: z.object({ prompt: z.string() }),
  durationMs: z.number().nullable(),
  createdAt: isoDate,
  completedAt: nullableDate,
});

export const testerArmyRunSchema = testerArmyRunSummarySchema.extend({
  output: z
    .object({
      featureName: z.string(),
      result: z.enum(["PASS", "FAIL"]),
      description: z.string(),
      issues: z.array(z.string()),
      screenshots: z.array(z.string()),
    })
    .nullable(),
  error: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  webhookStatus: z.enum(["pending", "delivered", "failed"]).nullable(),
  startedAt: nullableDate,
});

export const testerArmyRunPageSchema = z.object({
  runs: z.array(testerArmyRunSummarySchema),
  nextCursor: z.string().nullable(),
});

export const testerArmyCancelledSchema = z.object({ id: z.string(), status: testerArmyRunStatus });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "The cursor of the next page; null on the last." });

export const instahumanAssignmentSchema = z.object({
  id: z.string(),
  slotIndex: z.number().int(),
  status: z.enum(ASSIGNMENT_STATUSES),
  tester: z
    .object({
      testerId: z.string(),
      alias: z.string(),
      avatarUrl: z.string().nullable(),
      color: z.string().nullable(),
    })
    .nullable(),
  claimedAt: nullableDate,
  submittedAt: nullableDate,
  finishedAt: nullableDate,
  durationSeconds: z.number().nullable(),
  extensionMinutesGranted: z.number().int(),
  costUsd: z.number(),
  testerResponse: z.string().nullable(),
  result: jobResultSchema.nullable(),
  rejectReason: z.string().nullable(),
  replaced: z.boolean(),
});

const screenSizeSchema = z.object({
  preset: z.enum([...SCREEN_PRESET_NAMES, "custom"]),
  width: z.number().int(),
  height: z.number().int(),
});

const catalogRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const instahumanJobSchema = z.object({
  id: z.string(),
  status: z.enum(JOB_STATUSES),
  control: z.enum(JOB_CONTROLS),
  settlement: z.enum(SETTLEMENT_STATES),
  mode: z.enum(["live", "test"]),
  source: z.enum(["runhuman", "testerarmy", "instahuman", "portal"]),
  url: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  projectId: z.string().nullable(),
  categoryId: z.string().nullable(),
  category: catalogRefSchema.nullable(),
  participantFilterIds: z.array(z.string()),
  participantFilters: z.array(catalogRefSchema),
  testerCount: z.number().int(),
  targetDurationMinutes: z.number().int(),
  screenSize: screenSizeSchema,
  result: jobResultSchema.nullable(),
  costUsd: z.number(),
  holdUsd: z.number(),
  testDurationSeconds: z.number().nullable(),
  assignments: z.array(instahumanAssignmentSchema),
  createdAt: isoDate,
  updatedAt: isoDate,
  postedAt: nullableDate,
  startedAt: nullableDate,
  completedAt: nullableDate,
  cancelledAt: nullableDate,
});

export const instahumanJobPageSchema = z.object({ data: z.array(instahumanJobSchema), next: nextCursor });

export const projectSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  slackWebhookUrl: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: nullableDate,
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const projectPageSchema = z.object({ data: z.array(projectSchema), next: nextCursor });

export const projectTesterSchema = z.object({
  projectId: z.string(),
  testerId: z.string(),
  alias: z.string(),
  avatarUrl: z.string().nullable(),
  color: z.string().nullable(),
  preferred: z.boolean(),
  blocked: z.boolean(),
  notes: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const projectTesterListSchema = z.object({ data: z.array(projectTesterSchema) });

export const billingSchema = z.object({
  mode: z.enum(["live", "test"]),
  balanceUsd: z.number(),
  heldUsd: z.number(),
  availableUsd: z.number(),
  /** True when this server takes card payments (Stripe configured). */
  cardPayments: z.boolean(),
  autoReload: z.object({
    enabled: z.boolean(),
    thresholdUsd: z.number().nullable(),
    amountUsd: z.number().nullable(),
    lastError: z
      .string()
      .nullable()
      .meta({ description: "Why the last off-session charge failed, if it did." }),
    lastAttemptAt: isoDate.nullable(),
  }),
  paymentMethod: z
    .object({
      provider: z.literal("stripe"),
      id: z.string(),
      brand: z.string().nullable(),
      last4: z.string().nullable(),
      expMonth: z.number().int().nullable(),
      expYear: z.number().int().nullable(),
    })
    .nullable(),
  holds: z.array(
    z.object({
      jobId: z.string(),
      amountUsd: z.number(),
      placedUsd: z.number(),
      capturedUsd: z.number(),
      releasedUsd: z.number(),
      createdAt: isoDate,
      updatedAt: isoDate,
    }),
  ),
});

export const addCreditsRequestSchema = z.strictObject({
  usd: z.number().min(5).max(10_000).meta({ description: "Whole cents, $5–$10,000.", example: 50 }),
});

export const checkoutSessionSchema = z.object({
  id: z.string().meta({ description: "The Stripe Checkout Session (cs_…)." }),
  url: z.string().meta({ description: "Stripe's hosted page: send the browser there." }),
});

export const stripeWebhookAckSchema = z.object({ received: z.literal(true) });

export const catalogPageSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), slug: z.string(), name: z.string(), description: z.string().nullable() }),
  ),
  next: nextCursor,
});

export const healthSchema = z.object({ status: z.string() });
