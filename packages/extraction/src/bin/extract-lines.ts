// The extract command's core: JSON-lines cases in, one result line per case out, in input order, with bounded concurrency.
import { type ExtractedData, outputSchemaSchema } from "@eyeball/core";
import { z } from "zod";

import type { ExtractionInput, ExtractionResult, ExtractionStatus, Extractor } from "../types";

/** One output line, as the contract's section 3 describes it; `error` only when the case could not be extracted. */
export interface OutputLine {
  id: string;
  final: boolean;
  status: ExtractionStatus;
  result: ExtractionResult["result"];
  error?: string;
}

const optionalString = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .nullish()
    .transform((value) => value ?? undefined);

const caseSchema = z.looseObject({
  id: z.string({ error: "id must be a string" }).min(1, "id must not be empty"),
  outputSchema: outputSchemaSchema.nullish().transform((value) => value ?? undefined),
  testerResponse: z.string({ error: "testerResponse must be a string" }),
  additionalValidationInstructions: optionalString("additionalValidationInstructions"),
  repoContext: optionalString("repoContext"),
});

export type ParsedLine =
  | { ok: true; id: string; input: ExtractionInput }
  | { ok: false; id: string; error: string; fieldNames: string[] };

function describeIssue(issue: z.core.$ZodIssue): string {
  // A bad record key only says "Invalid key in record"; the reason (e.g. the field-name rule) is nested.
  const detail =
    issue.code === "invalid_key" ? `: ${issue.issues.map((inner) => inner.message).join(", ")}` : "";
  const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}${detail}`;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map(describeIssue).join("; ");
}

/** Parses one input line; `expected` and other unknown keys are ignored. `position` names cases without an id. */
export function parseCaseLine(line: string, position: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, id: `line-${position}`, error: `not valid JSON: ${reason}`, fieldNames: [] };
  }
  const record =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const rawId = record?.id;
  const id =
    typeof rawId === "string" && rawId !== ""
      ? rawId
      : typeof rawId === "number"
        ? String(rawId)
        : `line-${position}`;
  if (!record) return { ok: false, id, error: "a case must be a JSON object", fieldNames: [] };

  const parsed = caseSchema.safeParse(record);
  if (!parsed.success) {
    const schema = record.outputSchema;
    const fieldNames =
      typeof schema === "object" && schema !== null && !Array.isArray(schema) ? Object.keys(schema) : [];
    return { ok: false, id, error: `invalid case: ${describeIssues(parsed.error)}`, fieldNames };
  }
  const { outputSchema, testerResponse, additionalValidationInstructions, repoContext } = parsed.data;
  return {
    ok: true,
    id,
    input: { outputSchema, testerResponse, additionalValidationInstructions, repoContext },
  };
}

/** The line for a case that could not be extracted: never final or successful, every field null. */
export function errorLine(id: string, error: string, fieldNames: string[]): OutputLine {
  const data: ExtractedData = {};
  for (const name of fieldNames) data[name] = null;
  return {
    id,
    final: false,
    status: "not_final",
    result: { success: false, explanation: `Not extracted: ${error}`, data },
    error,
  };
}

export interface RunOptions {
  lines: AsyncIterable<string>;
  extractor: Extractor;
  /** Cases extracted at the same time; output order does not depend on it. */
  concurrency: number;
  write: (line: string) => void;
  log: (message: string) => void;
}

export interface RunSummary {
  cases: number;
  failed: number;
}

async function extractLine(
  raw: string,
  lineNumber: number,
  extractor: Extractor,
  log: (m: string) => void,
): Promise<OutputLine> {
  const parsed = parseCaseLine(raw, lineNumber);
  if (!parsed.ok) {
    log(`line ${lineNumber} (${parsed.id}): ${parsed.error}`);
    return errorLine(parsed.id, parsed.error, parsed.fieldNames);
  }
  try {
    const { final, status, result } = await extractor.extract(parsed.input);
    return { id: parsed.id, final, status, result };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`line ${lineNumber} (${parsed.id}): extraction failed: ${reason}`);
    return errorLine(parsed.id, `extraction failed: ${reason}`, Object.keys(parsed.input.outputSchema ?? {}));
  }
}

/**
 * Extracts every non-blank line and writes one JSON line per case in input order. A case that fails (bad JSON, bad
 * schema, extractor error) still gets its line, with an `error` field; nothing here throws for one bad case.
 */
export async function runExtraction({
  lines,
  extractor,
  concurrency,
  write,
  log,
}: RunOptions): Promise<RunSummary> {
  const done = new Map<number, OutputLine>();
  const inFlight = new Set<Promise<void>>();
  let nextToWrite = 0;
  let cases = 0;
  let failed = 0;
  let lineNumber = 0;

  const flush = () => {
    for (let line = done.get(nextToWrite); line !== undefined; line = done.get(nextToWrite)) {
      done.delete(nextToWrite);
      if (line.error !== undefined) failed += 1;
      write(JSON.stringify(line));
      nextToWrite += 1;
    }
  };

  for await (const raw of lines) {
    lineNumber += 1;
    if (raw.trim() === "") continue; // blank lines (e.g. a trailing newline) are not cases
    const index = cases;
    cases += 1;
    const task = extractLine(raw, lineNumber, extractor, log).then((line) => {
      done.set(index, line);
      flush();
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= Math.max(1, concurrency)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  flush();
  return { cases, failed };
}
