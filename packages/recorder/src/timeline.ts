// Turning CDP events into timeline entries (pure, so the formatting is tested without a browser).
import type { Protocol } from "devtools-protocol";

import { type ClickEntry, type ConsoleEntry, type NetworkEntry } from "./types";

const MAX_MESSAGE = 10_000;

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** One console argument as DevTools would print it, briefly. */
export function formatRemoteObject(arg: Protocol.Runtime.RemoteObject): string {
  if (arg.type === "string" && typeof arg.value === "string") return arg.value;
  if (arg.unserializableValue !== undefined) return arg.unserializableValue;
  if (arg.type === "undefined") return "undefined";
  if (arg.value !== undefined) {
    try {
      return JSON.stringify(arg.value) ?? String(arg.value);
    } catch {
      return String(arg.value);
    }
  }
  if (arg.preview && (arg.subtype === undefined || arg.subtype === "array")) {
    const show = (p: Protocol.Runtime.PropertyPreview): string =>
      p.type === "string" ? JSON.stringify(p.value ?? "") : (p.value ?? p.type);
    const inner = arg.preview.properties.map((p) =>
      arg.subtype === "array" ? show(p) : `${p.name}: ${show(p)}`,
    );
    const more = arg.preview.overflow ? ", …" : "";
    return arg.subtype === "array" ? `[${inner.join(", ")}${more}]` : `{${inner.join(", ")}${more}}`;
  }
  return arg.description ?? arg.className ?? arg.type;
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

export function consoleEntryFromApiCall(event: Protocol.Runtime.ConsoleAPICalledEvent): ConsoleEntry {
  return {
    type: event.type,
    message: clip(event.args.map(formatRemoteObject).join(" ")),
    timestamp: iso(event.timestamp),
  };
}

export function consoleEntryFromException(event: Protocol.Runtime.ExceptionThrownEvent): ConsoleEntry {
  const details = event.exceptionDetails;
  const description = details.exception ? formatRemoteObject(details.exception) : undefined;
  // text is "Uncaught" (or "Uncaught (in promise)"); the description carries the error and its stack.
  const message = description ? `${details.text} ${description}` : details.text;
  return { type: "error", message: clip(message), timestamp: iso(event.timestamp) };
}

/** Browser-side messages (failed loads, security, interventions) at warning level and above; null otherwise. */
export function consoleEntryFromLog(event: Protocol.Log.EntryAddedEvent): ConsoleEntry | null {
  const { entry } = event;
  if (entry.level !== "error" && entry.level !== "warning") return null;
  const where = entry.url && !entry.text.includes(entry.url) ? ` (${entry.url})` : "";
  return { type: entry.level, message: clip(`${entry.text}${where}`), timestamp: iso(entry.timestamp) };
}

/** URLs that are not network traffic. */
export function isRecordedUrl(url: string): boolean {
  return !/^(data|blob):/i.test(url);
}

export function networkEntryFromRequest(event: Protocol.Network.RequestWillBeSentEvent): NetworkEntry {
  return { url: event.request.url, method: event.request.method, timestamp: iso(event.wallTime * 1000) };
}

/** Parses the isolated world's binding payload; null for anything malformed. */
export function clickEntryFromPayload(payload: string, fallbackNow: number): ClickEntry | null {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!data || typeof data !== "object") return null;
  const { x, y, t, element } = data as Record<string, unknown>;
  if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y))
    return null;
  const time = typeof t === "number" && Number.isFinite(t) ? t : fallbackNow;
  return {
    x,
    y,
    timestamp: iso(time),
    ...(typeof element === "string" && element.length > 0 ? { element } : {}),
  };
}
