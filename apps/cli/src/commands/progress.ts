// The live display of `eyeball run --wait` on stderr: one redrawn line on a terminal, plain lines otherwise.
import { createLogUpdate } from "log-update";

import { type EyeballClient, type RunhumanJob } from "@eyeball/sdk";

/** The default price, for the running estimate while a tester works (the final cost is the server's). */
const MICROS_PER_SECOND = 1800;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Where the display goes: stderr, so stdout stays the JSON result. */
export type ProgressSink = NodeJS.WritableStream & { columns?: number };

export interface Progress {
  created(jobId: string, apiBase: string): void;
  update(job: RunhumanJob): void;
  finish(job: RunhumanJob): void;
  stop(): void;
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes)}:${String(seconds).padStart(2, "0")}`;
}

/** Exact USD from micro-dollars, without binary rounding (1800 → "0.0018"). */
export function formatUsdMicros(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `$${String(whole)}${fraction ? `.${fraction.padEnd(2, "0")}` : ".00"}`;
}

interface State {
  jobId?: string;
  link?: string;
  status: string;
  tester?: string;
  startedAt: number;
  workingSince?: number;
}

function describe(state: State, now: number): string {
  const parts = [state.status];
  if (state.tester) parts.push(`tester ${state.tester}`);
  parts.push(`elapsed ${formatElapsed(now - state.startedAt)}`);
  if (state.workingSince !== undefined) {
    const seconds = Math.ceil((now - state.workingSince) / 1000);
    parts.push(`cost ≈ ${formatUsdMicros(seconds * MICROS_PER_SECOND)}`);
  }
  return parts.join(" · ");
}

function finalLine(job: RunhumanJob, state: State, now: number): string {
  const verdict =
    job.status === "completed" ? (job.result?.success ? "passed" : "failed") : `ended ${job.status}`;
  const parts = [verdict, `elapsed ${formatElapsed(now - state.startedAt)}`];
  if (job.testerAlias) parts.push(`tester ${job.testerAlias}`);
  if (job.costUsd !== undefined) parts.push(`cost $${String(job.costUsd)}`);
  if (job.result?.explanation) parts.push(job.result.explanation);
  return parts.join(" · ");
}

export function createProgress(
  style: "tty" | "plain" | "none",
  sink: ProgressSink,
  client: EyeballClient,
  now: () => number = Date.now,
): Progress {
  const state: State = { status: "creating", startedAt: now() };
  if (style === "none") {
    return {
      created: () => undefined,
      update: () => undefined,
      finish: () => undefined,
      stop: () => undefined,
    };
  }

  /** Tester alias and claim time come from the Instahuman view; best effort, never fails the run. */
  async function learnTester(jobId: string): Promise<void> {
    try {
      const details = await client.jobs.details(jobId);
      const slot = details.assignments.find((a) => a.tester !== null && !a.replaced);
      if (slot?.tester) state.tester = slot.tester.alias;
      if (slot?.claimedAt) state.workingSince = Date.parse(slot.claimedAt);
    } catch {
      // The display only; the wait goes on.
    }
  }

  if (style === "plain") {
    const line = (text: string) => {
      sink.write(`[${formatElapsed(now() - state.startedAt)}] ${text}\n`);
    };
    return {
      created(jobId, apiBase) {
        state.jobId = jobId;
        line(`created job ${jobId} — ${apiBase.replace(/\/api$/, "")}/jobs/${jobId}`);
      },
      update(job) {
        state.status = job.status;
        if (job.status === "working") {
          void learnTester(job.id).then(() => {
            line(`working${state.tester ? ` — tester ${state.tester}` : ""}`);
          });
          return;
        }
        if (job.status !== "completed") line(job.status);
      },
      finish(job) {
        line(finalLine(job, state, now()));
      },
      stop: () => undefined,
    };
  }

  const render = createLogUpdate(sink);
  let frame = 0;
  const draw = () => {
    frame = (frame + 1) % SPINNER.length;
    render(`${SPINNER[frame] ?? ""} ${state.jobId ?? ""} ${describe(state, now())}`);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    created(jobId, apiBase) {
      state.jobId = jobId;
      state.link = `${apiBase.replace(/\/api$/, "")}/jobs/${jobId}`;
      render.clear();
      sink.write(`Job ${jobId}: ${state.link}\n`);
      draw();
    },
    update(job) {
      state.status = job.status;
      if (job.status === "working") void learnTester(job.id).then(draw);
      draw();
    },
    finish(job) {
      clearInterval(timer);
      render.clear();
      sink.write(
        `${job.status === "completed" && job.result?.success ? "✔" : "✖"} ${finalLine(job, state, now())}\n`,
      );
    },
    stop() {
      clearInterval(timer);
      render.done();
    },
  };
}
