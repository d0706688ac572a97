// Public surface of the ledger service: createLedger and the account scheme it books to.
export { accounts as ledgerAccounts, type AccountRef as LedgerAccountRef } from "./accounts";
export {
  captureIdempotencyKey,
  cardPaymentIdempotencyKey,
  createLedger,
  earningIdempotencyKey,
  formatUsd,
  grantIdempotencyKey,
  payoutIdempotencyKey,
  refundIdempotencyKey,
} from "./ledger";
