// A Vitest reporter that notices a run which has stopped making progress (a worker stuck in a CPU-bound loop blocks
// its own timers, so testTimeout never fires) and ends it, naming the files still running and the last test seen.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Exit code of a run the watchdog ended; scripts/test-all.sh reruns such a package once. */
export const WATCHDOG_EXIT_CODE = 75;

export class WatchdogReporter {
  /** @param {{ silenceMs: number, reportFile: string }} options */
  constructor(options) {
    this.silenceMs = options.silenceMs;
    this.reportFile = options.reportFile;
    /** @type {Map<string, number>} module id → start time */
    this.running = new Map();
    this.lastTest = null;
    this.lastActivity = Date.now();
    this.timer = null;
  }

  onInit() {
    this.timer = setInterval(() => this.check(), Math.min(this.silenceMs, 10_000));
    this.timer.unref();
  }

  touch(what) {
    this.lastActivity = Date.now();
    if (what) this.lastTest = what;
  }

  onTestModuleStart(module) {
    this.running.set(module.moduleId, Date.now());
    this.touch();
  }
  onTestModuleEnd(module) {
    this.running.delete(module.moduleId);
    this.touch();
  }
  onTestCaseReady(test) {
    this.touch(`${test.module.moduleId} › ${test.fullName}`);
  }
  onTestCaseResult(test) {
    this.touch(`${test.module.moduleId} › ${test.fullName}`);
  }
  onHookStart() {
    this.touch();
  }
  onHookEnd() {
    this.touch();
  }
  onTestRunEnd() {
    if (this.timer) clearInterval(this.timer);
  }

  check() {
    const silent = Date.now() - this.lastActivity;
    if (silent < this.silenceMs || this.running.size === 0) return;
    const report = {
      silentMs: silent,
      running: [...this.running.keys()].map((file) => path.relative(process.cwd(), file)),
      lastTest: this.lastTest && path.relative(process.cwd(), this.lastTest),
    };
    const lines = [
      "",
      `WATCHDOG: no test progress for ${Math.round(silent / 1000)} s; ending this run.`,
      `  still running: ${report.running.join(", ")}`,
      `  last test seen: ${report.lastTest ?? "(none)"}`,
      "",
    ];
    process.stderr.write(lines.join("\n"));
    try {
      mkdirSync(path.dirname(this.reportFile), { recursive: true });
      writeFileSync(this.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      process.exit(WATCHDOG_EXIT_CODE);
    }
  }
}
