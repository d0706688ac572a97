// The simulated tester for test-mode jobs: claims open slots, then submits, abandons or rejects like a person would.
import { isDomainError, isTerminalJobStatus, type OutputSchema } from "@eyeball/core";

import { sendAfterCommit } from "../jobs/after-commit";
import { QUEUES } from "../jobs/queue-names";
import { type TesterService } from "../tester/tester-service";
import { type ArtifactsService } from "../artifacts/artifacts-service";
import { timelineText } from "../artifacts/timeline";
import { type ServiceDeps } from "../types";
import { type SandboxBrowser } from "./sandbox-browser";
import { sandboxScenario } from "./magic-words";
import { incompleteSandboxResponse, sandboxResponse } from "./sandbox-response";
import { sandboxTester } from "./sandbox-testers";

/** Sandbox testers tried per job: every slot plus every reopen fits well below this. */
const MAX_SANDBOX_TESTERS = 200;
export const SANDBOX_REJECT_REASON =
  "The instructions cannot be followed on this site (sandbox [sandbox:reject]).";

export interface SandboxService {
  /** Worker `sandbox.claim`: claims every open slot of a test-mode job; returns the assignment ids. */
  claim(jobId: string): Promise<string[]>;
  /** Worker `sandbox.work`: finishes a sandbox tester's slot through the tester service. */
  work(assignmentId: string): Promise<void>;
  /** Re-enqueues sandbox claims and work the stored state says are due. */
  reconcile(): Promise<{ claims: number; works: number }>;
}

export interface SandboxServiceOptions {
  artifacts: ArtifactsService;
  /** Without a browser the sandbox still answers, with no recording. */
  browser: SandboxBrowser | null;
  /** Where a failed visit is reported (default stderr); the job goes on without a recording. */
  onError?: (error: unknown) => void;
}

export function createSandboxService(
  deps: ServiceDeps,
  tester: TesterService,
  options: SandboxServiceOptions,
): SandboxService {
  const { db, config, queue } = deps;
  const { artifacts, browser } = options;
  const report =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `eyeball sandbox: visiting the page failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });

  /** Visits the page at the job's screen size and stores what a recorder would: screenshots and the timeline. */
  async function recordVisit(
    assignmentId: string,
    job: { url: string; screenWidth: number; screenHeight: number },
  ) {
    if (!browser) return;
    try {
      const visit = await browser.visit({ url: job.url, width: job.screenWidth, height: job.screenHeight });
      for (const shot of visit.screenshots) {
        await artifacts.put({
          assignmentId,
          kind: "screenshot",
          contentType: "image/png",
          data: shot.png,
          capturedAt: shot.takenAt,
        });
      }
      const timelines = [
        ["console", visit.consoleMessages],
        ["network", visit.networkRequests],
        ["clicks", visit.clicks],
      ] as const;
      for (const [kind, entries] of timelines) {
        if (entries.length === 0) continue;
        const data = Buffer.from(timelineText(entries), "utf8");
        await artifacts.put({ assignmentId, kind, contentType: "application/x-ndjson", data });
      }
    } catch (error) {
      report(error);
    }
  }

  async function scheduleWork(assignmentId: string): Promise<void> {
    await sendAfterCommit(
      queue,
      QUEUES.sandboxWork,
      { assignmentId },
      { delayMs: config.sandbox.workDurationMs },
    );
  }

  return {
    async claim(jobId) {
      if (!config.sandbox.enabled) return [];
      const job = await db.job.findUnique({ where: { id: jobId }, include: { assignments: true } });
      if (!job || job.mode !== "test" || isTerminalJobStatus(job.status) || job.control !== "active")
        return [];
      const onJob = new Set(job.assignments.map((slot) => slot.testerId));
      let open = job.assignments.filter((slot) => slot.status === "open").length;
      const claimed: string[] = [];
      for (let index = 0; open > 0 && index < MAX_SANDBOX_TESTERS; index++) {
        const profile = await sandboxTester(db, job.orgId, index);
        if (onJob.has(profile.id)) continue;
        try {
          const result = await tester.claim(profile.id, jobId);
          claimed.push(result.assignment.id);
          open--;
        } catch (error) {
          // Paused, stopped or fully claimed meanwhile: nothing left for the sandbox to do now.
          if (isDomainError(error) && (error.code === "INVALID_TRANSITION" || error.code === "CONFLICT"))
            break;
          throw error;
        }
      }
      for (const assignmentId of claimed) await scheduleWork(assignmentId);
      return claimed;
    },

    async work(assignmentId) {
      const slot = await db.assignment.findUnique({
        where: { id: assignmentId },
        include: { job: true, tester: true },
      });
      if (!slot?.testerId || slot.status !== "working" || !slot.tester?.isSandbox || slot.job.mode !== "test")
        return;
      const { job } = slot;
      const schema = (job.outputSchema ?? null) as OutputSchema | null;
      const scenario = sandboxScenario(job.description);
      // A person who abandons leaves nothing worth keeping; everyone else has looked at the page.
      if (scenario !== "abandon") await recordVisit(assignmentId, job);
      switch (scenario) {
        case "abandon":
          await tester.abandon(slot.testerId, assignmentId);
          return;
        case "reject":
          await tester.reject(slot.testerId, assignmentId, SANDBOX_REJECT_REASON);
          return;
        case "incomplete":
          await tester.submit(slot.testerId, assignmentId, incompleteSandboxResponse(job.url, schema));
          return;
        case "error":
        case "complete":
          // `[sandbox:error]` submits a good response; its extraction is what fails (sandbox-extractor.ts).
          await tester.submit(slot.testerId, assignmentId, sandboxResponse(job.url, schema));
          return;
      }
    },

    async reconcile() {
      if (!config.sandbox.enabled) return { claims: 0, works: 0 };
      const waiting = await db.job.findMany({
        where: {
          mode: "test",
          status: { in: ["pending", "waiting", "working"] },
          control: "active",
          assignments: { some: { status: "open" } },
        },
        select: { id: true },
      });
      for (const { id } of waiting) {
        await sendAfterCommit(
          queue,
          QUEUES.sandboxClaim,
          { jobId: id },
          { delayMs: config.sandbox.claimDelayMs },
        );
      }
      const working = await db.assignment.findMany({
        where: { status: "working", tester: { isSandbox: true }, job: { mode: "test" } },
        select: { id: true },
      });
      for (const { id } of working) await scheduleWork(id);
      return { claims: waiting.length, works: working.length };
    },
  };
}
