// How the app shows money, durations and times: exact dollars from micro-dollars, the viewer's own time zone.
export { formatUsd, screenLabel } from "@eyeball/core";

/** A countdown: "4:05", "1:02:03", or "−0:12" once past the deadline. */
export function formatCountdown(ms: number): string {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}` : String(minutes)}:${String(seconds).padStart(2, "0")}`;
  return negative ? `−${mmss}` : mmss;
}

export function formatMinutes(minutes: number): string {
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Seconds worked: "45 s", "12 min 5 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  const rest = total % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "2026-12" → "December 2026" in the viewer's locale. */
export function formatMonth(month: string): string {
  const [year, number] = month.split("-").map(Number);
  if (!year || !number) return month;
  return new Date(year, number - 1, 1).toLocaleDateString(undefined, { year: "numeric", month: "long" });
}
