import { createDatabase, type Database } from "@eyeball/db";
import { describeEachEngine } from "@eyeball/db/testing";
import pg from "pg";
import { poolConfigFromUrl } from "@eyeball/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type JobEventRecord } from "../types";
import { createEventBus, type EyeballEventBus } from "./event-bus";
import { createTestJob } from "./test-rows";

/** Bounds a wait so a broken listener fails the test instead of hanging it. */
function within<T>(promise: Promise<T>, ms = 5_000, what = "event"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}

/** Takes `count` records from an iterator, then stops it. */
async function take(iterable: AsyncIterable<JobEventRecord>, count: number): Promise<JobEventRecord[]> {
  const out: JobEventRecord[] = [];
  if (count === 0) return out;
  for await (const record of iterable) {
    out.push(record);
    if (out.length >= count) break;
  }
  return out;
}

describeEachEngine("event bus", (getDb, engine) => {
  let db: Database;
  let bus: EyeballEventBus;

  beforeAll(async () => {
    db = getDb();
    bus = createEventBus(db, { reconnect: { minMs: 50, maxMs: 500 }, applicationName: "eyeball-events-a" });
    await bus.start();
  });
  afterAll(async () => {
    await bus.stop();
  });

  async function appendCommitted(jobId: string, type: string, payload: Record<string, string> = {}) {
    return db.prisma.$transaction((tx) => bus.append(tx, { jobId, type, payload }));
  }

  it("delivers a committed event with its org and payload; a rolled-back one never arrives", async () => {
    const { job, org } = await createTestJob(db.prisma);
    const controller = new AbortController();
    const received = take(bus.subscribe({ jobId: job.id }, { signal: controller.signal }), 2);
    // Subscribed: the generator registers on its first pull, so wait for the listener to be in place.
    await new Promise((resolve) => setImmediate(resolve));
    await expect(
      db.prisma.$transaction(async (tx) => {
        await bus.append(tx, { jobId: job.id, type: "job.rolled_back" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const first = await appendCommitted(job.id, "job.created", { hello: "world" });
    const second = await appendCommitted(job.id, "job.posted");
    const records = await within(received);
    controller.abort();
    expect(records.map((r) => r.type)).toEqual(["job.created", "job.posted"]);
    expect(records.map((r) => r.id)).toEqual([first, second]);
    expect(records[0]).toMatchObject({
      jobId: job.id,
      orgId: org.id,
      assignmentId: null,
      payload: { hello: "world" },
    });
    expect(records[0]?.createdAt).toBeInstanceOf(Date);
    expect(await db.prisma.jobEvent.count({ where: { jobId: job.id, type: "job.rolled_back" } })).toBe(0);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it("filters by org and type", async () => {
    const a = await createTestJob(db.prisma);
    const b = await createTestJob(db.prisma);
    const controller = new AbortController();
    const received = take(
      bus.subscribe({ orgId: a.org.id, types: ["job.finished"] }, { signal: controller.signal }),
      1,
    );
    await new Promise((resolve) => setImmediate(resolve));
    await appendCommitted(b.job.id, "job.finished");
    await appendCommitted(a.job.id, "job.posted");
    const wanted = await appendCommitted(a.job.id, "job.finished");
    const [record] = await within(received);
    expect(record).toMatchObject({ id: wanted, jobId: a.job.id, type: "job.finished" });
  });

  it("replays stored events after afterId, then goes live without gaps or duplicates", async () => {
    const { job } = await createTestJob(db.prisma);
    const stored: bigint[] = [];
    for (let i = 0; i < 6; i++) stored.push(await appendCommitted(job.id, `e.${i}`));
    const afterId = stored[1]!;
    const controller = new AbortController();
    const seen: bigint[] = [];
    const live: bigint[] = [];
    const total = 4 + 10;
    const iterator = bus.subscribe({ jobId: job.id }, { afterId, signal: controller.signal });
    const consumer = (async () => {
      for await (const record of iterator) {
        seen.push(record.id);
        // Append while still replaying, so live notifications arrive during the catch-up.
        if (seen.length <= 10) live.push(await appendCommitted(job.id, `live.${seen.length}`));
        if (seen.length >= total) break;
      }
    })();
    await within(consumer, 10_000, "replay and live events");
    controller.abort();
    expect(seen).toEqual([...stored.slice(2), ...live]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("ends a subscription on abort", async () => {
    const { job } = await createTestJob(db.prisma);
    const controller = new AbortController();
    const done = take(bus.subscribe({ jobId: job.id }, { signal: controller.signal }), 5);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await within(done)).toEqual([]);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it("waitFor resolves on the event, checks first, and times out cleanly", async () => {
    const { job } = await createTestJob(db.prisma);
    let state = "waiting";
    let checks = 0;
    const check = () => {
      checks++;
      return Promise.resolve(state === "done" ? state : undefined);
    };
    const waiting = bus.waitFor(job.id, check, { timeoutMs: 10_000 });
    await db.prisma.$transaction(async (tx) => {
      state = "done";
      await bus.append(tx, { jobId: job.id, type: "job.finished" });
    });
    expect(await within(waiting)).toBe("done");
    expect(checks).toBeGreaterThanOrEqual(2);
    // Already true: no event needed.
    expect(await bus.waitFor(job.id, check, { timeoutMs: 10_000 })).toBe("done");
    // Never true: undefined at the timeout, nothing left behind.
    const started = Date.now();
    expect(
      await bus.waitFor<string>(job.id, () => Promise.resolve(undefined), { timeoutMs: 100 }),
    ).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    // Aborted.
    const controller = new AbortController();
    const aborted = bus.waitFor<string>(job.id, () => Promise.resolve(undefined), {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    controller.abort();
    expect(await aborted).toBeUndefined();
    expect(bus.stats()).toEqual({ waiters: 0, subscriptions: 0 });
  });

  it("wakes many waiters with one event and leaks none", async () => {
    const { job } = await createTestJob(db.prisma);
    let finished = false;
    const checks = new Map<number, number>();
    const waiters = Array.from({ length: 300 }, (_, i) =>
      bus.waitFor(
        job.id,
        () => {
          checks.set(i, (checks.get(i) ?? 0) + 1);
          return Promise.resolve(finished ? i : undefined);
        },
        { timeoutMs: 10_000 },
      ),
    );
    // Other waiters on another job time out without being woken.
    const other = await createTestJob(db.prisma);
    const timeouts = Array.from({ length: 50 }, () =>
      bus.waitFor(other.job.id, () => Promise.resolve(undefined), { timeoutMs: 200 }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.stats().waiters).toBe(350);
    await db.prisma.$transaction(async (tx) => {
      finished = true;
      await bus.append(tx, { jobId: job.id, type: "job.finished" });
    });
    const values = await within(Promise.all(waiters));
    expect(values).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(await within(Promise.all(timeouts))).toEqual(Array.from({ length: 50 }, () => undefined));
    expect(bus.stats()).toEqual({ waiters: 0, subscriptions: 0 });
  });

  it("rejects waitFor when the check throws, and cleans up", async () => {
    const { job } = await createTestJob(db.prisma);
    await expect(
      bus.waitFor(job.id, () => Promise.reject(new Error("boom")), { timeoutMs: 10_000 }),
    ).rejects.toThrow("boom");
    expect(bus.stats().waiters).toBe(0);
  });

  if (engine === "postgres") {
    describe("across processes", () => {
      let second: Database;
      let secondBus: EyeballEventBus;

      beforeAll(async () => {
        second = await createDatabase({ url: db.url, migrate: false });
        secondBus = createEventBus(second, {
          reconnect: { minMs: 100, maxMs: 500 },
          applicationName: `eyeball-events-b-${process.pid}`,
        });
        await secondBus.start();
      });
      afterAll(async () => {
        await secondBus.stop();
        await second.close();
      });

      it("an event appended through one process wakes a waiter in another", async () => {
        const { job } = await createTestJob(db.prisma);
        let done = false;
        const waiting = secondBus.waitFor(
          job.id,
          async () => {
            const count = await second.prisma.jobEvent.count({
              where: { jobId: job.id, type: "job.finished" },
            });
            return count > 0 || done ? "finished" : undefined;
          },
          { timeoutMs: 10_000 },
        );
        await appendCommitted(job.id, "job.finished");
        done = true;
        expect(await within(waiting)).toBe("finished");
      });

      it("reconnects after the listener connection drops and replays what it missed", async () => {
        const { job } = await createTestJob(db.prisma);
        const controller = new AbortController();
        const received = take(secondBus.subscribe({ jobId: job.id }, { signal: controller.signal }), 3);
        await new Promise((resolve) => setImmediate(resolve));
        const before = await appendCommitted(job.id, "before");
        const admin = new pg.Client(poolConfigFromUrl(db.url!));
        await admin.connect();
        try {
          const { rows } = await admin.query<{ terminated: boolean }>(
            `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
              WHERE application_name = $1 AND datname = current_database()`,
            [`eyeball-events-b-${process.pid}`],
          );
          expect(rows.map((r) => r.terminated)).toEqual([true]);
        } finally {
          await admin.end();
        }
        // Committed while the listener is gone (it reconnects after ≥ 100 ms).
        const during = [await appendCommitted(job.id, "during.1"), await appendCommitted(job.id, "during.2")];
        const waiting = secondBus.waitFor(
          job.id,
          async () => {
            const count = await second.prisma.jobEvent.count({ where: { jobId: job.id } });
            return count >= 4 ? count : undefined;
          },
          { timeoutMs: 10_000 },
        );
        await within(secondBus.whenListening(), 10_000, "reconnect");
        const records = await within(received, 10_000);
        controller.abort();
        expect(records.map((r) => r.id)).toEqual([before, ...during]);
        await appendCommitted(job.id, "after");
        expect(await within(waiting, 10_000)).toBe(4);
      });
    });
  }
});
