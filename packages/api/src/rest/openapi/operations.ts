// The table of every REST endpoint under /api: method, path, tag, summary, input schemas and responses.
import { type z } from "zod";

import { CATALOG_KINDS } from "../../services/catalogs";
import {
  addCreditsRequestSchema,
  addProjectTesterRequestSchema,
  autoReloadRequestSchema,
  billingSchema,
  catalogPageSchema,
  checkoutSessionSchema,
  createJobRequestWithTargetingSchema,
  createProjectRequestSchema,
  createRunRequestSchema,
  disputeRequestSchema,
  errorSchema,
  healthSchema,
  instahumanJobPageSchema,
  instahumanJobSchema,
  instahumanJobsListQuerySchema,
  pageRequestSchema,
  projectPageSchema,
  projectSchema,
  projectsListQuerySchema,
  projectTesterListSchema,
  projectTesterSchema,
  resizeRequestSchema,
  runhumanCreatedSchema,
  runhumanJobSchema,
  runTimeoutSchema,
  stripeWebhookAckSchema,
  testerArmyCancelledSchema,
  testerArmyListQuerySchema,
  testerArmyRunCreatedSchema,
  testerArmyRunPageSchema,
  testerArmyRunSchema,
  updateProjectRequestSchema,
  updateProjectTesterRequestSchema,
} from "./schemas";

/** Tags in the order the docs page shows them. */
export const TAGS = [
  {
    name: "run(human)",
    description: "The run(human)-compatible dialect: create a job, poll it, or block on /run.",
  },
  { name: "TesterArmy", description: "The TesterArmy-compatible dialect under /v1: prompt-driven runs." },
  {
    name: "Instahuman jobs",
    description: "The Instahuman dialect: list and read jobs, and the owner's job actions.",
  },
  { name: "projects", description: "Projects and each project's pool of preferred or blocked testers." },
  { name: "billing", description: "Credit balance, holds and auto-reload settings." },
  { name: "catalogs", description: "Reference lists: categories, filters, interests and equipment." },
  { name: "health", description: "Liveness of the server and its database." },
  { name: "documentation", description: "This document and its reference page." },
] as const;
export type Tag = (typeof TAGS)[number]["name"];

/** Named component schemas: requests are documented as input (defaults optional), responses as output. */
export const REQUEST_COMPONENTS = {
  CreateJobRequest: createJobRequestWithTargetingSchema,
  CreateRunRequest: createRunRequestSchema,
  DisputeRequest: disputeRequestSchema,
  ResizeRequest: resizeRequestSchema,
  CreateProjectRequest: createProjectRequestSchema,
  UpdateProjectRequest: updateProjectRequestSchema,
  AddProjectTesterRequest: addProjectTesterRequestSchema,
  UpdateProjectTesterRequest: updateProjectTesterRequestSchema,
  AutoReloadRequest: autoReloadRequestSchema,
  AddCreditsRequest: addCreditsRequestSchema,
} as const satisfies Record<string, z.ZodType>;

export const RESPONSE_COMPONENTS = {
  Error: errorSchema,
  RunTimeout: runTimeoutSchema,
  RunhumanJobCreated: runhumanCreatedSchema,
  RunhumanJob: runhumanJobSchema,
  TesterArmyRunCreated: testerArmyRunCreatedSchema,
  TesterArmyRun: testerArmyRunSchema,
  TesterArmyRunPage: testerArmyRunPageSchema,
  TesterArmyRunCancelled: testerArmyCancelledSchema,
  InstahumanJob: instahumanJobSchema,
  InstahumanJobPage: instahumanJobPageSchema,
  Project: projectSchema,
  ProjectPage: projectPageSchema,
  ProjectTester: projectTesterSchema,
  ProjectTesterList: projectTesterListSchema,
  Billing: billingSchema,
  CheckoutSession: checkoutSessionSchema,
  StripeWebhookAck: stripeWebhookAckSchema,
  CatalogPage: catalogPageSchema,
  Health: healthSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestComponent = keyof typeof REQUEST_COMPONENTS;
export type ResponseComponent = keyof typeof RESPONSE_COMPONENTS;

/** Shared error responses (components.responses), referenced by status. */
export const ERROR_RESPONSES = {
  400: {
    name: "BadRequest",
    description: "Invalid input: the message names the field (`validation_error`, `invalid_json`).",
  },
  401: { name: "Unauthorized", description: "Missing, malformed, unknown or revoked API key." },
  402: { name: "PaymentRequired", description: "Not enough credit for the job (`insufficient_credit`)." },
  403: {
    name: "Forbidden",
    description: "The resource belongs to another organisation, or the key may not do this.",
  },
  404: { name: "NotFound", description: "No such resource (or endpoint)." },
  409: { name: "Conflict", description: "The action does not apply in the resource's current state." },
  413: { name: "PayloadTooLarge", description: "The request body is larger than the server's limit." },
  429: { name: "RateLimited", description: "Too many requests for this API key; retry after the window." },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

export type HttpMethod = "get" | "post" | "patch" | "delete";

export interface SuccessResponse {
  description: string;
  /** Omitted for bodiless answers (204). */
  schema?: ResponseComponent;
  /** Default application/json; `text/event-stream` when each event's `data` is `schema`. */
  contentType?: string;
}

export interface OperationSpec {
  method: HttpMethod;
  /** The express path under /api, e.g. `/jobs/:id`. */
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Bearer API key required (default true). */
  auth?: boolean;
  /** Accepts `Idempotency-Key`. */
  idempotent?: boolean;
  query?: z.ZodObject;
  body?: RequestComponent;
  /** Non-error answers by status, plus extra error answers (408, 501, 503) with their schema. */
  responses: Readonly<Record<number, SuccessResponse>>;
  /** Error statuses beyond those every authenticated operation has (401, 429; 400/413 with a body; 404/403 on ids). */
  errors?: readonly ErrorStatus[];
}

const ok = (description: string, schema: ResponseComponent): SuccessResponse => ({ description, schema });
const noContent: SuccessResponse = { description: "Done; no body." };

const JOB_ACTIONS = [
  {
    action: "pause",
    summary: "Pause a job",
    description: "Open slots stop being offered; testers at work finish.",
  },
  { action: "resume", summary: "Resume a paused job", description: "Open slots are offered again." },
  {
    action: "stop",
    summary: "Stop a job",
    description: "No new testers; open slots close, testers at work finish.",
  },
  { action: "settle", summary: "Settle a job", description: "Close open slots and charge what was done." },
  {
    action: "approve",
    summary: "Approve a job",
    description: "Accept the results and end the dispute window.",
  },
] as const;

const PAYMENT_ACTIONS = [
  { path: "add-credits", summary: "Add credits by card" },
  { path: "setup", summary: "Set up a payment method" },
  { path: "detach-method", summary: "Detach the payment method" },
] as const;

const notConfigured: SuccessResponse = {
  description: "Card payments are not configured on this server (`payments_not_configured`).",
  schema: "Error",
};

/** Every endpoint under /api. A test compares this table with the routes the modules register. */
export const OPERATIONS: readonly OperationSpec[] = [
  // run(human)
  {
    method: "post",
    path: "/jobs",
    operationId: "createJob",
    tag: "run(human)",
    summary: "Create a job",
    description:
      "Queues a human test of `url`. Answers at once with the job id; poll `GET /job/{jobId}` or pass a `webhookUrl`. " +
      "Also the creation endpoint of the Instahuman dialect.",
    idempotent: true,
    body: "CreateJobRequest",
    responses: { 201: ok("The job was created.", "RunhumanJobCreated") },
    errors: [402, 403, 404],
  },
  {
    method: "get",
    path: "/job/:jobId",
    operationId: "getRunhumanJob",
    tag: "run(human)",
    summary: "Get a job (run(human) form)",
    description:
      "`{id, status}` until the job completes; then the result, cost, tester identity and testerData.",
    responses: { 200: ok("The job.", "RunhumanJob") },
  },
  {
    method: "get",
    path: "/job/:jobId/events",
    operationId: "streamRunhumanJob",
    tag: "run(human)",
    summary: "Follow a job as Server-Sent Events",
    description:
      "An Eyeball addition. A `job` event carries the job's current body at once and after every change (its `id` " +
      "is the job event id: reconnect with `Last-Event-ID` to resume), and an `end` event follows the terminal " +
      "state, after which the server closes the stream. Comment lines keep an idle stream open.",
    responses: {
      200: {
        description: "The stream; each `job` event's data is the job.",
        schema: "RunhumanJob",
        contentType: "text/event-stream",
      },
    },
  },
  {
    method: "post",
    path: "/run",
    operationId: "runJob",
    tag: "run(human)",
    summary: "Create a job and wait for it",
    description:
      "Creates the job like `POST /jobs` and holds the request until it ends. If it does not end within the " +
      "server's wait (10 minutes by default) the answer is 408 with the job id; the job goes on.",
    body: "CreateJobRequest",
    responses: {
      200: ok("The job ended (any terminal status).", "RunhumanJob"),
      408: ok("The job did not end within the wait.", "RunTimeout"),
    },
    errors: [402, 403, 404],
  },
  // TesterArmy
  {
    method: "post",
    path: "/v1/runs",
    operationId: "createRun",
    tag: "TesterArmy",
    summary: "Create a run",
    description: "The prompt must contain the URL to test.",
    idempotent: true,
    body: "CreateRunRequest",
    responses: { 202: ok("The run was queued.", "TesterArmyRunCreated") },
    errors: [402],
  },
  {
    method: "get",
    path: "/v1/runs",
    operationId: "listRuns",
    tag: "TesterArmy",
    summary: "List runs",
    description: "Newest first; pass `nextCursor` as `cursor` for the next page.",
    query: testerArmyListQuerySchema,
    responses: { 200: ok("A page of runs.", "TesterArmyRunPage") },
  },
  {
    method: "get",
    path: "/v1/runs/:id",
    operationId: "getRun",
    tag: "TesterArmy",
    summary: "Get a run",
    responses: { 200: ok("The run.", "TesterArmyRun") },
  },
  {
    method: "post",
    path: "/v1/runs/:id/cancel",
    operationId: "cancelRun",
    tag: "TesterArmy",
    summary: "Cancel a queued run",
    description: "Only a run no tester has claimed yet can be cancelled (409 otherwise).",
    responses: { 200: ok("The run was cancelled.", "TesterArmyRunCancelled") },
    errors: [409],
  },
  // Instahuman jobs
  {
    method: "get",
    path: "/jobs",
    operationId: "listJobs",
    tag: "Instahuman jobs",
    summary: "List jobs",
    description: "Newest first, as `{data, next}` pages.",
    query: instahumanJobsListQuerySchema,
    responses: { 200: ok("A page of jobs.", "InstahumanJobPage") },
  },
  {
    method: "get",
    path: "/jobs/:id",
    operationId: "getJob",
    tag: "Instahuman jobs",
    summary: "Get a job",
    responses: { 200: ok("The job with its assignments.", "InstahumanJob") },
  },
  ...JOB_ACTIONS.map(({ action, summary, description }): OperationSpec => ({
    method: "post",
    path: `/owner/jobs/:id/${action}`,
    operationId: `${action}Job`,
    tag: "Instahuman jobs",
    summary,
    description,
    responses: { 200: ok("The job after the action.", "InstahumanJob") },
    errors: [409],
  })),
  {
    method: "post",
    path: "/owner/jobs/:id/dispute",
    operationId: "disputeJob",
    tag: "Instahuman jobs",
    summary: "Dispute assignments",
    description: "Contest submitted assignments within the dispute window, with a reason.",
    body: "DisputeRequest",
    responses: { 200: ok("The job after the dispute.", "InstahumanJob") },
    errors: [409],
  },
  {
    method: "post",
    path: "/owner/jobs/:id/resize",
    operationId: "resizeJob",
    tag: "Instahuman jobs",
    summary: "Change the number of testers",
    body: "ResizeRequest",
    responses: { 200: ok("The job after the resize.", "InstahumanJob") },
    errors: [402, 409],
  },
  // projects
  {
    method: "post",
    path: "/projects",
    operationId: "createProject",
    tag: "projects",
    summary: "Create a project",
    idempotent: true,
    body: "CreateProjectRequest",
    responses: { 201: ok("The project.", "Project") },
  },
  {
    method: "get",
    path: "/projects",
    operationId: "listProjects",
    tag: "projects",
    summary: "List projects",
    description: "Newest first; archived projects only with `includeArchived=true`.",
    query: projectsListQuerySchema,
    responses: { 200: ok("A page of projects.", "ProjectPage") },
  },
  {
    method: "get",
    path: "/projects/:id",
    operationId: "getProject",
    tag: "projects",
    summary: "Get a project",
    responses: { 200: ok("The project.", "Project") },
  },
  {
    method: "patch",
    path: "/projects/:id",
    operationId: "updateProject",
    tag: "projects",
    summary: "Update a project",
    description: "Partial update; `null` clears description or slackWebhookUrl.",
    body: "UpdateProjectRequest",
    responses: { 200: ok("The project.", "Project") },
  },
  {
    method: "delete",
    path: "/projects/:id",
    operationId: "deleteProject",
    tag: "projects",
    summary: "Delete a project",
    description: "Refused (409) while one of its jobs is running; finished jobs are kept and detached.",
    responses: { 204: noContent },
    errors: [409],
  },
  {
    method: "post",
    path: "/projects/:id/archive",
    operationId: "archiveProject",
    tag: "projects",
    summary: "Archive a project",
    responses: { 200: ok("The project.", "Project") },
  },
  {
    method: "post",
    path: "/projects/:id/unarchive",
    operationId: "unarchiveProject",
    tag: "projects",
    summary: "Unarchive a project",
    responses: { 200: ok("The project.", "Project") },
  },
  {
    method: "get",
    path: "/projects/:id/testers",
    operationId: "listProjectTesters",
    tag: "projects",
    summary: "List a project's testers",
    responses: { 200: ok("The tester pool.", "ProjectTesterList") },
  },
  {
    method: "post",
    path: "/projects/:id/testers",
    operationId: "addProjectTester",
    tag: "projects",
    summary: "Add a tester to a project",
    description: "By `email` or `testerId`; 409 when the tester is already in the pool.",
    body: "AddProjectTesterRequest",
    responses: { 201: ok("The pool entry.", "ProjectTester") },
    errors: [409],
  },
  {
    method: "patch",
    path: "/projects/:id/testers/:testerId",
    operationId: "updateProjectTester",
    tag: "projects",
    summary: "Update a project tester",
    body: "UpdateProjectTesterRequest",
    responses: { 200: ok("The pool entry.", "ProjectTester") },
  },
  {
    method: "delete",
    path: "/projects/:id/testers/:testerId",
    operationId: "removeProjectTester",
    tag: "projects",
    summary: "Remove a tester from a project",
    responses: { 204: noContent },
  },
  // billing
  {
    method: "get",
    path: "/owner/billing",
    operationId: "getBilling",
    tag: "billing",
    summary: "Balance, holds and auto-reload",
    description: "Figures of the key's own mode (live or test), in USD at full precision.",
    responses: { 200: ok("The billing overview.", "Billing") },
  },
  {
    method: "post",
    path: "/owner/billing/auto-reload",
    operationId: "configureAutoReload",
    tag: "billing",
    summary: "Configure auto-reload",
    description: "Live keys only. Both amounts are required when `enabled` is true.",
    body: "AutoReloadRequest",
    responses: { 200: ok("The billing overview.", "Billing") },
    errors: [403],
  },
  {
    method: "post",
    path: "/owner/billing/add-credits",
    operationId: "billingAddCredits",
    tag: "billing",
    summary: PAYMENT_ACTIONS[0].summary,
    description:
      "Opens a Stripe Checkout Session for `usd` of live credit. Credit arrives when Stripe confirms the payment " +
      "(its signed webhook), never from this call. Live keys only (403 for test keys); 501 without Stripe.",
    body: "AddCreditsRequest",
    responses: {
      200: ok("The Checkout Session; redirect to its url.", "CheckoutSession"),
      501: notConfigured,
    },
    errors: [403],
  },
  {
    method: "post",
    path: "/owner/billing/setup",
    operationId: "billingSetup",
    tag: "billing",
    summary: PAYMENT_ACTIONS[1].summary,
    description:
      "Opens a Stripe Checkout Session in setup mode to save a card for auto-reload; the card is saved when Stripe " +
      "confirms it. Live keys only; 501 without Stripe.",
    responses: {
      200: ok("The Checkout Session; redirect to its url.", "CheckoutSession"),
      501: notConfigured,
    },
    errors: [403],
  },
  {
    method: "post",
    path: "/owner/billing/detach-method",
    operationId: "billingDetachMethod",
    tag: "billing",
    summary: PAYMENT_ACTIONS[2].summary,
    description:
      "Detaches the saved card at Stripe and switches auto-reload off. Live keys only; 501 without Stripe.",
    responses: { 200: ok("The billing overview after.", "Billing"), 501: notConfigured },
    errors: [403],
  },
  {
    method: "post",
    path: "/stripe/webhook",
    operationId: "stripeWebhook",
    tag: "billing",
    summary: "Stripe's webhook endpoint",
    description:
      "For Stripe, not integrators: events signed with the endpoint's secret (Stripe-Signature over the raw body). " +
      "A bad signature or a timestamp older than 5 minutes is 400; each event id is handled once. " +
      "Registered only when Stripe is configured.",
    auth: false,
    responses: { 200: ok("Received.", "StripeWebhookAck") },
    errors: [400],
  },
  // catalogs
  ...CATALOG_KINDS.map((kind): OperationSpec => ({
    method: "get",
    path: `/${kind}`,
    operationId: `list${kind.charAt(0).toUpperCase()}${kind.slice(1)}`,
    tag: "catalogs",
    summary: `List ${kind}`,
    query: pageRequestSchema,
    responses: { 200: ok(`A page of ${kind}.`, "CatalogPage") },
  })),
  // health
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tag: "health",
    summary: "Health check",
    auth: false,
    responses: {
      200: ok("The server and its database answer.", "Health"),
      503: ok("The database does not answer (`unavailable`).", "Error"),
    },
  },
  // documentation
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "documentation",
    summary: "This OpenAPI 3.1 document",
    auth: false,
    responses: { 200: { description: "The OpenAPI document (JSON)." } },
  },
  {
    method: "get",
    path: "/docs",
    operationId: "getApiDocs",
    tag: "documentation",
    summary: "The API reference page (HTML)",
    auth: false,
    responses: { 200: { description: "An HTML page rendered from this document." } },
  },
];
