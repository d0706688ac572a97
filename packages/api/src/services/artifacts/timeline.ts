// The recording's timeline: console messages, network requests and clicks, uploaded as JSON lines (one entry a line).
import { z } from "zod";

import { validationError } from "@eyeball/core";

const timestamp = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

export const consoleEntrySchema = z.object({
  type: z.string({ error: "must be a string" }).min(1).max(40),
  message: z.string({ error: "must be a string" }).max(20_000),
  timestamp,
});
export const networkEntrySchema = z.object({
  url: z.string({ error: "must be a string" }).min(1).max(8_000),
  method: z.string({ error: "must be a string" }).min(1).max(20),
  status: z.number({ error: "must be a number" }).int().min(0).max(999).optional(),
  timestamp,
});
export const clickEntrySchema = z.object({
  x: z.number({ error: "must be a number" }),
  y: z.number({ error: "must be a number" }),
  timestamp,
  element: z.string({ error: "must be a string" }).max(2_000).optional(),
});

export type ConsoleEntry = z.infer<typeof consoleEntrySchema>;
export type NetworkEntry = z.infer<typeof networkEntrySchema>;
export type ClickEntry = z.infer<typeof clickEntrySchema>;

export const TIMELINE_SCHEMAS = {
  console: consoleEntrySchema,
  network: networkEntrySchema,
  clicks: clickEntrySchema,
} as const;
export type TimelineKind = keyof typeof TIMELINE_SCHEMAS;
interface TimelineEntries {
  console: ConsoleEntry;
  network: NetworkEntry;
  clicks: ClickEntry;
}
export type TimelineEntry<K extends TimelineKind> = TimelineEntries[K];

export function isTimelineKind(kind: string): kind is TimelineKind {
  return kind in TIMELINE_SCHEMAS;
}

/** Parses JSON lines of one kind; a bad line is VALIDATION naming the line and the field. Blank lines are skipped. */
export function parseTimeline<K extends TimelineKind>(kind: K, text: string): TimelineEntry<K>[] {
  const schema: z.ZodType = TIMELINE_SCHEMAS[kind];
  const entries: TimelineEntry<K>[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw validationError(`${kind} line ${index + 1}`, "is not JSON");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join(".") ?? "";
      throw validationError(
        `${kind} line ${index + 1}${field ? `: ${field}` : ""}`,
        issue?.message ?? "is invalid",
      );
    }
    entries.push(parsed.data as TimelineEntry<K>);
  }
  return entries;
}

/** Entries as JSON lines (what the sandbox and the recorder upload). */
export function timelineText(entries: readonly object[]): string {
  return entries.map((entry) => JSON.stringify(entry)).join("\n") + (entries.length > 0 ? "\n" : "");
}

export function byTimestamp<T extends { timestamp: string }>(a: T, b: T): number {
  return Date.parse(a.timestamp) - Date.parse(b.timestamp);
}
