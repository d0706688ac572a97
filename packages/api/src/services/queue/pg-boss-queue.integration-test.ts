import { type Database } from "@eyeball/db";
import { describeEachEngine } from "@eyeball/db/testing";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

import { type JsonObject } from "../types";
import { createQueue, type PgBossQueue } from "./pg-boss-queue";

function within<T>(promise: Promise<T>, ms = 10_000, what = "job"): Promise<T> {
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

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describeEachEngine("pg-boss queue", (getDb) => {
  let db: Database;
  let queue: PgBossQueue;

  beforeAll(async () => {
    db = getDb();
    queue = createQueue(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 2_000 });
    await queue.start();
  });
  afterAll(async () => {
    await queue.stop();
  });

  it("creates queues on demand and runs a sent job", async () => {
    const got = deferred<JsonObject>();
    await queue.work("test.run", async (data) => {
      got.resolve(data);
      return Promise.resolve();
    });
    const id = await queue.send("test.run", { hello: "world", n: 1 });
    expect(id).toEqual(expect.any(String));
    expect(await within(got.promise)).toEqual({ hello: "world", n: 1 });
  });

  it("drains a backlog without a poll per job, and fails only the job whose handler throws", async () => {
    // A slow poll: one job per poll would take half an hour for this backlog.
    const slow = createQueue(db, { pollingIntervalSeconds: 30, stopTimeoutMs: 2_000 });
    await slow.start();
    try {
      const ids: string[] = [];
      for (let n = 0; n < 60; n++)
        ids.push((await slow.send("test.backlog", { n }, { retryLimit: 2 })) ?? "");
      const seen = new Map<number, number>();
      const all = deferred<undefined>();
      await slow.work("test.backlog", async (data) => {
        const n = data.n as number;
        seen.set(n, (seen.get(n) ?? 0) + 1);
        if (seen.size === 60) all.resolve(undefined);
        if (n === 7) throw new Error("job 7 fails");
        return Promise.resolve();
      });
      await within(all.promise, 15_000, "the backlog");
      // Only job 7 failed (and is retried); its batch-mates ran once and completed.
      expect([...seen.entries()].filter(([n, count]) => n !== 7 && count !== 1)).toEqual([]);
      // The batch's outcomes are written once its last job returns.
      await vi.waitFor(
        async () => {
          const jobs = await slow.boss.findJobs("test.backlog", { limit: 100 });
          const stateOf = new Map(jobs.map((job) => [job.id, job.state]));
          const states = ids.map((id) => stateOf.get(id));
          expect(states.filter((state, n) => n !== 7 && state !== "completed")).toEqual([]);
          expect(["retry", "failed"]).toContain(states[7]);
        },
        { timeout: 5_000, interval: 50 },
      );
    } finally {
      await slow.stop();
    }
  });

  it("retries a handler that throws", async () => {
    const attempts: number[] = [];
    const done = deferred<undefined>();
    await queue.work("test.retry", async () => {
      attempts.push(Date.now());
      if (attempts.length < 2) throw new Error("first attempt fails");
      done.resolve(undefined);
      return Promise.resolve();
    });
    await queue.send("test.retry", {}, { retryLimit: 2, retryDelayMs: 0 });
    await within(done.promise);
    expect(attempts).toHaveLength(2);
  });

  it("keeps one queued job per singletonKey", async () => {
    const first = await queue.send("test.singleton", { v: 1 }, { singletonKey: "k1", delayMs: 60_000 });
    const second = await queue.send("test.singleton", { v: 2 }, { singletonKey: "k1", delayMs: 60_000 });
    const other = await queue.send("test.singleton", { v: 3 }, { singletonKey: "k2", delayMs: 60_000 });
    expect(first).toEqual(expect.any(String));
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    const jobs = await queue.boss.findJobs<JsonObject>("test.singleton");
    expect(jobs.filter((job) => job.singletonKey === "k1")).toHaveLength(1);
    // A delayed job is deferred, not ready.
    expect(jobs.every((job) => job.startAfter.getTime() > Date.now() + 30_000)).toBe(true);
  });

  it("is durable: a job sent before a crash runs on a new instance after restart", async () => {
    const producer = createQueue(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 1_000 });
    await producer.send("test.durable", { order: 42 });
    await producer.stop(); // "crash": never worked

    const restarted = createQueue(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 1_000 });
    try {
      const got = deferred<JsonObject>();
      await restarted.work("test.durable", async (data) => {
        got.resolve(data);
        return Promise.resolve();
      });
      expect(await within(got.promise)).toEqual({ order: 42 });
    } finally {
      await restarted.stop();
    }
  });

  it("stops gracefully, letting a running handler finish", async () => {
    const local = createQueue(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 5_000 });
    const entered = deferred<undefined>();
    const release = deferred<undefined>();
    let finished = false;
    await local.work("test.graceful", async () => {
      entered.resolve(undefined);
      await release.promise;
      finished = true;
    });
    await local.send("test.graceful", {});
    await within(entered.promise);
    const stopping = local.stop();
    release.resolve(undefined);
    await within(stopping);
    expect(finished).toBe(true);
  });
});
