// Following a job: Server-Sent Events when the server streams them (resumed with Last-Event-ID), else polling with backoff.
import { EventSourceParserStream } from "eventsource-parser/stream";

import type { EyeballClient, ResolvedClientOptions, RunhumanJob } from "./client";
import { apiErrorOf, ConnectionError, NotFoundError, WaitTimeoutError } from "./errors";

const TERMINAL = new Set(["completed", "incomplete", "abandoned", "rejected", "error", "cancelled"]);

export interface WaitOptions {
  signal?: AbortSignal;
  /** Give up after this long (ms) with WaitTimeoutError; the job goes on. Default: no limit. */
  timeoutMs?: number;
  /** Called with each new state of the job (status changes, the final body). */
  onUpdate?: (job: RunhumanJob) => void;
  /** "auto" (default): events, falling back to polling when the server has no stream. */
  transport?: "auto" | "events" | "poll";
  /** Polling: first interval (default 1 s), multiplied by 1.5 per unchanged poll up to maxPollIntervalMs (10 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export interface RunOptions extends WaitOptions {
  idempotencyKey?: string;
  /** Called once the job exists, before waiting (e.g. to print its id). */
  onCreated?: (jobId: string) => void;
  /** On abort, also cancel the job (only possible before a tester claims it). */
  cancelOnAbort?: boolean;
}

/** The stream of one job's bodies; ends after the terminal one. Throws NotFoundError (404) etc. before streaming. */
export async function* followJob(
  options: ResolvedClientOptions,
  jobId: string,
  o: { signal?: AbortSignal; lastEventId?: string } = {},
): AsyncGenerator<RunhumanJob> {
  let lastEventId = o.lastEventId;
  let failures = 0;
  for (;;) {
    const label = `GET /api/job/${jobId}/events`;
    let response: Response;
    try {
      response = await options.fetch(`${options.apiBase}/job/${encodeURIComponent(jobId)}/events`, {
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          accept: "text/event-stream",
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason;
      if (++failures > 5) throw new ConnectionError(`${label}: ${String(error)}`, { cause: error });
      await options.sleep(Math.min(500 * 2 ** failures, 10_000), o.signal);
      continue;
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      throw apiErrorOf(response, body, label);
    }
    if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
      throw new NotFoundError(
        404,
        { error: "not_found", message: "this server does not stream job events" },
        label,
      );
    }
    failures = 0;
    if (!response.body) throw new ConnectionError(`${label}: the stream has no body`);
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    let ended = false;
    try {
      for await (const event of events) {
        if (event.id) lastEventId = event.id;
        if (event.event === "end") {
          ended = true;
          break;
        }
        if (event.event !== "job") continue;
        const job = JSON.parse(event.data) as RunhumanJob;
        yield job;
        if (TERMINAL.has(job.status)) {
          ended = true;
          break;
        }
      }
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason;
      // The connection dropped mid-stream: reconnect below and resume after the last event seen.
      if (
        !(error instanceof TypeError) &&
        !(error instanceof Error && /terminated|aborted|socket/i.test(error.message))
      ) {
        throw error;
      }
    }
    if (ended) return;
    if (o.signal?.aborted) throw o.signal.reason;
  }
}

function isNoStream(error: unknown): boolean {
  return error instanceof NotFoundError && /stream|no route/i.test(error.message);
}

/** Resolves with the terminal body. Events first; polling with backoff when the server has no stream (or `transport: "poll"`). */
export async function waitForJob(
  client: EyeballClient,
  options: ResolvedClientOptions,
  jobId: string,
  o: WaitOptions = {},
): Promise<RunhumanJob> {
  const timeout = o.timeoutMs === undefined ? undefined : AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout].filter((s): s is AbortSignal => s !== undefined));
  let last: RunhumanJob | undefined;
  const seen = (job: RunhumanJob) => {
    if (last?.status !== job.status || TERMINAL.has(job.status)) o.onUpdate?.(job);
    last = job;
  };
  const timedOut = () => new WaitTimeoutError(jobId, last?.status ?? "unknown", o.timeoutMs ?? 0);

  try {
    if ((o.transport ?? "auto") !== "poll") {
      try {
        for await (const job of followJob(options, jobId, { signal })) {
          seen(job);
          if (TERMINAL.has(job.status)) return job;
        }
      } catch (error) {
        if (o.transport === "events" || !isNoStream(error)) throw error;
      }
    }
    let interval = o.pollIntervalMs ?? 1_000;
    const maxInterval = o.maxPollIntervalMs ?? 10_000;
    for (;;) {
      const job = await client.jobs.get(jobId, { signal });
      const changed = last?.status !== job.status;
      seen(job);
      if (TERMINAL.has(job.status)) return job;
      interval = changed ? (o.pollIntervalMs ?? 1_000) : Math.min(interval * 1.5, maxInterval);
      await options.sleep(interval, signal);
    }
  } catch (error) {
    if (timeout?.aborted && !o.signal?.aborted) throw timedOut();
    throw error;
  }
}
