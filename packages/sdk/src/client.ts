// createEyeballClient: every REST endpoint under /api, typed from the server's OpenAPI document.
import { randomUUID } from "node:crypto";

import createClient, { type Client } from "openapi-fetch";

import { apiErrorOf, EyeballError } from "./errors";
import { type components, type operations, type paths } from "./generated/openapi";
import { createTransport, DEFAULT_RETRY, defaultSleep, type RetryPolicy } from "./transport";
import { followJob, type RunOptions, type WaitOptions, waitForJob } from "./wait";

type Schemas = components["schemas"];
export type CreateJobRequest = Schemas["CreateJobRequest"];
export type RunhumanJob = Schemas["RunhumanJob"];
export type JobStatus = RunhumanJob["status"];
export type InstahumanJob = Schemas["InstahumanJob"];
export type InstahumanJobPage = Schemas["InstahumanJobPage"];
export type CreateRunRequest = Schemas["CreateRunRequest"];
export type TesterArmyRun = Schemas["TesterArmyRun"];
export type TesterArmyRunPage = Schemas["TesterArmyRunPage"];
export type Project = Schemas["Project"];
export type ProjectPage = Schemas["ProjectPage"];
export type ProjectTester = Schemas["ProjectTester"];
export type Billing = Schemas["Billing"];
export type CheckoutSession = Schemas["CheckoutSession"];
export type CatalogPage = Schemas["CatalogPage"];
export type Health = Schemas["Health"];
export type ListJobsQuery = NonNullable<operations["listJobs"]["parameters"]["query"]>;
export type ListRunsQuery = NonNullable<operations["listRuns"]["parameters"]["query"]>;
export type ListProjectsQuery = NonNullable<operations["listProjects"]["parameters"]["query"]>;

/** Every job status the API reports, in lifecycle order. */
export const JOB_STATUSES: readonly JobStatus[] = [
  "pending",
  "waiting",
  "working",
  "completed",
  "incomplete",
  "abandoned",
  "rejected",
  "error",
  "cancelled",
];

/** Terminal states never change; `wait()` and `run()` stop at the first one. */
export const TERMINAL_STATUSES: readonly JobStatus[] = [
  "completed",
  "incomplete",
  "abandoned",
  "rejected",
  "error",
  "cancelled",
];
export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export interface EyeballClientOptions {
  /** `eb_live_…` or `eb_test_…`; default the EYEBALL_API_KEY environment variable. */
  apiKey?: string;
  /** The server, with or without `/api` (default EYEBALL_URL, else http://127.0.0.1:4000). */
  baseUrl?: string;
  /** Retries of safe requests (reads, creates with an Idempotency-Key) on network errors, 429 and 502–504. */
  retry?: Partial<RetryPolicy>;
  /** Per request (ms), default 60 000; `POST /run` waits up to the server's limit and has none. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Waits between retries and polls; tests inject one that resolves at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per call: cancel with a signal; creates take a caller's Idempotency-Key (default a new UUID per call). */
export interface RequestOptions {
  signal?: AbortSignal;
}
export interface CreateOptions extends RequestOptions {
  idempotencyKey?: string;
}

export interface ResolvedClientOptions {
  apiBase: string;
  apiKey: string;
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function resolveApiBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new EyeballError(`baseUrl: not a URL: ${baseUrl}`);
  }
  const trimmed = url.href.replace(/\/+$/, "");
  return trimmed.endsWith("/api") ? trimmed : `${trimmed}/api`;
}

type Result<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

export type EyeballClient = ReturnType<typeof createEyeballClient>;

export function createEyeballClient(options: EyeballClientOptions = {}) {
  const env = typeof process === "undefined" ? {} : process.env;
  const apiKey = options.apiKey ?? env.EYEBALL_API_KEY;
  if (!apiKey) throw new EyeballError("apiKey: required (pass it or set EYEBALL_API_KEY)");
  const apiBase = resolveApiBase(options.baseUrl ?? env.EYEBALL_URL ?? "http://127.0.0.1:4000");
  const baseFetch = options.fetch ?? globalThis.fetch;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const transportOptions = { fetch: baseFetch, retry, ...(options.sleep ? { sleep: options.sleep } : {}) };
  const headers = {
    authorization: `Bearer ${apiKey}`,
    "user-agent": options.userAgent ?? "eyeball-sdk",
  };
  const api: Client<paths> = createClient<paths>({
    baseUrl: apiBase,
    headers,
    fetch: createTransport({ ...transportOptions, timeoutMs: options.timeoutMs ?? 60_000 }),
  });
  /** `POST /run` holds the request until the job ends: no per-request timeout. */
  const untimed: Client<paths> = createClient<paths>({
    baseUrl: apiBase,
    headers,
    fetch: createTransport({ ...transportOptions, timeoutMs: 0 }),
  });

  async function call<T>(label: string, pending: Result<T>): Promise<T> {
    const { data, error, response } = await pending;
    if (!response.ok) throw apiErrorOf(response, error, label);
    return data as T;
  }
  const idem = (o: CreateOptions | undefined) => ({ "Idempotency-Key": o?.idempotencyKey ?? randomUUID() });
  const jobPath = (id: string) => ({ path: { id } });

  const resolved: ResolvedClientOptions = {
    apiBase,
    apiKey,
    fetch: baseFetch,
    sleep: options.sleep ?? defaultSleep,
  };

  const jobs = {
    /** `POST /jobs`: queues the test and answers with its id at once. */
    create: (body: CreateJobRequest, o?: CreateOptions) =>
      call("POST /api/jobs", api.POST("/jobs", { body, params: { header: idem(o) }, signal: o?.signal })),
    /** `GET /job/{jobId}`: `{id, status}` until it ends, then the result, cost and recording. */
    get: (jobId: string, o?: RequestOptions) =>
      call(
        `GET /api/job/${jobId}`,
        api.GET("/job/{jobId}", { params: { path: { jobId } }, signal: o?.signal }),
      ),
    /** `GET /jobs`: the organisation's jobs, newest first, as `{data, next}` pages (Instahuman form). */
    list: (query: ListJobsQuery = {}, o?: RequestOptions) =>
      call("GET /api/jobs", api.GET("/jobs", { params: { query }, signal: o?.signal })),
    /** Every page of `list`, lazily. */
    async *all(query: Omit<ListJobsQuery, "cursor"> = {}, o?: RequestOptions): AsyncGenerator<InstahumanJob> {
      let cursor: string | null | undefined;
      do {
        const page: InstahumanJobPage = await jobs.list({ ...query, ...(cursor ? { cursor } : {}) }, o);
        yield* page.data;
        cursor = page.next;
      } while (cursor);
    },
    /** `GET /jobs/{id}`: the Instahuman view with slots, settlement and disputes. */
    details: (id: string, o?: RequestOptions) =>
      call(`GET /api/jobs/${id}`, api.GET("/jobs/{id}", { params: jobPath(id), signal: o?.signal })),
    /** TesterArmy's cancel: only before a tester claims (409 after). */
    cancel: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/v1/runs/${id}/cancel`,
        api.POST("/v1/runs/{id}/cancel", { params: jobPath(id), signal: o?.signal }),
      ),
    pause: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/pause`,
        api.POST("/owner/jobs/{id}/pause", { params: jobPath(id), signal: o?.signal }),
      ),
    resume: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/resume`,
        api.POST("/owner/jobs/{id}/resume", { params: jobPath(id), signal: o?.signal }),
      ),
    stop: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/stop`,
        api.POST("/owner/jobs/{id}/stop", { params: jobPath(id), signal: o?.signal }),
      ),
    settle: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/settle`,
        api.POST("/owner/jobs/{id}/settle", { params: jobPath(id), signal: o?.signal }),
      ),
    approve: (id: string, o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/approve`,
        api.POST("/owner/jobs/{id}/approve", { params: jobPath(id), signal: o?.signal }),
      ),
    dispute: (id: string, body: Schemas["DisputeRequest"], o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/dispute`,
        api.POST("/owner/jobs/{id}/dispute", { params: jobPath(id), body, signal: o?.signal }),
      ),
    resize: (id: string, body: Schemas["ResizeRequest"], o?: RequestOptions) =>
      call(
        `POST /api/owner/jobs/${id}/resize`,
        api.POST("/owner/jobs/{id}/resize", { params: jobPath(id), body, signal: o?.signal }),
      ),
    /** The job's bodies as it changes (Server-Sent Events), ending after its terminal state. */
    follow: (jobId: string, o?: RequestOptions & { lastEventId?: string }) => followJob(resolved, jobId, o),
    /** Resolves with the job once it is terminal: events when the server streams them, else polling with backoff. */
    wait: (jobId: string, o?: WaitOptions) => waitForJob(client, resolved, jobId, o),
  };

  const client = {
    /** The raw typed client (openapi-fetch) for anything the helpers below do not cover. */
    api,
    apiBase,
    jobs,
    /**
     * Creates a job and waits for its terminal state (events or polling). The job is created once
     * however often the create is retried; aborting stops the wait (and cancels the job when
     * `cancelOnAbort` and no tester has claimed it yet).
     */
    async run(body: CreateJobRequest, o: RunOptions = {}): Promise<RunhumanJob> {
      const created = await jobs.create(body, o);
      o.onCreated?.(created.jobId);
      try {
        return await jobs.wait(created.jobId, o);
      } catch (error) {
        if (o.cancelOnAbort && o.signal?.aborted) await jobs.cancel(created.jobId).catch(() => undefined);
        throw error;
      }
    },
    /** `POST /run`: the server holds the request until the job ends (RunTimeoutError with the job id after its wait). */
    runBlocking: (body: CreateJobRequest, o?: RequestOptions) =>
      call("POST /api/run", untimed.POST("/run", { body, signal: o?.signal })),
    runs: {
      create: (body: CreateRunRequest, o?: CreateOptions) =>
        call(
          "POST /api/v1/runs",
          api.POST("/v1/runs", { body, params: { header: idem(o) }, signal: o?.signal }),
        ),
      get: (id: string, o?: RequestOptions) =>
        call(`GET /api/v1/runs/${id}`, api.GET("/v1/runs/{id}", { params: jobPath(id), signal: o?.signal })),
      list: (query: ListRunsQuery = {}, o?: RequestOptions) =>
        call("GET /api/v1/runs", api.GET("/v1/runs", { params: { query }, signal: o?.signal })),
      cancel: (id: string, o?: RequestOptions) => jobs.cancel(id, o),
    },
    projects: {
      create: (body: Schemas["CreateProjectRequest"], o?: CreateOptions) =>
        call(
          "POST /api/projects",
          api.POST("/projects", { body, params: { header: idem(o) }, signal: o?.signal }),
        ),
      list: (query: ListProjectsQuery = {}, o?: RequestOptions) =>
        call("GET /api/projects", api.GET("/projects", { params: { query }, signal: o?.signal })),
      get: (id: string, o?: RequestOptions) =>
        call(
          `GET /api/projects/${id}`,
          api.GET("/projects/{id}", { params: jobPath(id), signal: o?.signal }),
        ),
      update: (id: string, body: Schemas["UpdateProjectRequest"], o?: RequestOptions) =>
        call(
          `PATCH /api/projects/${id}`,
          api.PATCH("/projects/{id}", { params: jobPath(id), body, signal: o?.signal }),
        ),
      delete: (id: string, o?: RequestOptions) =>
        call(
          `DELETE /api/projects/${id}`,
          api.DELETE("/projects/{id}", { params: jobPath(id), signal: o?.signal }),
        ),
      archive: (id: string, o?: RequestOptions) =>
        call(
          `POST /api/projects/${id}/archive`,
          api.POST("/projects/{id}/archive", { params: jobPath(id), signal: o?.signal }),
        ),
      unarchive: (id: string, o?: RequestOptions) =>
        call(
          `POST /api/projects/${id}/unarchive`,
          api.POST("/projects/{id}/unarchive", { params: jobPath(id), signal: o?.signal }),
        ),
      testers: {
        list: (id: string, o?: RequestOptions) =>
          call(
            `GET /api/projects/${id}/testers`,
            api.GET("/projects/{id}/testers", { params: jobPath(id), signal: o?.signal }),
          ),
        add: (id: string, body: Schemas["AddProjectTesterRequest"], o?: RequestOptions) =>
          call(
            `POST /api/projects/${id}/testers`,
            api.POST("/projects/{id}/testers", { params: jobPath(id), body, signal: o?.signal }),
          ),
        update: (
          id: string,
          testerId: string,
          body: Schemas["UpdateProjectTesterRequest"],
          o?: RequestOptions,
        ) =>
          call(
            `PATCH /api/projects/${id}/testers/${testerId}`,
            api.PATCH("/projects/{id}/testers/{testerId}", {
              params: { path: { id, testerId } },
              body,
              signal: o?.signal,
            }),
          ),
        remove: (id: string, testerId: string, o?: RequestOptions) =>
          call(
            `DELETE /api/projects/${id}/testers/${testerId}`,
            api.DELETE("/projects/{id}/testers/{testerId}", {
              params: { path: { id, testerId } },
              signal: o?.signal,
            }),
          ),
      },
    },
    billing: {
      get: (o?: RequestOptions) =>
        call("GET /api/owner/billing", api.GET("/owner/billing", { signal: o?.signal })),
      autoReload: (body: Schemas["AutoReloadRequest"], o?: RequestOptions) =>
        call(
          "POST /api/owner/billing/auto-reload",
          api.POST("/owner/billing/auto-reload", { body, signal: o?.signal }),
        ),
      /** A Stripe Checkout Session for `usd` of credit (credit arrives when Stripe confirms); 501 without Stripe. */
      addCredits: (body: Schemas["AddCreditsRequest"], o?: RequestOptions) =>
        call(
          "POST /api/owner/billing/add-credits",
          api.POST("/owner/billing/add-credits", { body, signal: o?.signal }),
        ),
      /** A Checkout Session in setup mode to save a card for auto-reload. */
      setupPaymentMethod: (o?: RequestOptions) =>
        call("POST /api/owner/billing/setup", api.POST("/owner/billing/setup", { signal: o?.signal })),
      detachPaymentMethod: (o?: RequestOptions) =>
        call(
          "POST /api/owner/billing/detach-method",
          api.POST("/owner/billing/detach-method", { signal: o?.signal }),
        ),
    },
    catalogs: {
      categories: (o?: RequestOptions) =>
        call("GET /api/categories", api.GET("/categories", { signal: o?.signal })),
      filters: (o?: RequestOptions) => call("GET /api/filters", api.GET("/filters", { signal: o?.signal })),
      interests: (o?: RequestOptions) =>
        call("GET /api/interests", api.GET("/interests", { signal: o?.signal })),
      equipment: (o?: RequestOptions) =>
        call("GET /api/equipment", api.GET("/equipment", { signal: o?.signal })),
    },
    health: (o?: RequestOptions) => call("GET /api/health", api.GET("/health", { signal: o?.signal })),
  };
  return client;
}
