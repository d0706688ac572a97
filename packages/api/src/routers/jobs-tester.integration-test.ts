// jobs.* and tester.* through the caller (lifecycle, scoping, SSE subscriptions with resume) and once over HTTP.
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClientErrorLike,
} from "@trpc/client";
import { isTrackedEnvelope } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { EventSource } from "eventsource";
import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextFromRequest, createContextInner } from "../context";
import { type AppRouter, appRouter, createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { type JobUpdate } from "./jobs";
import { type FeedUpdate } from "./tester";
import { trpcError } from "./testing/trpc-error";

const schema = {
  signupWorks: { type: "boolean", description: "Whether the tester could sign up" },
  errorMessage: { type: "string", description: "The error message shown for a weak password" },
} as const;

const FULL =
  'I signed up with a new email and it worked. With a weak password the page showed "Password too weak". Done.';

type TesterActor = Extract<Actor, { kind: "tester" }>;

/** tRPC's TrackedData (what the types promise a subscriber), not exported from @trpc/server's root. */
interface TrackedData<T> {
  id: string;
  data: T;
}

/**
 * The next `count` values of a subscription's iterator as `{id, data}`. The types say TrackedData;
 * in process the caller hands out tRPC's tracked envelope `[id, data, symbol]` itself.
 */
async function take<T>(iterator: AsyncIterator<TrackedData<T>>, count: number): Promise<TrackedData<T>[]> {
  const values: TrackedData<T>[] = [];
  while (values.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`the subscription ended after ${values.length} values`);
    const value: unknown = next.value;
    values.push(isTrackedEnvelope(value) ? { id: value[0], data: value[1] as T } : next.value);
  }
  return values;
}

describeEachEngine("jobs and tester routers", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  const subscriptions = new AbortController();

  const caller = (actor: Actor) =>
    createCaller(createContextInner({ services, actor }), { signal: subscriptions.signal });

  async function newTester(): Promise<TesterActor> {
    const testerId = await h.newTester();
    const profile = await h.db.testerProfile.findUniqueOrThrow({ where: { id: testerId } });
    return { kind: "tester", userId: profile.userId, testerId };
  }

  /** The id of the newest job event (of one job, or of all): the `lastEventId` a client would hold. */
  async function lastEventId(jobId?: string): Promise<string> {
    const row = await h.db.jobEvent.findFirst({
      ...(jobId === undefined ? {} : { where: { jobId } }),
      orderBy: { id: "desc" },
    });
    return String(row?.id ?? 0);
  }

  const createJob = (actor: Actor = org.live, input: Record<string, unknown> = {}) =>
    caller(actor).jobs.create({
      url: "https://example.com/signup",
      description: "Sign up",
      outputSchema: schema,
      ...input,
    });

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    // A live key with $100 of live credit granted through the ledger (harness newOrg).
    org = await h.newOrg();
  });

  afterAll(async () => {
    subscriptions.abort();
    await h.close();
  });

  it("lifecycle: create → feed → claim → done rule → submit → extraction → completed with cost", async () => {
    const job = await createJob();
    expect(job).toMatchObject({ status: "waiting", source: "portal", mode: "live", orgId: org.orgId });

    const tester = await newTester();
    const feed = await caller(tester).tester.feed();
    expect(feed.find((item) => item.jobId === job.id)).toMatchObject({ openSlots: 1, url: job.url });

    const claimed = await caller(tester).tester.claim({ jobId: job.id });
    expect(claimed.assignment).toMatchObject({ status: "working", jobId: job.id });
    const assignmentId = claimed.assignment.id;
    await expect(caller(tester).tester.assignment({ id: assignmentId })).resolves.toMatchObject({
      assignment: { id: assignmentId },
    });
    await expect(caller(tester).tester.heartbeat({ id: assignmentId })).resolves.toMatchObject({
      assignmentId,
    });

    h.clock.advance(220_000);
    const notDone = await trpcError(
      caller(tester).tester.submit({
        id: assignmentId,
        message: "Signed up fine, still checking the footer",
      }),
    );
    expect(notDone.code).toBe("BAD_REQUEST");
    expect(notDone.message).toMatch(/^message: must end with the word "done"$/);

    const submitted = await caller(tester).tester.submit({ id: assignmentId, message: FULL });
    expect(submitted.status).toBe("submitted");
    await h.runExtractions(); // services.tester.extract, as the worker would

    const done = await caller(org.live).jobs.get({ id: job.id });
    expect(done).toMatchObject({
      status: "completed",
      costMicros: 396_000,
      testDurationSeconds: 220,
      testerResponse: FULL,
      result: { success: true, data: { signupWorks: true, errorMessage: "Password too weak" } },
    });
    const listed = await caller(org.owner).jobs.list({ limit: 100, status: "completed" });
    expect(listed.data.map((j) => j.id)).toContain(job.id);
  });

  it("tester.history, tester.earnings and tester.payouts: the tester's own rows; input checked; testers only", async () => {
    const tester = await newTester();
    const job = await createJob(org.live, { title: "Checkout" });
    const feedItem = (await caller(tester).tester.feed()).find((item) => item.jobId === job.id);
    expect(feedItem).toMatchObject({ projectName: null, payMicros: 378_000 });
    const { assignment } = await caller(tester).tester.claim({ jobId: job.id });
    h.clock.advance(20_000);
    await caller(tester).tester.submit({ id: assignment.id, message: FULL });
    await h.runExtractions();

    const history = await caller(tester).tester.history();
    expect(history.nextCursor).toBeNull();
    expect(history.items).toEqual([
      expect.objectContaining({
        assignmentId: assignment.id,
        title: "Checkout",
        status: "completed",
        durationSeconds: 20,
        earningsMicros: 25_200,
        disputed: false,
      }),
    ]);
    expect(await caller(tester).tester.history({ limit: 1 })).toEqual(history);
    await expect(caller(tester).tester.earnings()).resolves.toMatchObject({
      currency: "usd",
      totalMicros: 25_200,
      pendingMicros: 25_200,
    });
    await expect(caller(tester).tester.payouts({})).resolves.toEqual({ items: [], nextCursor: null });

    const bad = await trpcError(caller(tester).tester.history({ limit: 500 }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/^limit: /);
    expect((await trpcError(caller(tester).tester.payouts({ cursor: "x" }))).code).toBe("BAD_REQUEST");
    for (const call of [
      () => caller(org.owner).tester.history(),
      () => caller(org.live).tester.earnings(),
      () => caller(org.owner).tester.payouts(),
    ]) {
      expect((await trpcError(call())).code).toBe("UNAUTHORIZED");
    }
    expect((await caller(await newTester()).tester.history()).items).toEqual([]);
  });

  it("scopes: another tester's assignment, another organisation, the other mode, the wrong actor", async () => {
    const job = await createJob();
    const tester = await newTester();
    const { assignment } = await caller(tester).tester.claim({ jobId: job.id });
    const stranger = await newTester();
    expect((await trpcError(caller(stranger).tester.assignment({ id: assignment.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await trpcError(caller(stranger).tester.submit({ id: assignment.id, message: "Done." }))).code,
    ).toBe("FORBIDDEN");

    const other = await h.newOrg();
    for (const call of [
      () => caller(other.owner).jobs.get({ id: job.id }),
      () => caller(other.live).jobs.pause({ id: job.id }),
      () => caller(other.owner).jobs.onUpdate({ id: job.id }),
    ]) {
      expect(["FORBIDDEN", "NOT_FOUND"]).toContain((await trpcError(call())).code);
    }
    // A test key never learns of live jobs.
    expect((await trpcError(caller(org.test).jobs.get({ id: job.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(caller(org.live).jobs.get({ id: "job_nope" }))).code).toBe("NOT_FOUND");

    expect((await trpcError(caller(tester).jobs.list({}))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(caller(org.owner).tester.feed())).code).toBe("UNAUTHORIZED");
    const badResize = await trpcError(caller(org.live).jobs.resize({ id: job.id, testerCount: 1.5 }));
    expect(badResize.code).toBe("BAD_REQUEST");
    expect(badResize.message).toMatch(/^testerCount: /);
    const badCreate = await trpcError(createJob(org.live, { url: "not a url" }));
    expect(badCreate.code).toBe("BAD_REQUEST");
    expect(badCreate.message).toMatch(/^url: /);
  });

  it("onUpdate yields tracked events through the lifecycle, and lastEventId resumes after the seen ones", async () => {
    const job = await createJob();
    const seen = await lastEventId(job.id); // the client saw job.created and job.posted
    const tester = await newTester();
    const updates = (await caller(org.live).jobs.onUpdate({ id: job.id, lastEventId: seen }))[
      Symbol.asyncIterator
    ]();

    const { assignment } = await caller(tester).tester.claim({ jobId: job.id });
    const [claimed] = await take(updates, 1);
    expect(claimed?.id).toBe(claimed?.data.eventId);
    expect(claimed?.data).toMatchObject({
      type: "assignment.claimed",
      jobId: job.id,
      job: { status: "working" },
    });

    h.clock.advance(60_000);
    await caller(tester).tester.submit({ id: assignment.id, message: FULL });
    await h.runExtractions();
    const rest = await take(updates, 5);
    await updates.return?.();
    const all = [claimed, ...rest].map((envelope) => {
      if (!envelope) throw new Error("missing update");
      return { id: envelope.id, update: envelope.data satisfies JobUpdate };
    });
    expect(all.map((u) => u.update.type)).toEqual([
      "assignment.claimed",
      "job.status_changed",
      "assignment.submitted",
      "assignment.extracted",
      "job.status_changed",
      "job.finished",
    ]);
    const ids = all.map((u) => BigInt(u.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(ids[0]).toBeGreaterThan(BigInt(seen));
    expect(all.at(-1)?.update.job).toMatchObject({ status: "completed", costMicros: 60 * 1800 });
    expect(JSON.stringify(all.map((u) => u.update))).toBeTypeOf("string"); // no BigInt anywhere

    // Resume after the third event: only the three after it come again.
    const resumeFrom = all[2]?.id ?? "";
    const resumed = (await caller(org.live).jobs.onUpdate({ id: job.id, lastEventId: resumeFrom }))[
      Symbol.asyncIterator
    ]();
    const replayed = await take(resumed, 3);
    await resumed.return?.();
    expect(replayed.map((envelope) => envelope.id)).toEqual(all.slice(3).map((u) => u.id));
  });

  it("onUpdate without an id streams the caller's organisation only, in the key's mode", async () => {
    const from = await lastEventId();
    const updates = (await caller(org.live).jobs.onUpdate({ lastEventId: from }))[Symbol.asyncIterator]();
    const other = await h.newOrg();
    await createJob(other.live); // another organisation
    await createJob(org.test); // this organisation, sandbox mode: not for a live key
    const mine = await createJob(org.live);
    const [first, second] = await take(updates, 2);
    await updates.return?.();
    expect(first?.data).toMatchObject({ type: "job.created", jobId: mine.id, job: { id: mine.id } });
    expect(second?.data).toMatchObject({ type: "job.posted", jobId: mine.id });
  });

  it("feedUpdates yields the refreshed feed when live jobs appear and are taken", async () => {
    const watcher = await newTester();
    const from = await lastEventId();
    const updates = (await caller(watcher).tester.feedUpdates({ lastEventId: from }))[Symbol.asyncIterator]();
    const job = await createJob();
    const [appeared] = await take(updates, 1);
    const first: FeedUpdate | undefined = appeared?.data;
    expect(first?.type).toBe("job.created"); // the first event always brings the feed
    expect(first?.feed.map((item) => item.jobId)).toContain(job.id);

    const sandboxJob = await createJob(org.test); // test mode: never in a tester's feed
    await caller(await newTester()).tester.claim({ jobId: job.id });
    const [taken] = await take(updates, 1);
    await updates.return?.();
    // Events that left the feed as it was are skipped; which event first saw the change depends on
    // when the stream read the feed, but the feed it brings no longer holds the taken job.
    const ids = taken?.data.feed.map((item) => item.jobId);
    expect(ids).not.toContain(job.id);
    expect(ids).not.toContain(sandboxJob.id);
    expect(BigInt(taken?.id ?? "0")).toBeGreaterThan(BigInt(appeared?.id ?? "0"));
  });

  it("over HTTP: the express adapter streams jobs.onUpdate to a client with httpSubscriptionLink", async () => {
    const { key } = await services.apiKeys.create(org.orgId, { name: "sse", mode: "live" });
    const app = express();
    app.use(
      "/trpc",
      createExpressMiddleware({
        router: appRouter,
        createContext: ({ req, info }) => createContextFromRequest(services, req, info.connectionParams),
      }),
    );
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    const authorization = `Bearer ${key}`;
    const client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url, EventSource, connectionParams: { authorization } }),
          false: httpBatchLink({ url, headers: { authorization } }),
        }),
      ],
    });
    try {
      const job = await client.jobs.create.mutate({
        url: "https://example.com/http",
        description: "Over HTTP",
      });
      expect(job).toMatchObject({ status: "waiting", source: "portal" });
      const seen = await lastEventId(job.id);
      const received = await new Promise<{ id: string; type: string; status: string }>((resolve, reject) => {
        const subscription = client.jobs.onUpdate.subscribe(
          { id: job.id, lastEventId: seen },
          {
            onStarted: () => {
              client.jobs.pause.mutate({ id: job.id }).catch(reject);
            },
            onData: ({ id, data }) => {
              subscription.unsubscribe();
              resolve({ id, type: data.type, status: data.job.status });
            },
            onError: (error: TRPCClientErrorLike<AppRouter>) => {
              subscription.unsubscribe();
              reject(new Error(error.message));
            },
          },
        );
      });
      expect(received.type).toBe("job.paused");
      expect(BigInt(received.id)).toBeGreaterThan(BigInt(seen));
      expect((await client.jobs.get.query({ id: job.id })).control).toBe("paused");
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    }
  });
});
