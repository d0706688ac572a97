// Test harness for the job-side services: real database, ledger and event bus, a recording queue, a manual clock.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Database } from "@eyeball/db";
import { type Extractor, createBuiltinExtractor } from "@eyeball/extraction";

import { type Actor } from "../../../actor";
import { createAccessServices } from "../../../app-services";
import { type ContextServices } from "../../../context";
import { ManualClock } from "../../../clock";
import { apiConfig, type ApiConfig } from "../../../config";
import { type ArtifactStore, createLocalArtifactStore } from "../../artifacts";
import { createServices, type Services } from "../../index";
import { createProjectsService } from "../../projects";
import { createUsageService } from "../../usage";
import { type SandboxBrowser } from "../../sandbox";
import { type Db, type ServiceDeps } from "../../types";
import { QUEUES } from "../queue-names";
import { createEventBus, type EyeballEventBus } from "../../events";
import { createLedger } from "../../ledger";
import { createRecordingQueue, type RecordingQueue } from "./recording-queue";

export interface TestOrg {
  orgId: string;
  live: Extract<Actor, { kind: "apiKey" }>;
  test: Extract<Actor, { kind: "apiKey" }>;
  owner: Extract<Actor, { kind: "user" }>;
}

export interface Harness {
  db: Db;
  clock: ManualClock;
  queue: RecordingQueue;
  config: ApiConfig;
  deps: ServiceDeps;
  services: Services;
  /** Everything a tRPC or REST context reaches: access services, job side, events and projects. */
  contextServices: ContextServices;
  /** The artifacts folder of this harness (a new temporary folder). */
  artifactStore: ArtifactStore;
  /** A new organisation with live credit (default $100), a live key, a test key and an owner. */
  newOrg(options?: { creditMicros?: bigint; rateOverrideMicrosPerSecond?: bigint }): Promise<TestOrg>;
  /** A new real (non-sandbox) tester; returns its TesterProfile id. */
  newTester(): Promise<string>;
  /** Runs every queued extraction, as the worker would. */
  runExtractions(): Promise<void>;
  /** What the workers do for a test-mode job: claim after claimDelayMs, work after workDurationMs, extract. */
  runSandbox(jobId: string): Promise<void>;
  /** Stops the event bus (call before the database closes). */
  close(): Promise<void>;
}

export async function createHarness(
  database: Database,
  options: { config?: Partial<ApiConfig>; extractor?: Extractor; sandboxBrowser?: SandboxBrowser } = {},
): Promise<Harness> {
  const db = database.prisma;
  const events: EyeballEventBus = createEventBus(database);
  await events.start();
  const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  const queue = createRecordingQueue();
  const config = apiConfig({
    sandbox: { enabled: true, claimDelayMs: 500, workDurationMs: 1500 },
    ...options.config,
  });
  const deps: ServiceDeps = {
    db,
    clock,
    config,
    ledger: createLedger(db),
    events,
    queue,
    extractor: options.extractor ?? createBuiltinExtractor(),
  };
  const artifactStore = createLocalArtifactStore(mkdtempSync(path.join(tmpdir(), "eyeball-artifacts-")));
  const services = createServices({
    ...deps,
    credentialsKey: randomBytes(32),
    artifactStore,
    sandboxBrowser: options.sandboxBrowser ?? null,
  });

  async function apiKey(orgId: string, mode: "live" | "test") {
    const row = await db.apiKey.create({
      data: { orgId, name: `${mode} key`, prefix: `eb_${mode}_x`, hash: randomUUID(), mode },
    });
    return { kind: "apiKey" as const, orgId, apiKeyId: row.id, mode };
  }

  async function runExtractions(): Promise<void> {
    for (const message of queue.take(QUEUES.extract)) {
      await services.tester.extract(message.data.assignmentId as string);
    }
  }

  return {
    db,
    clock,
    queue,
    config,
    deps,
    services,
    contextServices: {
      db,
      clock,
      config,
      ...createAccessServices({ db, clock }),
      ...services,
      events,
      projects: createProjectsService({ db, clock, config }),
      usage: createUsageService({ db }),
    },
    artifactStore,
    async newOrg({ creditMicros = 100_000_000n, rateOverrideMicrosPerSecond } = {}) {
      const slug = `org-${randomUUID()}`;
      const org = await db.organization.create({
        data: { slug, name: slug, rateOverrideMicrosPerSecond: rateOverrideMicrosPerSecond ?? null },
      });
      const user = await db.user.create({ data: { email: `${slug}@example.test`, name: "Owner" } });
      await db.membership.create({ data: { userId: user.id, orgId: org.id, role: "owner" } });
      if (creditMicros > 0n)
        await deps.ledger.grantCredits({ orgId: org.id, mode: "live", micros: creditMicros });
      return {
        orgId: org.id,
        live: await apiKey(org.id, "live"),
        test: await apiKey(org.id, "test"),
        owner: { kind: "user", userId: user.id, orgId: org.id, isAdmin: false },
      };
    },
    async newTester() {
      const id = randomUUID();
      const user = await db.user.create({
        data: {
          email: `tester-${id}@example.test`,
          name: "Tester",
          testerProfile: { create: { alias: `Tester ${id.slice(0, 4)}`, color: "#4A90E2" } },
        },
        include: { testerProfile: true },
      });
      if (!user.testerProfile) throw new Error("tester profile not created");
      return user.testerProfile.id;
    },
    close: () => events.stop(),
    runExtractions,
    async runSandbox(jobId) {
      for (let round = 0; round < 10; round++) {
        if (queue.take(QUEUES.sandboxClaim, (d) => d.jobId === jobId).length === 0) return;
        clock.advance(config.sandbox.claimDelayMs);
        await services.sandbox.claim(jobId);
        const works = queue.take(QUEUES.sandboxWork);
        clock.advance(config.sandbox.workDurationMs);
        for (const work of works) await services.sandbox.work(work.data.assignmentId as string);
        await runExtractions();
      }
    },
  };
}
