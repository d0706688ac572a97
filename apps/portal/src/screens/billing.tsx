// Billing: balance, held and available credit, open holds, how credits arrive, auto-reload, the ledger with CSV export, and receipts.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useRef, useState } from "react";

import { usdToMicros } from "@eyeball/core";

import { errorMessage, type Outputs } from "../api";
import { Link, useRouter } from "../router";
import { CopyButton, Empty, ErrorNote, Loading, LoadMore } from "../components/common";
import { formatDateTime, formatUsd } from "../format";
import { useAccount, useApi } from "../session";
import { useTitle } from "../use-title";
import "./billing.css";

type Overview = Outputs["billing"]["overview"];
type Receipt = Outputs["billing"]["receipts"]["data"][number];

const OVERVIEW = ["billing", "overview"] as const;

/** Exact dollars from the API's full-precision USD numbers. */
function usd(value: number): string {
  return formatUsd(usdToMicros(value));
}

function signedUsd(value: number): string {
  if (value === 0) return "—";
  return value > 0 ? `+${usd(value)}` : usd(value);
}

export function BillingScreen() {
  useTitle("Billing");
  const api = useApi();
  const overview = useQuery({
    queryKey: OVERVIEW,
    queryFn: () => api.billing.overview.query(),
    staleTime: 0,
  });
  return (
    <section aria-labelledby="billing-title" className="billing">
      <div className="page-head">
        <div>
          <h1 id="billing-title">Billing</h1>
          <p className="muted">Live credit pays for real testers’ working time. Test keys never touch it.</p>
        </div>
      </div>
      {overview.isPending && <Loading label="Loading billing…" />}
      {overview.error && <ErrorNote error={overview.error} onRetry={() => void overview.refetch()} />}
      <ReturnNotice />
      {overview.data && (
        <>
          <Balances overview={overview.data} />
          <Holds overview={overview.data} />
          {overview.data.cardPayments ? <CardCredits /> : <AddCredits />}
          <PaymentMethod overview={overview.data} />
          <AutoReload overview={overview.data} />
        </>
      )}
      <LedgerSection />
      <Receipts />
    </section>
  );
}

function Balances({ overview }: { overview: Overview }) {
  return (
    <dl className="stats billing-stats">
      <div className="card stat">
        <dt>Balance</dt>
        <dd className="money" data-testid="billing-balance">
          {usd(overview.balanceUsd)}
        </dd>
      </div>
      <div className="card stat">
        <dt>Held</dt>
        <dd className="money" data-testid="billing-held">
          {usd(overview.heldUsd)}
        </dd>
        <dd className="stat-sub">reserved by open jobs</dd>
      </div>
      <div className="card stat">
        <dt>Available</dt>
        <dd className="money" data-testid="billing-available">
          {usd(overview.availableUsd)}
        </dd>
        <dd className="stat-sub">for new live jobs</dd>
      </div>
    </dl>
  );
}

function Holds({ overview }: { overview: Overview }) {
  return (
    <>
      <h2 className="section-title">Open holds</h2>
      {overview.holds.length === 0 ? (
        <Empty title="No open holds">
          <p className="muted">A live job holds its maximum cost until it settles.</p>
        </Empty>
      ) : (
        <div className="table-wrap card flush">
          <table className="responsive">
            <caption className="sr-only">Open holds</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col" className="num">
                  Held now
                </th>
                <th scope="col" className="num">
                  Placed
                </th>
                <th scope="col" className="num">
                  Captured
                </th>
                <th scope="col" className="num">
                  Released
                </th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {overview.holds.map((hold) => (
                <tr key={hold.jobId}>
                  <th scope="row" data-label="Job">
                    <Link to={`/jobs/${hold.jobId}`}>
                      <code>{hold.jobId}</code>
                    </Link>
                  </th>
                  <td data-label="Held now" className="money num">
                    {usd(hold.amountUsd)}
                  </td>
                  <td data-label="Placed" className="money num">
                    {usd(hold.placedUsd)}
                  </td>
                  <td data-label="Captured" className="money num">
                    {usd(hold.capturedUsd)}
                  </td>
                  <td data-label="Released" className="money num">
                    {usd(hold.releasedUsd)}
                  </td>
                  <td data-label="Since">{formatDateTime(hold.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Back from Stripe's hosted pages: `?checkout=success|cancelled`, `?setup=success|cancelled`. */
function ReturnNotice() {
  const { search } = useRouter();
  const checkout = search.get("checkout");
  const setup = search.get("setup");
  if (checkout === "success") {
    return (
      <p className="notice ok" role="status">
        Payment received by Stripe. Your credits appear here once Stripe confirms the payment, usually within
        a minute.
      </p>
    );
  }
  if (setup === "success") {
    return (
      <p className="notice ok" role="status">
        Card saved with Stripe. It shows below once Stripe confirms it.
      </p>
    );
  }
  if (checkout === "cancelled" || setup === "cancelled") {
    return (
      <p className="notice" role="status">
        Nothing was charged: you left Stripe’s page before finishing.
      </p>
    );
  }
  return null;
}

/** "usd: must be at least 5" → "must be at least 5" for the amount field; anything else for the form. */
function usdError(error: unknown): { usd?: string; form?: string } {
  const message = errorMessage(error);
  const match = /^usd: (.*)$/.exec(message);
  return match?.[1] ? { usd: match[1] } : { form: message };
}

/** Card payments on: an amount, then Stripe Checkout; the webhook credits the account. */
function CardCredits() {
  const api = useApi();
  const [amount, setAmount] = useState("50");
  const [localError, setLocalError] = useState<string | null>(null);
  const checkout = useMutation({
    mutationFn: (usd: number) => api.billing.checkout.mutate({ usd }),
    onSuccess(session) {
      window.location.assign(session.url);
    },
  });
  const errors = localError ? { usd: localError } : checkout.error ? usdError(checkout.error) : {};
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const usdValue = amountInput(amount);
    if (usdValue === null || usdValue === undefined) {
      checkout.reset();
      setLocalError("must be a number of USD");
      return;
    }
    setLocalError(null);
    checkout.mutate(usdValue);
  }
  return (
    <form className="card billing-card" onSubmit={submit} aria-labelledby="add-credits-title">
      <h2 id="add-credits-title">Add credits</h2>
      <p className="muted">Pay by card on Stripe’s page: from $5 to $10,000, in whole cents.</p>
      <div className={`field${errors.usd ? " invalid" : ""}`}>
        <label htmlFor="add-credits-usd">Amount (USD)</label>
        <input
          id="add-credits-usd"
          name="usd"
          inputMode="decimal"
          value={amount}
          aria-invalid={errors.usd ? true : undefined}
          aria-describedby={errors.usd ? "add-credits-usd-error" : undefined}
          onChange={(event) => {
            setAmount(event.target.value);
          }}
        />
        {errors.usd && (
          <span className="field-error" id="add-credits-usd-error">
            Amount {errors.usd}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={checkout.isPending || checkout.isSuccess}>
          {checkout.isPending || checkout.isSuccess ? "Opening Stripe…" : "Continue to payment"}
        </button>
      </div>
      {errors.form && (
        <p className="notice danger" role="alert">
          {errors.form}
        </p>
      )}
    </form>
  );
}

function AddCredits() {
  const account = useAccount();
  const slug =
    account.organizations.find((org) => org.id === account.currentOrganizationId)?.slug ??
    account.organizations[0]?.slug ??
    "<your-org>";
  const command = `pnpm --silent eyeball credits grant --org ${slug} --usd 50 --memo "Top-up"`;
  return (
    <section className="card billing-card" aria-labelledby="add-credits-title">
      <h2 id="add-credits-title">Add credits</h2>
      <p>
        Card payments are not configured on this server yet, so there is no card form here. Credits are
        granted by the server’s operator, who runs:
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="grant-command">
          {command}
        </code>
        <CopyButton text={command} label="Copy command" />
      </div>
      <p className="field-hint">Amounts are exact to the micro-dollar; each grant gets a receipt below.</p>
    </section>
  );
}

function brandName(brand: string | null): string {
  if (!brand) return "Card";
  const names: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express" };
  return names[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** "Visa •••• 4242, expires 12/2030". */
function cardLabel(pm: NonNullable<Overview["paymentMethod"]>): string {
  const digits = pm.last4 ? ` •••• ${pm.last4}` : "";
  const expiry = pm.expMonth && pm.expYear ? `, expires ${pm.expMonth}/${pm.expYear}` : "";
  return `${brandName(pm.brand)}${digits}${expiry}`;
}

function PaymentMethod({ overview }: { overview: Overview }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const setup = useMutation({
    mutationFn: () => api.billing.setupPaymentMethod.mutate(),
    onSuccess(session) {
      window.location.assign(session.url);
    },
  });
  const detach = useMutation({
    mutationFn: () => api.billing.detachPaymentMethod.mutate(),
    onSuccess(data) {
      setConfirming(false);
      queryClient.setQueryData(OVERVIEW, data);
    },
  });
  const pm = overview.paymentMethod;
  if (!overview.cardPayments) {
    return (
      <section className="card billing-card" aria-labelledby="payment-method-title">
        <h2 id="payment-method-title">Payment method</h2>
        <p className="muted">
          No payment method. This server does not take card payments yet; once it does, you will add a card
          here.
        </p>
      </section>
    );
  }
  const busy = setup.isPending || setup.isSuccess;
  return (
    <section className="card billing-card" aria-labelledby="payment-method-title">
      <h2 id="payment-method-title">Payment method</h2>
      {pm ? (
        <p data-testid="payment-method">{cardLabel(pm)}</p>
      ) : (
        <p className="muted">No card saved. Save one on Stripe’s page to use auto-reload.</p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setup.mutate();
          }}
        >
          {busy ? "Opening Stripe…" : pm ? "Replace card" : "Add a card"}
        </button>
        {pm && !confirming && (
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirming(true);
            }}
          >
            Remove
          </button>
        )}
      </div>
      {pm && confirming && (
        <div className="notice" role="alertdialog" aria-labelledby="remove-card-question">
          <p id="remove-card-question">
            Remove {cardLabel(pm)}?{overview.autoReload.enabled ? " Auto-reload will be switched off." : ""}
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={detach.isPending}
              onClick={() => {
                detach.mutate();
              }}
            >
              {detach.isPending ? "Removing…" : "Remove card"}
            </button>
            <button
              type="button"
              onClick={() => {
                setConfirming(false);
              }}
            >
              Keep it
            </button>
          </div>
        </div>
      )}
      {(setup.error ?? detach.error) && (
        <p className="notice danger" role="alert">
          {errorMessage(setup.error ?? detach.error)}
        </p>
      )}
    </section>
  );
}

/** "thresholdUsd: is required…; amountUsd: …" → a message per field. */
function fieldErrors(error: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const part of errorMessage(error).split("; ")) {
    const match = /^(enabled|thresholdUsd|amountUsd|autoReload): (.*)$/.exec(part);
    if (match?.[1] && match[2]) errors[match[1]] = match[2];
    else errors.form = errors.form ? `${errors.form}; ${part}` : part;
  }
  return errors;
}

type AutoReloadField = "thresholdUsd" | "amountUsd";

/** What the user typed as a USD amount: null when blank, undefined when it is not a number at all. */
function amountInput(text: string): number | null | undefined {
  const value = text.trim();
  if (value === "") return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

function AutoReload({ overview }: { overview: Overview }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(overview.autoReload.enabled);
  const [threshold, setThreshold] = useState(overview.autoReload.thresholdUsd?.toString() ?? "");
  const [amount, setAmount] = useState(overview.autoReload.amountUsd?.toString() ?? "");
  // A word in a number field never reaches the server: Number("ten") is NaN, which JSON sends as null.
  const [localErrors, setLocalErrors] = useState<Record<string, string> | null>(null);
  const save = useMutation({
    mutationFn: (input: { enabled: boolean; thresholdUsd: number | null; amountUsd: number | null }) =>
      api.billing.configureAutoReload.mutate(input),
    onSuccess(data) {
      queryClient.setQueryData(OVERVIEW, data);
    },
  });
  const errors = localErrors ?? (save.error ? fieldErrors(save.error) : {});
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const thresholdUsd = amountInput(threshold);
    const amountUsd = amountInput(amount);
    if (thresholdUsd === undefined || amountUsd === undefined) {
      save.reset();
      setLocalErrors({
        ...(thresholdUsd === undefined ? { thresholdUsd: "must be a number of USD" } : {}),
        ...(amountUsd === undefined ? { amountUsd: "must be a number of USD" } : {}),
      });
      return;
    }
    setLocalErrors(null);
    save.mutate({ enabled, thresholdUsd, amountUsd });
  }
  const field = (name: AutoReloadField, label: string, value: string, set: (v: string) => void) => (
    <div className={`field${errors[name] ? " invalid" : ""}`}>
      <label htmlFor={`auto-${name}`}>{label}</label>
      <input
        id={`auto-${name}`}
        name={name}
        inputMode="decimal"
        value={value}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `auto-${name}-error` : undefined}
        onChange={(event) => {
          set(event.target.value);
        }}
      />
      {errors[name] && (
        <span className="field-error" id={`auto-${name}-error`}>
          {label} {errors[name]}
        </span>
      )}
    </div>
  );
  return (
    <form className="card billing-card" onSubmit={submit} aria-labelledby="auto-reload-title">
      <h2 id="auto-reload-title">Auto-reload</h2>
      <p className="muted">
        {overview.cardPayments
          ? "When available credit falls below the threshold, the saved card is charged the amount once; it charges again after credit is back above the threshold."
          : "When available credit falls below the threshold, buy the amount again. It takes effect once card payments are configured."}
      </p>
      {overview.autoReload.lastError && (
        <p className="notice danger" role="alert" data-testid="auto-reload-error">
          {overview.autoReload.lastError}
          {overview.autoReload.lastAttemptAt
            ? ` (last attempt ${formatDateTime(overview.autoReload.lastAttemptAt)})`
            : ""}
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          name="enabled"
          checked={enabled}
          onChange={(event) => {
            setEnabled(event.target.checked);
          }}
        />
        Reload automatically
      </label>
      <div className="form-row auto-reload-fields">
        {field("thresholdUsd", "Threshold (USD)", threshold, setThreshold)}
        {field("amountUsd", "Reload amount (USD)", amount, setAmount)}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save auto-reload"}
        </button>
      </div>
      {(errors.form ?? errors.autoReload) && (
        <p className="notice danger" role="alert">
          {errors.autoReload ? `Auto-reload: ${errors.autoReload}` : errors.form}
        </p>
      )}
      {save.isSuccess && (
        <p className="notice ok" role="status">
          Auto-reload saved.
        </p>
      )}
    </form>
  );
}

function LedgerSection() {
  const api = useApi();
  const account = useAccount();
  const ledger = useInfiniteQuery({
    queryKey: ["billing", "ledger"],
    queryFn: ({ pageParam }) => api.billing.ledger.query({ cursor: pageParam, limit: 25 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    staleTime: 0,
  });
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const rows = ledger.data?.pages.flatMap((page) => page.data) ?? [];

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const { filename, csv } = await api.billing.ledgerCsv.query({});
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 1000);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section aria-labelledby="ledger-title">
      <div className="section-row">
        <h2 className="section-title" id="ledger-title">
          Ledger
        </h2>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting || rows.length === 0}>
          {exporting ? "Exporting…" : "Export CSV"}
        </button>
      </div>
      <p className="muted small-text">
        Every movement of {account.organizations.length > 1 ? "this organisation’s" : "your"} live credit,
        newest first. Times are in your time zone; the CSV uses UTC.
      </p>
      {exportError !== null && <ErrorNote error={exportError} />}
      {ledger.isPending && <Loading label="Loading ledger…" />}
      {ledger.error && <ErrorNote error={ledger.error} onRetry={() => void ledger.refetch()} />}
      {ledger.data && rows.length === 0 && (
        <Empty title="No ledger entries yet">
          <p className="muted">Grants, holds and charges appear here as they happen.</p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive" data-testid="ledger-table">
            <caption className="sr-only">Ledger</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Entry</th>
                <th scope="col">Job</th>
                <th scope="col" className="num">
                  Balance change
                </th>
                <th scope="col" className="num">
                  Held change
                </th>
                <th scope="col" className="num">
                  Balance after
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td data-label="Time">{formatDateTime(row.createdAt)}</td>
                  <th scope="row" data-label="Entry">
                    {row.kindLabel}
                    {row.memo && <span className="ledger-memo">{row.memo}</span>}
                  </th>
                  <td data-label="Job">
                    {row.jobId ? (
                      <Link to={`/jobs/${row.jobId}`} title={row.jobId}>
                        <code>{row.jobId.slice(0, 12)}…</code>
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-label="Balance change" className="money num">
                    {signedUsd(row.balanceChangeUsd)}
                  </td>
                  <td data-label="Held change" className="money num">
                    {signedUsd(row.heldChangeUsd)}
                  </td>
                  <td data-label="Balance after" className="money num">
                    {usd(row.balanceAfterUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={ledger} />
    </section>
  );
}

function Receipts() {
  const api = useApi();
  const receipts = useQuery({
    queryKey: ["billing", "receipts"],
    queryFn: () => api.billing.receipts.query({ limit: 100 }),
  });
  const [open, setOpen] = useState<Receipt | null>(null);
  return (
    <section aria-labelledby="receipts-title">
      <h2 className="section-title" id="receipts-title">
        Receipts
      </h2>
      {receipts.isPending && <Loading label="Loading receipts…" />}
      {receipts.error && <ErrorNote error={receipts.error} onRetry={() => void receipts.refetch()} />}
      {receipts.data?.data.length === 0 && (
        <Empty title="No receipts yet">
          <p className="muted">Each credit that arrives gets a receipt here.</p>
        </Empty>
      )}
      {receipts.data && receipts.data.data.length > 0 && (
        <ul className="card flush receipt-list" aria-labelledby="receipts-title">
          {receipts.data.data.map((receipt) => (
            <li key={receipt.id}>
              <span className="receipt-name">
                <strong>{receipt.number}</strong>
                <span className="muted"> · {formatDateTime(receipt.issuedAt)}</span>
              </span>
              <span className="money">{usd(receipt.amountUsd)}</span>
              <button
                type="button"
                className="small"
                onClick={() => {
                  setOpen(receipt);
                }}
              >
                View receipt <span className="sr-only">{receipt.number}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <ReceiptDialog
          receipt={open}
          onClose={() => {
            setOpen(null);
          }}
        />
      )}
    </section>
  );
}

function ReceiptDialog({ receipt, onClose }: { receipt: Receipt; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="receipt-dialog printable"
      aria-labelledby="receipt-title"
      onClose={onClose}
    >
      <article className="receipt">
        <h2 id="receipt-title">Receipt {receipt.number}</h2>
        <dl>
          <dt>Organisation</dt>
          <dd>{receipt.organization.name}</dd>
          <dt>Date</dt>
          <dd>{formatDateTime(receipt.issuedAt)}</dd>
          <dt>Amount</dt>
          <dd className="money" data-testid="receipt-amount">
            {usd(receipt.amountUsd)}
          </dd>
          <dt>Method</dt>
          <dd>{receipt.method === "card" ? "Card" : "Operator grant"}</dd>
          <dt>Memo</dt>
          <dd>{receipt.memo ?? "—"}</dd>
          <dt>Balance after</dt>
          <dd className="money">{usd(receipt.balanceAfterUsd)}</dd>
        </dl>
        <p className="muted small-text">Eyeball credit receipt · transaction {receipt.id}</p>
      </article>
      <div className="actions no-print">
        <button
          type="button"
          className="primary"
          onClick={() => {
            window.print();
          }}
        >
          Print
        </button>
        <button
          type="button"
          onClick={() => {
            dialog.current?.close();
          }}
        >
          Close
        </button>
      </div>
    </dialog>
  );
}
