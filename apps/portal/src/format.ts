// How the portal shows money, durations and times: exact dollars from micro-dollars, the viewer's own time zone.
export { formatUsd, screenLabel } from "@eyeball/core";

/** A date and time in the viewer's locale and time zone; "—" when absent. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A compact date and time for lists: "Dec 3, 4:55 PM" this year, "Dec 3, 2025, 4:55 PM" before. */
export function formatShortDateTime(value: string | Date | null | undefined, now: Date = new Date()): string {
  if (!value) return "—";
  const date = new Date(value);
  return date.toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: "numeric" }),
    hour: "numeric",
    minute: "2-digit",
  });
}

/** "just now", "5 min ago", "3 h ago", else the date: for "last used" columns. */
export function formatRelative(value: string | Date | null | undefined, now: number = Date.now()): string {
  if (!value) return "Never";
  const ms = now - new Date(value).getTime();
  if (ms < 60_000) return "Just now";
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return formatDateTime(value);
}

/** Seconds worked: "45 s", "12 min 5 s", "1 h 02 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  const rest = total % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** A status as words: "in_transit" → "In transit". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A job's name for lists: its title, else its URL's host. */
export function jobName(job: { title: string | null; url: string }): string {
  if (job.title) return job.title;
  try {
    return new URL(job.url).host;
  } catch {
    return job.url;
  }
}
