// Tester payouts for the operator: every payout (newest first, filtered by status) and the form that records one made outside Stripe.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, type SyntheticEvent, useRef, useState } from "react";

import { errorMessage, type Outputs } from "../../api";
import { StatusBadge } from "../../components/badges";
import { Empty, ErrorNote, Loading, LoadMore } from "../../components/common";
import { formatDateTime, formatShortDateTime, formatUsd, humanize } from "../../format";
import { useRouter } from "../../router";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

const PAGE_SIZE = 20;
const FILTERS = ["all", "pending", "paid", "failed"] as const;
type Filter = (typeof FILTERS)[number];
type PayoutRow = Outputs["admin"]["payouts"]["data"][number];
type Field = "testerEmail" | "usd" | "note";

export function adminPayoutsKey(status: Filter) {
  return ["admin", "payouts", status] as const;
}

/** "usd: must be whole cents; testerEmail: is required" → a message per field, the rest for the form. */
export function payoutFieldErrors(message: string): Partial<Record<Field | "form", string>> {
  const errors: Partial<Record<Field | "form", string>> = {};
  for (const part of message.split("; ")) {
    const match = /^(testerEmail|usd|note): (.*)$/.exec(part);
    if (match?.[1] && match[2]) errors[match[1] as Field] = match[2];
    else errors.form = errors.form ? `${errors.form}; ${part}` : part;
  }
  return errors;
}

/** Whole cents typed as USD ("12.5", "12.50") → micros for the confirmation; null when it is not such an amount. */
export function centsInput(text: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const micros = Number(match[1]) * 1_000_000 + Number((match[2] ?? "").padEnd(2, "0")) * 10_000;
  return micros > 0 && Number.isSafeInteger(micros) ? micros : null;
}

export function AdminPayoutsScreen() {
  useTitle("Payouts");
  const api = useApi();
  const { search, navigate } = useRouter();
  const param = search.get("status");
  const status: Filter = (FILTERS as readonly string[]).includes(param ?? "") ? (param as Filter) : "all";

  const payouts = useInfiniteQuery({
    queryKey: adminPayoutsKey(status),
    queryFn: ({ pageParam }) =>
      api.admin.payouts.query({
        limit: PAGE_SIZE,
        cursor: pageParam,
        ...(status === "all" ? {} : { status }),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = payouts.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="admin-payouts-title">
      <div className="page-head">
        <div>
          <h1 id="admin-payouts-title">Payouts</h1>
          <p className="muted">
            Stripe transfers to testers and payouts recorded by an operator, newest first.
          </p>
        </div>
      </div>
      <RecordPayoutForm />
      <div className="toolbar" role="search" aria-label="Filter payouts">
        <label className="inline">
          Status
          <select
            name="status"
            value={status}
            onChange={(event) => {
              const value = event.target.value;
              navigate(value === "all" ? "/admin/payouts" : `/admin/payouts?status=${value}`, {
                replace: true,
              });
            }}
          >
            {FILTERS.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {payouts.isPending && <Loading label="Loading payouts…" />}
      {payouts.error && <ErrorNote error={payouts.error} onRetry={() => void payouts.refetch()} />}
      {payouts.data && rows.length === 0 && (
        <Empty title={status === "all" ? "No payouts yet" : `No ${status} payouts`}>
          <p className="muted">
            Testers request payouts from the tester app; recorded payouts appear here too.
          </p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">
              {status === "all" ? "All" : humanize(status)} payouts, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Tester</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Method</th>
                <th scope="col">Status</th>
                <th scope="col">Transfer</th>
                <th scope="col">Created</th>
                <th scope="col">Paid</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <PayoutTableRow key={row.id} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={payouts} />
    </section>
  );
}

function PayoutTableRow({ row }: { row: PayoutRow }) {
  return (
    <tr>
      <th scope="row" data-label="Tester">
        <span className="strong">{row.tester.alias}</span>
        <span className="admin-sub">{row.tester.email}</span>
      </th>
      <td data-label="Amount" className="num money">
        {formatUsd(row.amountMicros)}
      </td>
      <td data-label="Method">{row.method === "stripe" ? "Stripe" : "Manual"}</td>
      <td data-label="Status">
        <StatusBadge status={row.status} />
        {row.failureReason && <span className="admin-sub">{row.failureReason}</span>}
        {row.note && <span className="admin-sub">{row.note}</span>}
      </td>
      <td data-label="Transfer">
        {row.stripeTransferId ? <code>{row.stripeTransferId}</code> : <span className="muted">—</span>}
      </td>
      <td data-label="Created">
        <span title={formatDateTime(row.createdAt)}>{formatShortDateTime(row.createdAt)}</span>
      </td>
      <td data-label="Paid">
        {row.paidAt ? (
          <span title={formatDateTime(row.paidAt)}>{formatShortDateTime(row.paidAt)}</span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

function RecordPayoutForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [usd, setUsd] = useState("");
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState<number | null>(null);
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field | "form", string>> | null>(null);
  // One key per confirmed form: a double click or a retried request records the payout once.
  const key = useRef<string>(crypto.randomUUID());
  const confirmRef = useRef<HTMLButtonElement>(null);
  const record = useMutation({
    mutationFn: () =>
      api.admin.recordPayout.mutate({
        testerEmail: email,
        usd: usd.trim(),
        ...(note.trim() === "" ? {} : { note }),
        idempotencyKey: key.current,
      }),
    onSuccess() {
      key.current = crypto.randomUUID();
      setEmail("");
      setUsd("");
      setNote("");
      void queryClient.invalidateQueries({ queryKey: ["admin", "payouts"] });
    },
  });
  const errors = localErrors ?? (record.error ? payoutFieldErrors(errorMessage(record.error)) : {});

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const micros = centsInput(usd);
    const next: Partial<Record<Field, string>> = {
      ...(email.trim() === "" ? { testerEmail: "is required" } : {}),
      ...(micros === null ? { usd: "must be a positive amount in whole cents, such as 25 or 12.50" } : {}),
    };
    record.reset();
    if (Object.keys(next).length > 0) {
      setLocalErrors(next);
      setConfirming(null);
      return;
    }
    setLocalErrors(null);
    setConfirming(micros);
    // Focus moves to the confirmation so keyboard users land on it.
    queueMicrotask(() => confirmRef.current?.focus());
  }

  const field = (name: Field, label: string, input: ReactNode) => (
    <div className={`field${errors[name] ? " invalid" : ""}`}>
      <label htmlFor={`payout-${name}`}>{label}</label>
      {input}
      {errors[name] && (
        <span className="field-error" id={`payout-${name}-error`}>
          {label} {errors[name]}
        </span>
      )}
    </div>
  );
  const describe = (name: Field) => ({
    id: `payout-${name}`,
    name,
    "aria-invalid": errors[name] ? (true as const) : undefined,
    "aria-describedby": errors[name] ? `payout-${name}-error` : undefined,
  });

  return (
    <form className="card admin-payout-form" onSubmit={submit} aria-labelledby="record-payout-title">
      <h2 id="record-payout-title">Record payout</h2>
      <p className="muted">
        For a payout made outside Stripe (a bank transfer). It is booked against the tester’s unpaid earnings
        and cannot exceed them.
      </p>
      <div className="form-row">
        {field(
          "testerEmail",
          "Tester email",
          <input
            {...describe("testerEmail")}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setConfirming(null);
            }}
          />,
        )}
        {field(
          "usd",
          "Amount (USD)",
          <input
            {...describe("usd")}
            inputMode="decimal"
            placeholder="25.00"
            value={usd}
            onChange={(event) => {
              setUsd(event.target.value);
              setConfirming(null);
            }}
          />,
        )}
      </div>
      {field(
        "note",
        "Note (optional)",
        <input
          {...describe("note")}
          maxLength={500}
          placeholder="Bank transfer reference"
          value={note}
          onChange={(event) => {
            setNote(event.target.value);
          }}
        />,
      )}
      <div className="actions">
        {confirming === null ? (
          <button type="submit" className="primary" disabled={record.isPending}>
            Record payout…
          </button>
        ) : (
          <span className="confirm" role="group" aria-label="Confirm the payout">
            <span className="confirm-q">
              Record {formatUsd(confirming)} paid to {email.trim()}?
            </span>
            <button
              ref={confirmRef}
              type="button"
              className="primary small"
              disabled={record.isPending}
              onClick={() => {
                setConfirming(null);
                record.mutate();
              }}
            >
              {record.isPending ? "Recording…" : "Confirm"}
            </button>
            <button
              type="button"
              className="small"
              onClick={() => {
                setConfirming(null);
              }}
            >
              Cancel
            </button>
          </span>
        )}
      </div>
      {errors.form && (
        <p className="notice danger" role="alert">
          {errors.form}
        </p>
      )}
      {record.isSuccess && (
        <p className="notice ok" role="status">
          Recorded {formatUsd(record.data.amountMicros)} to {record.data.tester.email}
          {record.data.replayed ? " (already recorded; nothing new was booked)" : ""}.
        </p>
      )}
    </form>
  );
}
