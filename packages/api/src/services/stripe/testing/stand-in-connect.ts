// The stand-in's Connect resources: Express accounts, onboarding links and transfers, plus signed account.updated / transfer.reversed events.
import { type StandInParams, type StripeStandIn } from "./stripe-stand-in";

export interface ConnectStandIn {
  accounts: Map<string, StandInParams>;
  transfers: Map<string, StandInParams>;
  /** Transfers to this destination answer a Stripe error (400 invalid_request_error). */
  failTransfersTo(accountId: string, message?: string): void;
  /** Finishes onboarding (or disables payouts) and returns the `account.updated` event, not sent. */
  setPayoutsEnabled(accountId: string, enabled: boolean): StandInParams;
  /** Fully reverses a transfer and returns the `transfer.reversed` event, not sent. */
  reverseTransfer(transferId: string): StandInParams;
  /** The signed body and header of an event, for StripeWebhookReceiver.receive(). */
  signed(event: StandInParams): { payload: string; signature: string };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function registerConnectRoutes(standIn: StripeStandIn): ConnectStandIn {
  const accounts = new Map<string, StandInParams>();
  const transfers = new Map<string, StandInParams>();
  const failing = new Map<string, string>();
  const missing = (kind: string, id: string) =>
    standIn.error(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing" });

  standIn.route("POST", /^\/v1\/accounts$/, ({ body }) => {
    if (body.type !== "express")
      return standIn.error(400, "invalid_request_error", "stand-in: only express accounts");
    const account: StandInParams = {
      id: standIn.id("acct"),
      object: "account",
      type: "express",
      email: text(body.email) ?? null,
      capabilities: { transfers: "inactive" },
      requested_capabilities: body.capabilities ?? {},
      metadata: body.metadata ?? {},
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      created: standIn.nowSeconds(),
    };
    accounts.set(account.id as string, account);
    standIn.objects.set(account.id as string, account);
    return account;
  });

  standIn.route("GET", /^\/v1\/accounts\/([^/]+)$/, ({ params }) => {
    const id = params[0] ?? "";
    return accounts.get(id) ?? missing("account", id);
  });

  standIn.route("POST", /^\/v1\/account_links$/, ({ body }) => {
    const account = text(body.account) ?? "";
    if (!accounts.has(account)) return missing("account", account);
    if (body.type !== "account_onboarding" || !text(body.refresh_url) || !text(body.return_url)) {
      return standIn.error(
        400,
        "invalid_request_error",
        "stand-in: type, refresh_url and return_url are required",
      );
    }
    return {
      object: "account_link",
      url: `${standIn.url}/connect/onboarding/${account}`,
      created: standIn.nowSeconds(),
      expires_at: standIn.nowSeconds() + 300,
    };
  });

  standIn.route("POST", /^\/v1\/transfers$/, ({ body }) => {
    const destination = text(body.destination) ?? "";
    const amount = Number(body.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      return standIn.error(400, "invalid_request_error", "Invalid positive integer", { param: "amount" });
    }
    const refusal = failing.get(destination);
    if (refusal !== undefined) {
      return standIn.error(400, "invalid_request_error", refusal, {
        code: "account_invalid",
        param: "destination",
      });
    }
    if (!accounts.has(destination)) return missing("destination", destination);
    const transfer: StandInParams = {
      id: standIn.id("tr"),
      object: "transfer",
      amount,
      amount_reversed: 0,
      currency: text(body.currency) ?? "usd",
      destination,
      metadata: body.metadata ?? {},
      reversed: false,
      reversals: { object: "list", data: [], has_more: false },
      created: standIn.nowSeconds(),
    };
    transfers.set(transfer.id as string, transfer);
    standIn.objects.set(transfer.id as string, transfer);
    return transfer;
  });

  return {
    accounts,
    transfers,
    failTransfersTo(accountId, message = "The destination account cannot receive transfers") {
      failing.set(accountId, message);
    },
    setPayoutsEnabled(accountId, enabled) {
      const account = accounts.get(accountId);
      if (!account) throw new Error(`stand-in: no account ${accountId}`);
      Object.assign(account, {
        payouts_enabled: enabled,
        details_submitted: true,
        capabilities: { transfers: enabled ? "active" : "inactive" },
      });
      return standIn.event("account.updated", { ...account });
    },
    reverseTransfer(transferId) {
      const transfer = transfers.get(transferId);
      if (!transfer) throw new Error(`stand-in: no transfer ${transferId}`);
      Object.assign(transfer, { reversed: true, amount_reversed: transfer.amount });
      return standIn.event("transfer.reversed", { ...transfer });
    },
    signed(event) {
      return standIn.sign(event);
    },
  };
}
