// Payouts through Stripe Connect: what is payable, "Set up payouts" (Stripe's onboarding page in the browser) and "Request payout".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { errorMessage } from "../api";
import { useSignedIn } from "../api-context";
import { formatUsd } from "../format";

/** Server USD numbers (full precision) to micros for display. */
function usdMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function PayoutPanel() {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const summary = useQuery({
    queryKey: ["payout-summary"],
    queryFn: () => api.tester.payout.summary.query(),
  });
  const onboard = useMutation({
    mutationFn: () => api.tester.payout.onboard.mutate(),
    onSuccess({ url }) {
      // The main process opens http(s) windows in the system browser (setWindowOpenHandler).
      window.open(url, "_blank", "noopener");
    },
  });
  const request = useMutation({
    mutationFn: () => api.tester.payout.request.mutate(),
    onSettled() {
      for (const key of ["payout-summary", "payouts", "earnings"])
        void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
  if (summary.isPending) return <p className="muted">Loading payouts…</p>;
  if (summary.error) {
    return (
      <p className="error" role="alert">
        {errorMessage(summary.error)}
      </p>
    );
  }
  const data = summary.data;
  const belowMinimum = data.payableUsd < data.minimumUsd;
  return (
    <div className="card payout-panel" aria-labelledby="payout-panel-heading">
      <h2 id="payout-panel-heading">Get paid</h2>
      <div className="summary">
        <div>
          <p>Payable now</p>
          <p className="money">{formatUsd(usdMicros(data.payableUsd))}</p>
        </div>
        <div>
          <p>Payout in progress</p>
          <p className="money">{formatUsd(usdMicros(data.pendingUsd))}</p>
        </div>
        <div>
          <p>Paid out</p>
          <p className="money">{formatUsd(usdMicros(data.paidUsd))}</p>
        </div>
      </div>
      {!data.stripeConfigured && (
        <p className="muted">This platform pays testers directly; the operator records each payout here.</p>
      )}
      {data.stripeConfigured && (
        <div className="actions">
          {!data.payoutsEnabled && (
            <button
              type="button"
              onClick={() => {
                onboard.mutate();
              }}
              disabled={onboard.isPending}
            >
              {onboard.isPending
                ? "Opening Stripe…"
                : data.connectAccountId
                  ? "Finish setting up payouts"
                  : "Set up payouts"}
            </button>
          )}
          <button
            type="button"
            className="primary"
            onClick={() => {
              request.mutate();
            }}
            disabled={!data.payoutsEnabled || belowMinimum || request.isPending}
            aria-describedby="payout-hint"
          >
            {request.isPending ? "Requesting…" : "Request payout"}
          </button>
          <p id="payout-hint" className="muted">
            {!data.payoutsEnabled
              ? "Set up payouts with Stripe first."
              : belowMinimum
                ? `Payouts start at ${formatUsd(usdMicros(data.minimumUsd))}.`
                : "Pays everything payable, in whole cents, to your Stripe account."}
          </p>
        </div>
      )}
      {(onboard.error ?? request.error) && (
        <p className="error" role="alert">
          {errorMessage(onboard.error ?? request.error)}
        </p>
      )}
      {request.data && (
        <p role="status">
          {request.data.status === "paid"
            ? `Paid ${formatUsd(request.data.amountMicros)} to your Stripe account.`
            : request.data.status === "failed"
              ? `The payout failed: ${request.data.failureReason ?? "Stripe refused it"}. The amount is payable again.`
              : `Payout of ${formatUsd(request.data.amountMicros)} is in progress.`}
        </p>
      )}
    </div>
  );
}
