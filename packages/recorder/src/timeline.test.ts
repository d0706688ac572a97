import type { Protocol } from "devtools-protocol";
import { describe, expect, it } from "vitest";

import {
  clickEntryFromPayload,
  consoleEntryFromApiCall,
  consoleEntryFromException,
  consoleEntryFromLog,
  formatRemoteObject,
  isRecordedUrl,
  networkEntryFromRequest,
} from "./timeline";

const T = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

describe("console entries", () => {
  it("joins the arguments as DevTools prints them, with CDP's epoch-ms time", () => {
    const event = {
      type: "log",
      timestamp: T,
      executionContextId: 1,
      args: [
        { type: "string", value: "hello" },
        { type: "number", value: 42, description: "42" },
        { type: "number", unserializableValue: "-0", description: "-0" },
        { type: "undefined" },
        { type: "object", subtype: "null", value: null },
        {
          type: "object",
          className: "Object",
          description: "Object",
          preview: {
            type: "object",
            overflow: false,
            properties: [{ name: "a", type: "number", value: "1" }],
          },
        },
        {
          type: "object",
          subtype: "array",
          className: "Array",
          description: "Array(2)",
          preview: {
            type: "object",
            subtype: "array",
            overflow: true,
            properties: [
              { name: "0", type: "string", value: "x" },
              { name: "1", type: "number", value: "2" },
            ],
          },
        },
        { type: "function", className: "Function", description: "() => 1" },
      ],
    } as Protocol.Runtime.ConsoleAPICalledEvent;
    expect(consoleEntryFromApiCall(event)).toEqual({
      type: "log",
      message: 'hello 42 -0 undefined null {a: 1} ["x", 2, …] () => 1',
      timestamp: "2025-01-02T03:04:05.678Z",
    });
  });

  it("reports uncaught exceptions as errors with their description", () => {
    const event = {
      timestamp: T,
      exceptionDetails: {
        exceptionId: 1,
        text: "Uncaught",
        lineNumber: 1,
        columnNumber: 1,
        exception: {
          type: "object",
          subtype: "error",
          className: "Error",
          description: "Error: boom\n    at x.js:1:1",
        },
      },
    } as Protocol.Runtime.ExceptionThrownEvent;
    expect(consoleEntryFromException(event)).toEqual({
      type: "error",
      message: "Uncaught Error: boom\n    at x.js:1:1",
      timestamp: "2025-01-02T03:04:05.678Z",
    });
  });

  it("keeps browser warnings and errors from the Log domain, not verbose ones", () => {
    const entry = (level: Protocol.Log.LogEntry["level"]): Protocol.Log.EntryAddedEvent => ({
      entry: { source: "network", level, text: "Failed to load resource", url: "http://x/y", timestamp: T },
    });
    expect(consoleEntryFromLog(entry("error"))).toEqual({
      type: "error",
      message: "Failed to load resource (http://x/y)",
      timestamp: "2025-01-02T03:04:05.678Z",
    });
    expect(consoleEntryFromLog(entry("warning"))?.type).toBe("warning");
    expect(consoleEntryFromLog(entry("verbose"))).toBeNull();
    expect(consoleEntryFromLog(entry("info"))).toBeNull();
  });

  it("clips very long messages", () => {
    expect(formatRemoteObject({ type: "string", value: "x".repeat(20) })).toHaveLength(20);
    const long = consoleEntryFromApiCall({
      type: "log",
      timestamp: T,
      executionContextId: 1,
      args: [{ type: "string", value: "x".repeat(20_000) }],
    });
    expect(long.message.length).toBeLessThanOrEqual(10_001);
  });
});

describe("network entries", () => {
  it("takes url, method and wall time (seconds)", () => {
    const event = {
      requestId: "1",
      request: { url: "http://x/a", method: "POST" },
      wallTime: T / 1000,
    } as Protocol.Network.RequestWillBeSentEvent;
    expect(networkEntryFromRequest(event)).toEqual({
      url: "http://x/a",
      method: "POST",
      timestamp: "2025-01-02T03:04:05.678Z",
    });
  });

  it("skips data: and blob: URLs", () => {
    expect(isRecordedUrl("data:image/png;base64,AA")).toBe(false);
    expect(isRecordedUrl("blob:http://x/1")).toBe(false);
    expect(isRecordedUrl("https://x/data:1")).toBe(true);
  });
});

describe("click entries", () => {
  it("parses the binding payload and drops malformed ones", () => {
    expect(clickEntryFromPayload(JSON.stringify({ x: 1, y: 2, t: T, element: "#a" }), 0)).toEqual({
      x: 1,
      y: 2,
      timestamp: "2025-01-02T03:04:05.678Z",
      element: "#a",
    });
    expect(clickEntryFromPayload(JSON.stringify({ x: 1, y: 2 }), T)).toEqual({
      x: 1,
      y: 2,
      timestamp: "2025-01-02T03:04:05.678Z",
    });
    expect(clickEntryFromPayload("{", T)).toBeNull();
    expect(clickEntryFromPayload(JSON.stringify({ x: "1", y: 2 }), T)).toBeNull();
    expect(clickEntryFromPayload("null", T)).toBeNull();
  });
});
