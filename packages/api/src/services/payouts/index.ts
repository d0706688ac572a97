// Public surface of tester payouts: the service, the Connect webhook handlers and the amount rules.
export { createConnectEventHandlers, type ConnectEventDeps } from "./connect-events";
export { centsOf, MAX_PAYOUT_USD, parsePayoutUsd, wholeCents } from "./payout-amounts";
export {
  adminPayoutsInputSchema,
  type AdminPayoutView,
  createPayoutsService,
  PAYOUT_STATUSES,
  type PayoutOperator,
  type PayoutsDeps,
  type PayoutsOptions,
  type PayoutsService,
  type PayoutsSummary,
  type PayoutTester,
  type PayoutView,
  recordPayoutInputSchema,
  type RecordedPayout,
  type RecordPayoutInput,
  type ScheduledRunReport,
  transferIdempotencyKey,
} from "./payouts-service";
