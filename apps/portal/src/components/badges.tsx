// Status and mode badges: colour plus words, so they read without colour too.
import { humanize } from "../format";

const TONE: Record<string, string> = {
  pending: "neutral",
  waiting: "info",
  working: "warn",
  submitted: "warn",
  open: "info",
  completed: "ok",
  incomplete: "warn",
  abandoned: "danger",
  rejected: "danger",
  error: "danger",
  cancelled: "neutral",
  closed: "neutral",
  paused: "warn",
  stopped: "neutral",
  settled: "info",
  approved: "ok",
  upheld: "neutral",
  refunded: "info",
  active: "ok",
  revoked: "danger",
  delivered: "ok",
  failed: "danger",
  paid: "ok",
  retrying: "warn",
  enabled: "ok",
  disabled: "neutral",
  archived: "neutral",
  owner: "info",
  member: "neutral",
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`badge tone-${TONE[status] ?? "neutral"}`} data-status={status}>
      {status === "working" && <span className="pulse" aria-hidden="true" />}
      {label ?? humanize(status)}
    </span>
  );
}

/** Live or test: a test badge is striped and says "Test"; live is solid. */
export function ModeBadge({ mode }: { mode: "live" | "test" }) {
  return (
    <span
      className={`badge mode-${mode}`}
      title={mode === "live" ? "Live: real testers, real credit" : "Test: sandbox tester, no real charge"}
    >
      {mode === "live" ? "Live" : "Test"}
    </span>
  );
}
