// What the tester has earned, what is still in its dispute window, what is available, and the payouts made.
import { useQuery } from "@tanstack/react-query";

import { errorMessage } from "../api";
import { useSignedIn } from "../api-context";
import { formatDateTime, formatMonth, formatUsd } from "../format";
import { PayoutPanel } from "./payout-panel";

export function EarningsScreen() {
  const { api } = useSignedIn();
  const earnings = useQuery({ queryKey: ["earnings"], queryFn: () => api.tester.earnings.query() });
  const payouts = useQuery({ queryKey: ["payouts"], queryFn: () => api.tester.payouts.query({ limit: 50 }) });
  // The server sends the last 12 months oldest first, empty ones included: show the ones with work, newest first.
  const months = (earnings.data?.byMonth ?? []).filter((month) => month.assignments > 0).reverse();

  return (
    <section aria-labelledby="earnings-heading">
      <div className="section-head">
        <h1 id="earnings-heading">Earnings</h1>
      </div>
      {earnings.isPending && <p className="muted">Loading your earnings…</p>}
      {earnings.error && (
        <p className="error" role="alert">
          {errorMessage(earnings.error)}
        </p>
      )}
      {earnings.data && (
        <>
          <div className="summary">
            <Figure label="Earned in total" micros={earnings.data.totalMicros} />
            <Figure label="Pending the owner’s approval" micros={earnings.data.pendingMicros} />
            <Figure label="Available for payout" micros={earnings.data.availableMicros} />
            <Figure label="Paid out" micros={earnings.data.paidMicros} />
          </div>
          <h2>By month</h2>
          {months.length === 0 ? (
            <p className="muted">Nothing earned yet: finished tests count here once they are submitted.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col" className="num">
                      Tests
                    </th>
                    <th scope="col" className="num">
                      Earned
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {months.map((month) => (
                    <tr key={month.month}>
                      <td>{formatMonth(month.month)}</td>
                      <td className="num">{month.assignments}</td>
                      <td className="num money">{formatUsd(month.earnedMicros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <PayoutPanel />
      <h2>Payouts</h2>
      {payouts.error && (
        <p className="error" role="alert">
          {errorMessage(payouts.error)}
        </p>
      )}
      {payouts.data && payouts.data.items.length === 0 && (
        <p className="muted">No payouts yet. Available earnings are paid out by the platform operator.</p>
      )}
      {payouts.data && payouts.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">Paid</th>
                <th scope="col">Note</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {payouts.data.items.map((payout) => (
                <tr key={payout.id}>
                  <td>{formatDateTime(payout.createdAt)}</td>
                  <td>
                    <span className={`badge ${payout.status}`}>{payout.status.replace(/_/g, " ")}</span>
                  </td>
                  <td>{formatDateTime(payout.paidAt)}</td>
                  <td>{payout.note ?? ""}</td>
                  <td className="num money">{formatUsd(payout.amountMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Figure({ label, micros }: { label: string; micros: number }) {
  return (
    <div className="card">
      <p>{label}</p>
      <p className="money">{formatUsd(micros)}</p>
    </div>
  );
}
