// Proof: two stateless server processes on one PostgreSQL — a run held open on A completes from work done via B's database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { micros, microsToUsd } from "@eyeball/core";
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
  moneyOf,
  newLiveOrg,
  newTester,
  openDbClient,
  type ServerProcess,
  startServer,
} from "./e2e-harness";

const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-e2e-two-"));
let database: TestDatabase | undefined;
let client: DbClient | undefined;
let serverA: ServerProcess | undefined;
let serverB: ServerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  const url = database.url;
  if (!url) throw new Error("the test database has no URL");
  const [portA, portB] = [await freePort(), await freePort()];
  [serverA, serverB] = await Promise.all([
    startServer({ name: "server A", port: portA, databaseUrl: url, dataDir, role: "api" }),
    startServer({ name: "server B", port: portB, databaseUrl: url, dataDir, role: "both" }),
  ]);
  client = await openDbClient(database);
}, 60_000);

afterAll(async () => {
  await Promise.all([killServer(serverA, "SIGKILL"), killServer(serverB, "SIGKILL")]);
  await client?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("two server processes on one PostgreSQL", () => {
  it("POST /api/run held on A answers 200 completed once the tester's work lands through B's side", async () => {
    if (!client || !serverA || !serverB) throw new Error("setup failed");
    const org = await newLiveOrg(client);
    const tester = await newTester(client);

    // Both processes serve the same organisation and key: the key lives only in PostgreSQL.
    for (const server of [serverA, serverB]) {
      expect((await http(`${server.url}/api/equipment`, { key: org.key })).status).toBe(200);
    }

    const started = Date.now();
    const held = http(`${serverA.url}/api/run`, { key: org.key, body: JOB_INPUT, timeoutMs: 45_000 });
    const created = await firstEvent(client, { orgId: org.orgId, types: ["job.created"] }, 15_000);
    const jobId = created.jobId;

    // B sees the job A created, and A's request is still open.
    const onB = await http(`${serverB.url}/api/job/${jobId}`, { key: org.key });
    expect(onB).toEqual({ status: 200, body: { id: jobId, status: "waiting" } });

    const claimed = await client.testerCaller(tester).claim({ jobId });
    expect(claimed.assignment.status).toBe("working");
    const working = await http(`${serverB.url}/api/job/${jobId}`, { key: org.key });
    expect(working.body).toEqual({ id: jobId, status: "working" });
    const submitted = await client
      .testerCaller(tester)
      .submit({ id: claimed.assignment.id, message: FULL_MESSAGE });
    expect(submitted.status).toBe("submitted");

    // Extraction runs on B (A is role api: it has no workers); A hears the finish by LISTEN/NOTIFY.
    const answer = await held;
    const elapsed = Date.now() - started;

    if (!database) throw new Error("no database");
    const db = database.prisma;
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    const slot = await db.assignment.findUniqueOrThrow({ where: { id: claimed.assignment.id } });
    const expectedMicros = expectedChargeMicros(job, slot);
    expect(expectedMicros).toBeGreaterThan(0n);
    expect(slot.status).toBe("completed");
    expect(slot.costMicros).toBe(expectedMicros);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: jobId,
      status: "completed",
      result: { success: true, data: EXPECTED_DATA },
      costUsd: microsToUsd(micros(Number(expectedMicros))),
      testerResponse: FULL_MESSAGE,
      testerAlias: expect.stringMatching(/^Tester /) as unknown,
    });

    // One capture of exactly that amount; the rest of the hold went back to the organisation.
    const money = await moneyOf(database, jobId);
    expect(money.costMicros).toBe(expectedMicros);
    expect(money.transactions.filter((kind) => kind === "hold_capture")).toHaveLength(1);
    expect(money.hold).toMatchObject({ capturedMicros: expectedMicros, status: "settled" });
    if (money.hold) {
      expect(money.hold.capturedMicros + money.hold.releasedMicros).toBe(money.hold.amountMicros);
    }
    // And both processes give the same final answer.
    const fromB = await http(`${serverB.url}/api/job/${jobId}`, { key: org.key });
    expect(fromB.body).toEqual(answer.body);
    console.log(`two-processes: held run answered ${elapsed} ms after it was sent`);
  }, 60_000);
});
