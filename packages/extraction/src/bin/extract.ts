// `pnpm extract`: reads extraction cases as JSON lines on stdin and prints one result line per case on stdout.
import { createInterface } from "node:readline";

import { ExtractionConfigError, loadExtractionConfig } from "../config";
import { LlmExtractionError } from "../llm/errors";
import { createConfiguredExtractor } from "../select";
import { runExtraction } from "./extract-lines";

function log(message: string): void {
  process.stderr.write(`[extract] ${message}\n`);
}

async function main(): Promise<number> {
  // A reader that goes away (EPIPE) must not crash the run with an unhandled error event.
  process.stdout.on("error", (error: Error) => {
    log(`stdout: ${error.message}`);
    process.exitCode = 1;
  });
  let config;
  try {
    config = loadExtractionConfig(process.env);
  } catch (error) {
    if (error instanceof ExtractionConfigError) {
      log(error.message);
      return 2;
    }
    throw error;
  }
  const extractor = createConfiguredExtractor(config, {
    onFallback: (error) => {
      const reason = error instanceof LlmExtractionError ? `${error.code}: ${error.message}` : String(error);
      log(`LLM extraction failed (${reason}); used the built-in extractor`);
    },
  });
  log(`extractor ${extractor.name}, concurrency ${config.concurrency}`);

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const summary = await runExtraction({
    lines,
    extractor,
    concurrency: config.concurrency,
    write: (line) => process.stdout.write(`${line}\n`),
    log,
  });
  log(`${summary.cases} case(s), ${summary.failed} not extracted`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
