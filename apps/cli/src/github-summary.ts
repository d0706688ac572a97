// `eyeball run --wait --github`: the job summary (Markdown) and step outputs a GitHub Actions workflow reads.
import { appendFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

import { type RunhumanJob } from "@eyeball/sdk";

export interface GithubFiles {
  /** $GITHUB_STEP_SUMMARY: Markdown appended to the run's summary page. */
  summaryFile?: string;
  /** $GITHUB_OUTPUT: `name=value` (or heredoc) lines, the step's outputs. */
  outputFile?: string;
}

function escapeCell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "_no answer_";
  if (typeof value === "string") return escapeCell(value);
  return escapeCell("`" + JSON.stringify(value) + "`");
}

/** The summary: verdict, the result's fields, cost and duration, tester, links to the job and its recording. */
export function renderSummary(job: RunhumanJob, jobUrl: string): string {
  const passed = job.status === "completed" && job.result?.success === true;
  const verdict = passed ? "✅ Passed" : job.status === "completed" ? "❌ Failed" : `⚠️ Ended ${job.status}`;
  const lines = [`## Eyeball test: ${verdict}`, ""];
  if (job.result?.explanation) lines.push(`> ${job.result.explanation.replace(/\r?\n/g, "\n> ")}`, "");
  const data = job.result?.data ?? {};
  if (Object.keys(data).length > 0) {
    lines.push("| Field | Answer |", "| --- | --- |");
    for (const [field, value] of Object.entries(data))
      lines.push(`| ${escapeCell(field)} | ${cell(value)} |`);
    lines.push("");
  }
  const facts = [`**Status** ${job.status}`];
  if (job.costUsd !== undefined) facts.push(`**Cost** $${String(job.costUsd)}`);
  if (job.testDurationSeconds !== undefined && job.testDurationSeconds !== null) {
    facts.push(`**Working time** ${String(job.testDurationSeconds)} s`);
  }
  if (job.testerAlias) facts.push(`**Tester** ${escapeCell(job.testerAlias)}`);
  lines.push(facts.join(" · "), "");
  const links = [`[Job ${job.id}](${jobUrl})`];
  if (job.testerData?.videoUrl) links.push(`[Recording](${job.testerData.videoUrl})`);
  for (const [index, shot] of (job.testerData?.screenshots ?? []).entries()) {
    links.push(`[Screenshot ${String(index + 1)}](${shot})`);
  }
  lines.push(links.join(" · "), "");
  if (job.testerResponse) {
    lines.push(
      "<details><summary>The tester's words</summary>",
      "",
      job.testerResponse,
      "",
      "</details>",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** One output; multi-line values use the heredoc form GitHub documents, with a random delimiter. */
function output(name: string, value: string): string {
  if (!value.includes("\n")) return `${name}=${value}\n`;
  const delimiter = `EYEBALL_${randomBytes(8).toString("hex")}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export function writeGithubFiles(job: RunhumanJob, jobUrl: string, files: GithubFiles): void {
  if (files.summaryFile) appendFileSync(files.summaryFile, renderSummary(job, jobUrl));
  if (files.outputFile) {
    const passed = job.status === "completed" && job.result?.success === true;
    appendFileSync(
      files.outputFile,
      output("job-id", job.id) +
        output("status", job.status) +
        output("success", String(passed)) +
        output("cost-usd", job.costUsd === undefined ? "" : String(job.costUsd)) +
        output("job-url", jobUrl) +
        output("result", JSON.stringify(job.result ?? null)),
    );
  }
}

/** `--timeout` passed first: the summary and outputs still name the job, which goes on. */
export function writeGithubTimeout(jobId: string, status: string, jobUrl: string, files: GithubFiles): void {
  if (files.summaryFile) {
    appendFileSync(
      files.summaryFile,
      `## Eyeball test: ⏱️ Still ${status} when the wait ended\n\nThe job goes on: [Job ${jobId}](${jobUrl})\n\n`,
    );
  }
  if (files.outputFile) {
    appendFileSync(
      files.outputFile,
      output("job-id", jobId) +
        output("status", status) +
        output("success", "false") +
        output("job-url", jobUrl),
    );
  }
}
