// Small shared pieces: loading, error and empty states, a two-step confirm button, a copy button.
import { type ReactNode, useEffect, useRef, useState } from "react";

import { errorMessage } from "../api";

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="notice danger" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A destructive action that asks once more in place ("Delete" → "Delete key?" [Yes] [Cancel]). */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  busy,
  onConfirm,
  className = "danger small",
  describedBy,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  busy?: boolean;
  onConfirm: () => void;
  className?: string;
  describedBy?: string;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        className={className}
        disabled={busy}
        aria-describedby={describedBy}
        onClick={() => {
          setAsking(true);
        }}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-q">{question}</span>
      <button
        ref={yes}
        type="button"
        className="danger-solid small"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        className="small"
        onClick={() => {
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}

export function CopyButton({
  text,
  label = "Copy",
  className,
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className={className}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => {
            setCopied("copied");
          },
          () => {
            setCopied("failed");
          },
        );
      }}
    >
      <span aria-live="polite">
        {copied === "copied" ? "Copied ✓" : copied === "failed" ? "Select and copy" : label}
      </span>
    </button>
  );
}

/** The "Load more" button under a paged list (a react-query infinite query); nothing on the last page. */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}
