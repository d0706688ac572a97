// Proof: a server SIGKILLed with jobs in every state loses nothing it acknowledged; a restart finishes what was in flight.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLedger } from "@eyeball/api";
import { pngOf } from "@eyeball/api/testing";
import { micros, microsToUsd } from "@eyeball/core";
import { createDatabase, type Database } from "@eyeball/db";
import { createTestDatabase, type TestDatabase } from "@eyeball/db/testing";

import {
  type DbClient,
  EXPECTED_DATA,
  expectedChargeMicros,
  firstEvent,
  freePort,
  FULL_MESSAGE,
  http,
  JOB_INPUT,
  killServer,
  type LiveOrg,
  moneyOf,
  newLiveOrg,
  newTester,
  openDbClient,
  type ServerProcess,
  startServer,
} from "./e2e-harness";

const GRANTED_MICROS = 100_000_000n;
const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-e2e-kill-"));
let database: TestDatabase | undefined;
let client: DbClient | undefined;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  client = await openDbClient(database);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => killServer(server, "SIGKILL")));
  await client?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Everything that must survive a crash about one job: status, money, slots. */
async function snapshot(jobId: string) {
  if (!database) throw new Error("no database");
  const job = await database.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  const slots = await database.prisma.assignment.findMany({
    where: { jobId },
    orderBy: { id: "asc" },
    select: { id: true, status: true, costMicros: true, testerId: true },
  });
  return { status: job.status, slots, money: await moneyOf(database, jobId) };
}

async function createJob(server: ServerProcess, org: LiveOrg): Promise<string> {
  const created = await http(`${server.url}/api/jobs`, { key: org.key, body: JOB_INPUT });
  expect(created.status).toBe(201);
  return (created.body as { jobId: string }).jobId;
}

describe("SIGKILL recovery on PostgreSQL", () => {
  it("keeps every job, hold and charge; reconcile extracts the orphaned submission; the waiter re-asks and gets the answer", async () => {
    if (!client || !database) throw new Error("setup failed");
    const started = Date.now();
    const first = await startServer({
      name: "server",
      port: await freePort(),
      databaseUrl: database.url,
      dataDir,
    });
    servers.push(first);
    const org = await newLiveOrg(client, GRANTED_MICROS);
    const waiterOrg = await newLiveOrg(client);
    const testers = await Promise.all([1, 2, 3, 4].map(() => newTester(client as DbClient)));
    const [workingTester, submittingTester, finishingTester, lateTester] = testers;
    if (!workingTester || !submittingTester || !finishingTester || !lateTester) throw new Error("no testers");

    // waiting: posted, nobody claimed.
    const waiting = await createJob(first, org);
    // working: claimed, the tester is still at it.
    const working = await createJob(first, org);
    await client.testerCaller(workingTester).claim({ jobId: working });
    // submitted, never extracted: the submission committed, then the process "died" before its queue send.
    const submitted = await createJob(first, org);
    const submittedSlot = await client.testerCaller(submittingTester).claim({ jobId: submitted });
    await client.crashing.tester.submit(submittingTester.testerId, submittedSlot.assignment.id, FULL_MESSAGE);
    // completed with its charge: extracted by the server's worker before the crash.
    const completed = await createJob(first, org);
    const completedSlot = await client.testerCaller(finishingTester).claim({ jobId: completed });
    await client
      .testerCaller(finishingTester)
      .submit({ id: completedSlot.assignment.id, message: FULL_MESSAGE });
    const done = await client.services.jobs.waitForTerminal(org.actor, completed, 20_000);
    expect(done?.status).toBe("completed");
    // cancelled over HTTP (tRPC jobs.cancel with the API key).
    const cancelled = await createJob(first, org);
    expect(
      (await http(`${first.url}/trpc/jobs.cancel`, { key: org.key, body: { id: cancelled } })).status,
    ).toBe(200);

    // The working tester's app uploads through this server: one screenshot finished, a video half-way.
    const email = (await database.prisma.user.findUniqueOrThrow({ where: { id: workingTester.userId } }))
      .email;
    await client.services.testerAuth.setPassword(workingTester.userId, "e2e-password-123");
    const signIn = await http(`${first.url}/trpc/tester.signIn`, {
      body: { email, password: "e2e-password-123" },
    });
    const token = (signIn.body as { result: { data: { token: string } } }).result.data.token;
    const trpc = async (server: ServerProcess, procedure: string, input: unknown) => {
      const answer = await http(`${server.url}/trpc/tester.artifacts.${procedure}`, {
        key: token,
        body: input,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return (answer.body as { result: { data: { id: string; uploadedBytes: number; status: string } } })
        .result.data;
    };
    const workingSlotId = (
      await database.prisma.assignment.findFirstOrThrow({
        where: { jobId: working, testerId: workingTester.testerId },
      })
    ).id;
    const png = pngOf(1920, 1080);
    const shot = await trpc(first, "begin", {
      assignmentId: workingSlotId,
      kind: "screenshot",
      contentType: "image/png",
    });
    await trpc(first, "append", { artifactId: shot.id, offset: 0, data: png.toString("base64") });
    await trpc(first, "complete", { artifactId: shot.id });
    const video = randomBytes(300_000);
    const recording = await trpc(first, "begin", {
      assignmentId: workingSlotId,
      kind: "video",
      contentType: "video/webm",
    });
    await trpc(first, "append", {
      artifactId: recording.id,
      offset: 0,
      data: video.subarray(0, 100_000).toString("base64"),
    });

    const before = {
      waiting: await snapshot(waiting),
      working: await snapshot(working),
      submitted: await snapshot(submitted),
      completed: await snapshot(completed),
      cancelled: await snapshot(cancelled),
    };
    expect(before.waiting.status).toBe("waiting");
    expect(before.working.status).toBe("working");
    expect(before.submitted.slots.map((slot) => slot.status)).toEqual(["submitted"]);
    expect(before.submitted.money.costMicros).toBe(0n);
    expect(before.completed.status).toBe("completed");
    expect(before.completed.money.costMicros).toBeGreaterThan(0n);
    expect(before.cancelled.status).toBe("cancelled");
    for (const state of [before.waiting, before.working, before.submitted]) {
      expect(state.money.hold).toMatchObject({ status: "active", capturedMicros: 0n, releasedMicros: 0n });
      expect(state.money.hold?.amountMicros).toBe(state.money.holdMicros);
    }

    // A client holds POST /api/run open on the doomed process.
    const held = http(`${first.url}/api/run`, { key: waiterOrg.key, body: JOB_INPUT, timeoutMs: 30_000 });
    const heldOutcome = held.then(
      (answer) => ({ dropped: false as const, answer }),
      (error: unknown) => ({ dropped: true as const, error }),
    );
    const waiterJob = (await firstEvent(client, { orgId: waiterOrg.orgId, types: ["job.created"] }, 15_000))
      .jobId;

    expect(await killServer(first, "SIGKILL")).toBe("SIGKILL");
    const outcome = await heldOutcome;
    expect(outcome.dropped).toBe(true);

    const second = await startServer({
      name: "restarted server",
      port: await freePort(),
      databaseUrl: database.url,
      dataDir,
    });
    servers.push(second);

    // The app resumes its upload on the restarted server where the acknowledged bytes end.
    const resumed = await http(
      `${second.url}/trpc/tester.artifacts.list?input=${encodeURIComponent(JSON.stringify({ assignmentId: workingSlotId }))}`,
      { key: token },
    );
    const uploads = (
      resumed.body as { result: { data: { id: string; uploadedBytes: number; status: string }[] } }
    ).result.data;
    expect(uploads.map((upload) => [upload.id, upload.status, upload.uploadedBytes])).toEqual([
      [shot.id, "complete", png.length],
      [recording.id, "uploading", 100_000],
    ]);
    await trpc(second, "append", {
      artifactId: recording.id,
      offset: 100_000,
      data: video.subarray(100_000).toString("base64"),
    });
    await trpc(second, "complete", { artifactId: recording.id, bytes: video.length });
    const slots = await http(
      `${second.url}/trpc/jobs.recording?input=${encodeURIComponent(JSON.stringify({ id: working }))}`,
      { key: org.key },
    );
    const [slot] = (
      slots.body as {
        result: { data: { slots: { screenshots: { url: string }[]; video: { url: string } }[] } };
      }
    ).result.data.slots;
    const image = await fetch(slot?.screenshots[0]?.url ?? "");
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    const film = await fetch(slot?.video.url ?? "");
    expect(Buffer.from(await film.arrayBuffer()).equals(video)).toBe(true);

    // The orphaned submission is extracted after the restart (reconcile re-enqueues it) and charged once.
    const recovered = await client.services.jobs.waitForTerminal(org.actor, submitted, 20_000);
    expect(recovered?.status).toBe("completed");
    const after = {
      waiting: await snapshot(waiting),
      working: await snapshot(working),
      submitted: await snapshot(submitted),
      completed: await snapshot(completed),
      cancelled: await snapshot(cancelled),
    };
    expect(after.waiting).toEqual(before.waiting);
    expect(after.working).toEqual(before.working);
    expect(after.completed).toEqual(before.completed);
    expect(after.cancelled).toEqual(before.cancelled);

    const slotRow = await database.prisma.assignment.findUniqueOrThrow({
      where: { id: submittedSlot.assignment.id },
    });
    const jobRow = await database.prisma.job.findUniqueOrThrow({ where: { id: submitted } });
    const charge = expectedChargeMicros(jobRow, slotRow);
    expect(after.submitted.slots.map((slot) => [slot.status, slot.costMicros])).toEqual([
      ["completed", charge],
    ]);
    expect(after.submitted.money.costMicros).toBe(charge);
    expect(after.submitted.money.transactions.filter((kind) => kind === "hold_capture")).toHaveLength(1);
    expect(after.submitted.money.hold).toMatchObject({ capturedMicros: charge, status: "settled" });
    for (const state of [after.completed, after.submitted]) {
      const hold = state.money.hold;
      expect(hold && hold.capturedMicros + hold.releasedMicros).toBe(hold?.amountMicros);
    }

    // Organisation books: granted = balance (available + held) + captured, captured exactly once per slot.
    const books = await createLedger(database.prisma).balance(org.orgId, "live");
    const captured = before.completed.money.costMicros + charge;
    expect(books.balanceMicros + captured).toBe(GRANTED_MICROS);
    expect(books.heldMicros).toBe(
      (after.waiting.money.hold?.amountMicros ?? 0n) + (after.working.money.hold?.amountMicros ?? 0n),
    );
    const captures = await database.prisma.ledgerTransaction.count({
      where: { kind: "hold_capture", job: { orgId: org.orgId } },
    });
    expect(captures).toBe(2);

    // The waiter's client re-asks the restarted server: the job it started is still there, waiting.
    const reasked = await http(`${second.url}/api/job/${waiterJob}`, { key: waiterOrg.key });
    expect(reasked).toEqual({ status: 200, body: { id: waiterJob, status: "waiting" } });
    const lateSlot = await client.testerCaller(lateTester).claim({ jobId: waiterJob });
    await client.testerCaller(lateTester).submit({ id: lateSlot.assignment.id, message: FULL_MESSAGE });
    const finished = await client.services.jobs.waitForTerminal(waiterOrg.actor, waiterJob, 20_000);
    expect(finished?.status).toBe("completed");
    const final = await http(`${second.url}/api/job/${waiterJob}`, { key: waiterOrg.key });
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({
      id: waiterJob,
      status: "completed",
      result: { success: true, data: EXPECTED_DATA },
      costUsd: microsToUsd(micros(finished?.costMicros ?? -1)),
    });
    console.log(`sigkill [postgres]: ${Date.now() - started} ms`);
  }, 60_000);
});

/** Polls GET /api/job/:id every 100 ms until it reports `status` (bounded by `timeoutMs`). */
async function jobReaches(
  server: ServerProcess,
  key: string,
  jobId: string,
  status: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await http(`${server.url}/api/job/${jobId}`, { key });
    last = res.body;
    if ((res.body as { status?: string } | null)?.status === status) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `job ${jobId} did not reach ${status} within ${timeoutMs} ms (last: ${JSON.stringify(last)})`,
  );
}

/** Polls the owner list (tRPC jobs.list over HTTP, every 100 ms, bounded) until the org has `count` jobs. */
async function jobCountReaches(server: ServerProcess, key: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await http(
      `${server.url}/trpc/jobs.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`,
      { key },
    );
    const data = (res.body as { result?: { data?: { data?: unknown[] } } } | null)?.result?.data?.data;
    if (data && data.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the organisation did not reach ${count} jobs within ${timeoutMs} ms`);
}

describe("SIGKILL recovery on the embedded PGlite", () => {
  const pgliteDir = mkdtempSync(path.join(tmpdir(), "eyeball-e2e-kill-pglite-"));
  const local: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(local.map((server) => killServer(server, "SIGKILL")));
    rmSync(pgliteDir, { recursive: true, force: true });
  });

  it("a folder killed mid-flight reopens with every job and charge; the worker role's restart extracts the submission", async () => {
    const started = Date.now();
    // The folder is single-process: the test writes the states first, while no server holds it.
    const opened = await createDatabase({ url: "", dataDir: path.join(pgliteDir, "db") });
    const seed = await openDbClient(opened);
    const org = await newLiveOrg(seed, GRANTED_MICROS);
    const [workingTester, submittingTester, finishingTester] = [
      await newTester(seed),
      await newTester(seed),
      await newTester(seed),
    ];
    const create = async () =>
      (await seed.services.jobs.create(org.actor, JOB_INPUT, { source: "runhuman" })).id;
    const waiting = await create();
    const working = await create();
    await seed.testerCaller(workingTester).claim({ jobId: working });
    const submitted = await create();
    const submittedSlot = await seed.testerCaller(submittingTester).claim({ jobId: submitted });
    await seed.crashing.tester.submit(submittingTester.testerId, submittedSlot.assignment.id, FULL_MESSAGE);
    const completed = await create();
    const completedSlot = await seed.testerCaller(finishingTester).claim({ jobId: completed });
    await seed.crashing.tester.submit(finishingTester.testerId, completedSlot.assignment.id, FULL_MESSAGE);
    await seed.services.tester.extract(completedSlot.assignment.id);
    const cancelled = await create();
    await seed.services.jobs.cancel(org.actor, cancelled);
    const ids = { waiting, working, submitted, completed, cancelled };
    const snapshotAll = async (db: Database) => {
      const entries = await Promise.all(
        Object.entries(ids).map(async ([name, id]) => {
          const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
          const slots = await db.prisma.assignment.findMany({
            where: { jobId: id },
            select: { status: true, costMicros: true },
          });
          return [name, { status: job.status, slots, money: await moneyOf(db, id) }] as const;
        }),
      );
      return Object.fromEntries(entries);
    };
    const before = await snapshotAll(opened);
    expect(before.submitted?.slots).toEqual([{ status: "submitted", costMicros: 0n }]);
    expect(before.completed?.status).toBe("completed");
    await seed.close();
    await opened.close();

    // An API-only process (no workers, so no reconcile) on the folder, with a waiter held open; then SIGKILL.
    const apiOnly = await startServer({
      name: "pglite api",
      port: await freePort(),
      databaseUrl: undefined,
      dataDir: pgliteDir,
      role: "api",
    });
    local.push(apiOnly);
    for (const [name, id] of Object.entries(ids)) {
      const seen = await http(`${apiOnly.url}/api/job/${id}`, { key: org.key });
      expect((seen.body as { status: string }).status).toBe(before[name]?.status);
    }
    const held = http(`${apiOnly.url}/api/run`, { key: org.key, body: JOB_INPUT, timeoutMs: 30_000 }).then(
      () => "answered",
      () => "dropped",
    );
    // The run's job is committed before the handler starts waiting: wait until it is listed (6th job).
    await jobCountReaches(apiOnly, org.key, 6, 15_000);
    expect(await killServer(apiOnly, "SIGKILL")).toBe("SIGKILL");
    expect(await held).toBe("dropped");

    // Restart on the same folder (the dead process's lock is stale) with workers: reconcile extracts.
    const restarted = await startServer({
      name: "pglite both",
      port: await freePort(),
      databaseUrl: undefined,
      dataDir: pgliteDir,
    });
    local.push(restarted);
    const extracted = await jobReaches(restarted, org.key, submitted, "completed", 20_000);
    expect(extracted).toMatchObject({ status: "completed", result: { success: true, data: EXPECTED_DATA } });
    for (const name of ["waiting", "working", "completed", "cancelled"] as const) {
      const seen = await http(`${restarted.url}/api/job/${ids[name]}`, { key: org.key });
      expect((seen.body as { status: string }).status).toBe(before[name]?.status);
    }
    expect(await killServer(restarted, "SIGTERM")).toBe("0");

    // The books, read from the folder once the server has stopped.
    const reopened = await createDatabase({ url: "", dataDir: path.join(pgliteDir, "db") });
    try {
      const after = await snapshotAll(reopened);
      for (const name of ["waiting", "working", "completed", "cancelled"] as const) {
        expect(after[name]).toEqual(before[name]);
      }
      const slot = await reopened.prisma.assignment.findUniqueOrThrow({
        where: { id: submittedSlot.assignment.id },
      });
      const job = await reopened.prisma.job.findUniqueOrThrow({ where: { id: submitted } });
      const charge = expectedChargeMicros(job, slot);
      expect(after.submitted?.slots).toEqual([{ status: "completed", costMicros: charge }]);
      expect(after.submitted?.money.costMicros).toBe(charge);
      expect(after.submitted?.money.transactions.filter((kind) => kind === "hold_capture")).toHaveLength(1);
      // The held run's job was created before the kill (its request had reached the handler) and survives.
      const runJobs = await reopened.prisma.job.count({ where: { orgId: org.orgId } });
      expect(runJobs).toBe(6);
      const books = await createLedger(reopened.prisma).balance(org.orgId, "live");
      expect(books.balanceMicros + (before.completed?.money.costMicros ?? 0n) + charge).toBe(GRANTED_MICROS);
    } finally {
      await reopened.close();
    }
    console.log(`sigkill [pglite]: ${Date.now() - started} ms`);
  }, 90_000);
});
