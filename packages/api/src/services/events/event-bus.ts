// The job event bus: events appended to job_events in the caller's transaction, woken across processes by LISTEN/NOTIFY.
import { poolConfigFromUrl, type Database } from "@eyeball/db";
import pg from "pg";

import {
  type Db,
  type EventBus,
  type EventFilter,
  type JobEventInput,
  type JobEventRecord,
  type Tx,
} from "../types";

/** The NOTIFY channel every process listens on. */
export const JOB_EVENTS_CHANNEL = "eyeball_job_events";

/** What a notification carries: enough to route it without reading the row. Always far below 8000 bytes. */
export interface JobEventSignal {
  id: bigint;
  jobId: string;
  orgId: string;
  type: string;
}

export interface EventBusOptions {
  /** PostgreSQL listener reconnect backoff: first delay, doubling up to `maxMs` (defaults 250 ms, 30 s). */
  reconnect?: { minMs?: number; maxMs?: number };
  /** Where listener trouble is reported (default: stderr). */
  onError?: (error: unknown) => void;
  /** `application_name` of the PostgreSQL listener connection (default "eyeball-events"). */
  applicationName?: string;
}

export interface EyeballEventBus extends EventBus {
  /** Resolves once the listener is connected again (PostgreSQL); tests use it after killing the connection. */
  whenListening(): Promise<void>;
  /** Number of registered waiters and subscriptions: zero when nothing leaks. */
  stats(): { waiters: number; subscriptions: number };
}

/** Raw rows: int8 comes back as bigint from both adapters; accept the other shapes defensively. */
type RawBigint = bigint | number | string;

interface EventRow {
  id: RawBigint;
  jobId: string;
  orgId: string;
  assignmentId: string | null;
  type: string;
  payload: unknown;
  createdAt: Date;
}

interface Subscription {
  filter: EventFilter;
  push(record: JobEventRecord): void;
  /** Ends the subscription (the bus stopped). */
  close(): void;
}

const SELECT_EVENTS = `SELECT e.id, e."jobId", j."orgId", e."assignmentId", e.type, e.payload, e."createdAt"
  FROM job_events e JOIN jobs j ON j.id = e."jobId"`;

/** Page size when replaying stored events. */
const REPLAY_PAGE = 500;
/** How many recently dispatched ids the bus remembers to drop a notification it already handled. */
const RECENT_IDS = 10_000;

function matches(filter: EventFilter, signal: { jobId: string; orgId: string; type: string }): boolean {
  if (filter.jobId !== undefined && filter.jobId !== signal.jobId) return false;
  if (filter.orgId !== undefined && filter.orgId !== signal.orgId) return false;
  if (filter.types !== undefined && !filter.types.includes(signal.type)) return false;
  return true;
}

function toRecord(row: EventRow): JobEventRecord {
  return {
    id: BigInt(row.id),
    jobId: row.jobId,
    orgId: row.orgId,
    assignmentId: row.assignmentId,
    type: row.type,
    payload: row.payload,
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
  };
}

/** Parses a notification payload; undefined for anything that is not ours. */
export function parseSignal(payload: string | undefined): JobEventSignal | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<Record<keyof JobEventSignal, unknown>>;
    if (
      typeof value.id !== "string" ||
      typeof value.jobId !== "string" ||
      typeof value.orgId !== "string" ||
      typeof value.type !== "string"
    ) {
      return undefined;
    }
    return { id: BigInt(value.id), jobId: value.jobId, orgId: value.orgId, type: value.type };
  } catch {
    return undefined;
  }
}

/** Reads stored events after `afterId` matching `filter`, in id order (one page). */
async function readEvents(
  prisma: Db,
  filter: EventFilter,
  afterId: bigint,
  limit: number,
): Promise<JobEventRecord[]> {
  const where = ["e.id > $1::bigint"];
  const params: unknown[] = [afterId.toString()];
  if (filter.jobId !== undefined) {
    params.push(filter.jobId);
    where.push(`e."jobId" = $${params.length}`);
  }
  if (filter.orgId !== undefined) {
    params.push(filter.orgId);
    where.push(`j."orgId" = $${params.length}`);
  }
  if (filter.types !== undefined) {
    if (filter.types.length === 0) return [];
    const placeholders = filter.types.map((type) => {
      params.push(type);
      return `$${params.length}`;
    });
    where.push(`e.type IN (${placeholders.join(", ")})`);
  }
  params.push(limit);
  const rows = await prisma.$queryRawUnsafe<EventRow[]>(
    `${SELECT_EVENTS} WHERE ${where.join(" AND ")} ORDER BY e.id LIMIT $${params.length}`,
    ...params,
  );
  return rows.map(toRecord);
}

/**
 * The event bus of one process. `append` writes the row and its pg_notify in the caller's
 * transaction; one listener per process (a dedicated `pg.Client` on PostgreSQL, `pglite.listen`
 * on PGlite) fans notifications out to in-process subscribers and waiters.
 *
 * Ordering: events reach subscribers in commit order, which is id order unless two transactions
 * commit out of id order on PostgreSQL; then the later-committed lower id is still delivered
 * (never dropped, never twice), just after the higher one.
 */
export function createEventBus(db: Database, options: EventBusOptions = {}): EyeballEventBus {
  const prisma = db.prisma;
  const reconnectMin = options.reconnect?.minMs ?? 250;
  const reconnectMax = options.reconnect?.maxMs ?? 30_000;
  const report =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(`eyeball events: ${error instanceof Error ? error.message : String(error)}\n`);
    });

  const waiters = new Map<string, Set<() => void>>();
  const subscriptions = new Set<Subscription>();
  /** Highest id seen by this process: the resume point after a listener reconnect. */
  let highestSeen = 0n;
  const recent = new Set<bigint>();
  let pendingFetch: bigint[] = [];
  let dispatchChain: Promise<void> = Promise.resolve();

  let started: Promise<void> | undefined;
  let stopping = false;
  let unlisten: (() => Promise<void>) | undefined;
  let client: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let listening: Promise<void> = Promise.resolve();
  let markListening: () => void = () => undefined;

  function remember(id: bigint): boolean {
    if (recent.has(id)) return false;
    recent.add(id);
    if (recent.size > RECENT_IDS) {
      const oldest = recent.values().next();
      if (!oldest.done) recent.delete(oldest.value);
    }
    if (id > highestSeen) highestSeen = id;
    return true;
  }

  function wakeJob(jobId: string): void {
    const set = waiters.get(jobId);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  function wakeAll(): void {
    for (const set of [...waiters.values()]) for (const wake of [...set]) wake();
  }

  function deliver(records: JobEventRecord[]): void {
    for (const record of records) {
      for (const subscription of subscriptions) {
        if (matches(subscription.filter, record)) subscription.push(record);
      }
    }
  }

  /** Loads the rows of signalled ids that some subscription wants, in order, one query per batch. */
  function scheduleFetch(): void {
    dispatchChain = dispatchChain.then(async () => {
      const ids = pendingFetch;
      pendingFetch = [];
      if (ids.length === 0 || subscriptions.size === 0) return;
      try {
        const rows = await prisma.$queryRawUnsafe<EventRow[]>(
          `${SELECT_EVENTS} WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`,
          ids.map(String),
        );
        deliver(rows.map(toRecord));
      } catch (error) {
        report(error);
      }
    });
  }

  function onSignal(signal: JobEventSignal): void {
    if (!remember(signal.id)) return;
    wakeJob(signal.jobId);
    for (const subscription of subscriptions) {
      if (matches(subscription.filter, signal)) {
        pendingFetch.push(signal.id);
        if (pendingFetch.length === 1) scheduleFetch();
        return;
      }
    }
  }

  function onNotification(payload: string | undefined): void {
    const signal = parseSignal(payload);
    if (signal) onSignal(signal);
  }

  /** After a reconnect: everything committed while deaf, from the table. */
  async function catchUp(): Promise<void> {
    let cursor = highestSeen;
    for (;;) {
      const page = await readEvents(prisma, {}, cursor, REPLAY_PAGE);
      const fresh = page.filter((record) => remember(record.id));
      await dispatchChain;
      deliver(fresh);
      const last = page.at(-1);
      if (!last || page.length < REPLAY_PAGE) break;
      cursor = last.id;
    }
    wakeAll();
  }

  async function readHighest(): Promise<void> {
    const rows = await prisma.$queryRawUnsafe<{ max: RawBigint | null }[]>(
      `SELECT max(id) AS max FROM job_events`,
    );
    const max = rows[0]?.max;
    if (max !== null && max !== undefined && BigInt(max) > highestSeen) highestSeen = BigInt(max);
  }

  function resetListening(): void {
    listening = new Promise<void>((resolve) => {
      markListening = resolve;
    });
  }

  async function connectPostgres(url: string): Promise<pg.Client> {
    const next = new pg.Client({
      ...poolConfigFromUrl(url),
      application_name: options.applicationName ?? "eyeball-events",
      keepAlive: true,
    });
    let dropped = false;
    const onDrop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (error !== undefined) report(error);
      if (client === next) client = undefined;
      next.end().catch(() => undefined);
      if (!stopping) scheduleReconnect(url, reconnectMin);
    };
    next.on("notification", (message) => {
      if (message.channel === JOB_EVENTS_CHANNEL) onNotification(message.payload);
    });
    next.on("error", onDrop);
    next.on("end", () => {
      onDrop();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
    } catch (error) {
      dropped = true;
      next.removeAllListeners();
      await next.end().catch(() => undefined);
      throw error;
    }
    return next;
  }

  function scheduleReconnect(url: string, delayMs: number): void {
    if (reconnectTimer || stopping) return;
    resetListening();
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void (async () => {
        try {
          const next = await connectPostgres(url);
          if (stopping) {
            next.removeAllListeners();
            await next.end().catch(() => undefined);
            return;
          }
          client = next;
          await catchUp();
          markListening();
        } catch (error) {
          report(error);
          scheduleReconnect(url, Math.min(delayMs * 2, reconnectMax));
        }
      })();
    }, delayMs);
  }

  async function start(): Promise<void> {
    stopping = false;
    if (db.engine === "pglite") {
      const pglite = db.pglite;
      if (!pglite) throw new Error("The PGlite database has no instance to listen on");
      unlisten = await pglite.listen(JOB_EVENTS_CHANNEL, onNotification);
    } else {
      if (!db.url) throw new Error("The PostgreSQL database has no URL to listen with");
      client = await connectPostgres(db.url);
    }
    await readHighest();
    markListening();
  }

  function ensureStarted(): Promise<void> {
    started ??= start().catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  }

  async function stop(): Promise<void> {
    const wasStarted = started;
    started = undefined;
    stopping = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    await wasStarted?.catch(() => undefined);
    const closeListener = unlisten;
    unlisten = undefined;
    if (closeListener && !db.pglite?.closed) await closeListener().catch(report);
    const closing = client;
    client = undefined;
    if (closing) {
      closing.removeAllListeners();
      closing.on("error", () => undefined);
      await closing.end().catch(() => undefined);
    }
    for (const subscription of [...subscriptions]) {
      subscriptions.delete(subscription);
      subscription.close();
    }
    wakeAll();
    markListening();
    await dispatchChain;
  }

  async function append(tx: Tx, event: JobEventInput): Promise<bigint> {
    // One statement: the row, then the notification (sent by PostgreSQL only if the transaction commits).
    const rows = await tx.$queryRawUnsafe<{ id: RawBigint }[]>(
      `WITH inserted AS (
         INSERT INTO job_events ("jobId", "assignmentId", type, payload)
         VALUES ($1, $2, $3, $4::jsonb)
         RETURNING id, "jobId", type
       )
       SELECT inserted.id,
              pg_notify('${JOB_EVENTS_CHANNEL}', json_build_object(
                'id', inserted.id::text, 'jobId', inserted."jobId", 'orgId', j."orgId", 'type', inserted.type
              )::text)::text AS notified
         FROM inserted JOIN jobs j ON j.id = inserted."jobId"`,
      event.jobId,
      event.assignmentId ?? null,
      event.type,
      JSON.stringify(event.payload ?? {}),
    );
    const row = rows[0];
    if (!row) throw new Error(`job ${event.jobId} was not found for event ${event.type}`);
    return BigInt(row.id);
  }

  async function* subscribe(
    filter: EventFilter,
    { afterId, signal }: { afterId?: bigint; signal: AbortSignal },
  ): AsyncGenerator<JobEventRecord> {
    if (signal.aborted) return;
    await ensureStarted();
    const buffer: JobEventRecord[] = [];
    let notify: (() => void) | undefined;
    const subscription: Subscription = {
      filter,
      push(record) {
        buffer.push(record);
        notify?.();
      },
      close() {
        notify?.();
      },
    };
    const onAbort = () => notify?.();
    signal.addEventListener("abort", onAbort);
    subscriptions.add(subscription);
    try {
      // Registered before the replay reads, so nothing committed from here on can fall between the two.
      const floor = afterId ?? -1n;
      const replayed = new Set<bigint>();
      if (afterId !== undefined) {
        let cursor = afterId;
        for (;;) {
          const page = await readEvents(prisma, filter, cursor, REPLAY_PAGE);
          for (const record of page) {
            if (signal.aborted) return;
            replayed.add(record.id);
            yield record;
          }
          const last = page.at(-1);
          if (!last || page.length < REPLAY_PAGE) break;
          cursor = last.id;
        }
      }
      for (;;) {
        while (buffer.length > 0) {
          if (signal.aborted || !subscriptions.has(subscription)) return;
          const record = buffer.shift();
          if (!record || record.id <= floor || replayed.delete(record.id)) continue;
          yield record;
        }
        if (signal.aborted || !subscriptions.has(subscription)) return;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
        notify = undefined;
      }
    } finally {
      subscriptions.delete(subscription);
      signal.removeEventListener("abort", onAbort);
    }
  }

  async function waitFor<T>(
    jobId: string,
    check: () => Promise<T | undefined>,
    { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<T | undefined> {
    if (signal?.aborted) return undefined;
    await ensureStarted();
    if (signal?.aborted) return undefined;
    return new Promise<T | undefined>((resolve, reject) => {
      let done = false;
      let running = false;
      let again = false;
      let set = waiters.get(jobId);
      if (!set) {
        set = new Set();
        waiters.set(jobId, set);
      }
      const jobWaiters = set;
      const cleanup = () => {
        done = true;
        clearTimeout(timer);
        jobWaiters.delete(wake);
        if (jobWaiters.size === 0 && waiters.get(jobId) === jobWaiters) waiters.delete(jobId);
        signal?.removeEventListener("abort", onAbort);
      };
      const finish = (value: T | undefined) => {
        if (done) return;
        cleanup();
        resolve(value);
      };
      const fail = (error: unknown) => {
        if (done) return;
        cleanup();
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      function wake(): void {
        if (done) return;
        // The bus stopped: nothing will wake us again.
        if (started === undefined) {
          finish(undefined);
          return;
        }
        if (running) {
          again = true;
          return;
        }
        running = true;
        void (async () => {
          try {
            do {
              again = false;
              const value = await check();
              if (done) return;
              if (value !== undefined) {
                finish(value);
                return;
              }
            } while (again);
          } catch (error) {
            fail(error);
          } finally {
            running = false;
          }
        })();
      }
      function onAbort(): void {
        finish(undefined);
      }
      const timer = setTimeout(() => {
        finish(undefined);
      }, timeoutMs);
      signal?.addEventListener("abort", onAbort);
      // Registered before the first check, so an event between the check and the wait is not missed.
      jobWaiters.add(wake);
      wake();
    });
  }

  return {
    append,
    subscribe,
    waitFor,
    start: ensureStarted,
    stop,
    whenListening: () => listening,
    stats: () => ({
      waiters: [...waiters.values()].reduce((sum, set) => sum + set.size, 0),
      subscriptions: subscriptions.size,
    }),
  };
}
