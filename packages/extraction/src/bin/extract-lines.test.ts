// The command's core: input order kept under concurrency, bounded in-flight cases, and a line for every bad case.
import { describe, expect, it } from "vitest";

import { finalizeExtraction } from "../finalize";
import type { ExtractionInput, ExtractionResult, Extractor } from "../types";
import { parseCaseLine, runExtraction, type OutputLine } from "./extract-lines";

async function* linesOf(lines: string[]): AsyncIterable<string> {
  for (const line of lines) {
    await Promise.resolve();
    yield line;
  }
}

function caseLine(id: string, testerResponse = `Checked ${id}. done`): string {
  return JSON.stringify({
    id,
    outputSchema: { ok: { type: "boolean", description: "Whether it worked" } },
    testerResponse,
    expected: { final: true, status: "completed", success: true, data: { ok: true } },
  });
}

/** An extractor whose answers the test releases by hand, in any order. */
function manualExtractor() {
  const waiting = new Map<string, (result: ExtractionResult) => void>();
  const seen: ExtractionInput[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const extractor: Extractor = {
    name: "manual",
    extract: (input) =>
      new Promise((resolve) => {
        seen.push(input);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        waiting.set(input.testerResponse, (result) => {
          inFlight -= 1;
          resolve(result);
        });
      }),
  };
  const release = (input: ExtractionInput) =>
    waiting.get(input.testerResponse)?.(finalizeExtraction(input, { ok: true }, "ok"));
  return { extractor, waiting, seen, release, maxInFlight: () => maxInFlight };
}

describe("runExtraction", () => {
  it("writes lines in input order when answers arrive out of order, with at most `concurrency` in flight", async () => {
    const manual = manualExtractor();
    const written: string[] = [];
    const ids = ["c1", "c2", "c3", "c4", "c5"];
    const run = runExtraction({
      lines: linesOf(ids.map((id) => caseLine(id))),
      extractor: manual.extractor,
      concurrency: 2,
      write: (line) => written.push(line),
      log: () => undefined,
    });
    // Release whatever is waiting, newest first, until the run ends.
    let finished = false;
    void run.then(() => (finished = true));
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const input of [...manual.seen].reverse()) manual.release(input);
    }

    expect(await run).toEqual({ cases: 5, failed: 0 });
    expect(written.map((line) => (JSON.parse(line) as OutputLine).id)).toEqual(ids);
    expect(manual.maxInFlight()).toBeLessThanOrEqual(2);
    expect(manual.maxInFlight()).toBe(2);
  });

  it("gives a malformed line its own error line, logs it, and carries on", async () => {
    const extractor: Extractor = {
      name: "echo",
      extract: (input) => Promise.resolve(finalizeExtraction(input, { ok: true }, "fine")),
    };
    const written: string[] = [];
    const logged: string[] = [];
    const summary = await runExtraction({
      lines: linesOf([
        caseLine("a"),
        "{not json",
        "",
        caseLine("c"),
        JSON.stringify({ id: "d", testerResponse: 4 }),
      ]),
      extractor,
      concurrency: 4,
      write: (line) => written.push(line),
      log: (message) => logged.push(message),
    });

    expect(summary).toEqual({ cases: 4, failed: 2 });
    const out = written.map((line) => JSON.parse(line) as OutputLine);
    expect(out.map((line) => line.id)).toEqual(["a", "line-2", "c", "d"]);
    expect(out[0]).toEqual({
      id: "a",
      final: true,
      status: "completed",
      result: { success: true, explanation: "fine", data: { ok: true } },
    });
    expect(out[1]).toMatchObject({ final: false, status: "not_final", result: { success: false, data: {} } });
    expect(out[1]!.error).toContain("not valid JSON");
    expect(out[3]!.error).toContain("testerResponse must be a string");
    expect(logged.join("\n")).toMatch(/line 2 \(line-2\): not valid JSON[\s\S]*line 5 \(d\): invalid case/);
  });

  it("turns an extractor failure into an error line for that case only", async () => {
    const extractor: Extractor = {
      name: "flaky",
      extract: (input) =>
        input.testerResponse.includes("boom")
          ? Promise.reject(new Error("boom"))
          : Promise.resolve(finalizeExtraction(input, { ok: false }, "fine")),
    };
    const written: string[] = [];
    await runExtraction({
      lines: linesOf([caseLine("a", "boom done"), caseLine("b")]),
      extractor,
      concurrency: 2,
      write: (line) => written.push(line),
      log: () => undefined,
    });
    const out = written.map((line) => JSON.parse(line) as OutputLine);
    expect(out[0]).toMatchObject({
      id: "a",
      status: "not_final",
      error: "extraction failed: boom",
      result: { data: { ok: null } },
    });
    expect(out[1]).toMatchObject({ id: "b", status: "completed", result: { data: { ok: false } } });
  });
});

describe("parseCaseLine", () => {
  it("ignores expected and unknown keys, and reads optional rules and repo context", () => {
    const parsed = parseCaseLine(
      JSON.stringify({
        id: "x",
        testerResponse: "hi",
        additionalValidationInstructions: "be strict",
        repoContext: "# App",
        expected: {},
      }),
      1,
    );
    expect(parsed).toEqual({
      ok: true,
      id: "x",
      input: {
        outputSchema: undefined,
        testerResponse: "hi",
        additionalValidationInstructions: "be strict",
        repoContext: "# App",
      },
    });
  });

  it("names the problem with a bad schema and keeps the field names for the null data", () => {
    const parsed = parseCaseLine(
      JSON.stringify({
        id: "x",
        outputSchema: { "bad name": { type: "boolean", description: "d" } },
        testerResponse: "hi",
      }),
      3,
    );
    expect(parsed).toMatchObject({ ok: false, id: "x", fieldNames: ["bad name"] });
    expect(!parsed.ok && parsed.error).toContain("field names must be identifiers");
    expect(parseCaseLine("[1,2]", 7)).toMatchObject({
      ok: false,
      id: "line-7",
      error: "a case must be a JSON object",
    });
  });
});
