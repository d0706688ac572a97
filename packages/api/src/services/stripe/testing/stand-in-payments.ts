// Stand-in resources for card payments: customers, Checkout Sessions, PaymentIntents, SetupIntents, payment methods.
// Test payment methods behave like Stripe's: pm_card_visa succeeds, pm_card_chargeDeclined is declined,
// pm_card_authenticationRequired needs 3-D Secure (so an off-session charge fails).
import { type StandInParams, type StandInRequest, type StripeStandIn } from "./stripe-stand-in";

/** Stripe's test payment methods this stand-in knows, and the card each stands for. */
export const TEST_CARDS = {
  pm_card_visa: { brand: "visa", last4: "4242", outcome: "succeeds" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", outcome: "succeeds" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", outcome: "declined" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", outcome: "authentication_required" },
} as const;
export type TestCard = keyof typeof TEST_CARDS;

/** Every stand-in card expires 12/2030, as in the portal's example. */
const EXP = { exp_month: 12, exp_year: 2030 };

export interface CompleteOptions {
  /** The card the customer enters on the hosted page (default pm_card_visa). */
  card?: TestCard;
  /** Deliver the resulting events now (default true); false only queues them in `outbox`. */
  deliver?: boolean;
}

export interface Delivered {
  event: StandInParams;
  status: number;
  body: string;
}

export interface PaymentsStandIn {
  /** Events the stand-in's API calls and completions produced, not yet delivered (in Stripe's order). */
  outbox: StandInParams[];
  /** Delivers and empties the outbox, in order. */
  flush(): Promise<Delivered[]>;
  /** The customer pays a payment-mode session: checkout.session.completed, then payment_intent.succeeded. */
  completeCheckout(sessionId: string, options?: CompleteOptions): Promise<Delivered[]>;
  /** The customer saves a card on a setup-mode session: checkout.session.completed, then setup_intent.succeeded. */
  completeSetup(sessionId: string, options?: CompleteOptions): Promise<Delivered[]>;
  /** A Stripe object by id (customer, session, payment intent, setup intent, payment method). */
  get(id: string): StandInParams | undefined;
  /** Ids of sessions created, in order. */
  sessions(): StandInParams[];
  /** PaymentIntents created, in order. */
  paymentIntents(): StandInParams[];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function record(value: unknown): StandInParams {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as StandInParams) : {};
}

function integer(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : typeof value === "number" ? value : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}

export function registerPaymentRoutes(standIn: StripeStandIn): PaymentsStandIn {
  const objects = standIn.objects;
  const outbox: StandInParams[] = [];
  const sessionIds: string[] = [];
  const intentIds: string[] = [];
  const missing = (kind: string, id: string | undefined) =>
    standIn.error(404, "invalid_request_error", `No such ${kind}: '${id ?? ""}'`, {
      code: "resource_missing",
    });
  const find = (prefix: string, id: string | undefined): StandInParams | undefined =>
    id !== undefined && id.startsWith(prefix) ? objects.get(id) : undefined;

  /** A new PaymentMethod object for a test card, optionally attached to a customer. */
  function createPaymentMethod(card: TestCard, customer: string | null): StandInParams {
    const info = TEST_CARDS[card];
    const pm: StandInParams = {
      id: standIn.id("pm"),
      object: "payment_method",
      type: "card",
      created: standIn.nowSeconds(),
      customer,
      livemode: false,
      metadata: {},
      card: { brand: info.brand, last4: info.last4, ...EXP, funding: "credit", country: "US" },
      // Not a Stripe field: which test card this is, so later charges behave like it.
      test_card: card,
    };
    objects.set(pm.id as string, pm);
    return pm;
  }

  /** The payment method a charge uses: a saved pm_… or one of the test ids directly. */
  function resolvePaymentMethod(id: string | undefined): StandInParams | undefined {
    if (id === undefined) return undefined;
    if (id in TEST_CARDS) return createPaymentMethod(id as TestCard, null);
    return find("pm_", id);
  }

  /** Confirms a PaymentIntent with its payment method: success, a decline, or authentication required. */
  function confirm(
    pi: StandInParams,
    offSession: boolean,
  ): { status: number; body: StandInParams } | StandInParams {
    const pm = resolvePaymentMethod(str(pi.payment_method));
    if (!pm) {
      return standIn.error(400, "invalid_request_error", "You must provide a payment method to confirm", {
        param: "payment_method",
      });
    }
    pi.payment_method = pm.id;
    const outcome = TEST_CARDS[pm.test_card as TestCard].outcome;
    if (outcome === "succeeds") {
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      pi.latest_charge = standIn.id("ch");
      pi.last_payment_error = null;
      outbox.push(standIn.event("payment_intent.succeeded", { ...pi }));
      return pi;
    }
    const declined = outcome === "declined";
    // Off-session, a card that needs 3-D Secure fails like a decline; on-session it would ask for action.
    if (!declined && !offSession) {
      pi.status = "requires_action";
      pi.next_action = { type: "use_stripe_sdk" };
      return pi;
    }
    const error = declined
      ? {
          type: "card_error",
          code: "card_declined",
          decline_code: "generic_decline",
          message: "Your card was declined.",
        }
      : {
          type: "card_error",
          code: "authentication_required",
          decline_code: "authentication_required",
          message: "Your card was declined. This transaction requires authentication.",
        };
    pi.status = "requires_payment_method";
    pi.last_payment_error = { ...error, payment_method: { ...pm } };
    outbox.push(standIn.event("payment_intent.payment_failed", { ...pi }));
    return standIn.error(402, "card_error", error.message, {
      code: error.code,
      decline_code: error.decline_code,
      payment_intent: { ...pi },
      payment_method: { ...pm },
    });
  }

  function newPaymentIntent(input: {
    amount: number;
    currency: string;
    customer: string | null;
    paymentMethod: string | null;
    metadata: StandInParams;
  }): StandInParams {
    const pi: StandInParams = {
      id: standIn.id("pi"),
      object: "payment_intent",
      amount: input.amount,
      amount_received: 0,
      currency: input.currency,
      customer: input.customer,
      payment_method: input.paymentMethod,
      status: input.paymentMethod === null ? "requires_payment_method" : "requires_confirmation",
      metadata: input.metadata,
      created: standIn.nowSeconds(),
      livemode: false,
      last_payment_error: null,
      latest_charge: null,
      next_action: null,
    };
    objects.set(pi.id as string, pi);
    intentIds.push(pi.id as string);
    return pi;
  }

  // ---- customers ----
  standIn.route("POST", /^\/v1\/customers$/, ({ body }) => {
    const customer: StandInParams = {
      id: standIn.id("cus"),
      object: "customer",
      created: standIn.nowSeconds(),
      name: str(body.name) ?? null,
      email: str(body.email) ?? null,
      metadata: record(body.metadata),
      invoice_settings: { default_payment_method: null },
      livemode: false,
    };
    objects.set(customer.id as string, customer);
    return customer;
  });
  standIn.route(
    "GET",
    /^\/v1\/customers\/([^/]+)$/,
    ({ params }) => find("cus_", params[0]) ?? missing("customer", params[0]),
  );
  standIn.route("POST", /^\/v1\/customers\/([^/]+)$/, ({ params, body }) => {
    const customer = find("cus_", params[0]);
    if (!customer) return missing("customer", params[0]);
    const settings = record(body.invoice_settings);
    if ("default_payment_method" in settings) {
      const pmId = str(settings.default_payment_method) ?? null;
      if (pmId !== null && find("pm_", pmId)?.customer !== customer.id) {
        return standIn.error(
          400,
          "invalid_request_error",
          `The payment method ${pmId} is not attached to ${String(customer.id)}`,
          {
            param: "invoice_settings[default_payment_method]",
          },
        );
      }
      customer.invoice_settings = { default_payment_method: pmId };
    }
    if (body.metadata !== undefined)
      customer.metadata = { ...record(customer.metadata), ...record(body.metadata) };
    return customer;
  });

  // ---- checkout sessions ----
  standIn.route("POST", /^\/v1\/checkout\/sessions$/, ({ body }) => {
    const mode = str(body.mode);
    if (mode !== "payment" && mode !== "setup") {
      return standIn.error(400, "invalid_request_error", "mode: payment or setup", { param: "mode" });
    }
    const customer = str(body.customer) ?? null;
    if (customer !== null && !find("cus_", customer)) return missing("customer", customer);
    let amount: number | null = null;
    let currency: string | null = str(body.currency) ?? null;
    if (mode === "payment") {
      const items = Array.isArray(body.line_items) ? body.line_items : Object.values(record(body.line_items));
      amount = 0;
      for (const raw of items) {
        const item = record(raw);
        const price = record(item.price_data);
        const unit = integer(price.unit_amount);
        const quantity = integer(item.quantity) ?? 1;
        if (unit === undefined || unit < 50) {
          return standIn.error(400, "invalid_request_error", "line_items: unit_amount must be at least 50", {
            param: "line_items[0][price_data][unit_amount]",
          });
        }
        amount += unit * quantity;
        currency = str(price.currency) ?? currency;
      }
    }
    const id = standIn.id("cs_test");
    const session: StandInParams = {
      id,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: mode === "payment" ? "unpaid" : "no_payment_required",
      customer,
      client_reference_id: str(body.client_reference_id) ?? null,
      amount_total: amount,
      currency,
      metadata: record(body.metadata),
      success_url: str(body.success_url) ?? null,
      cancel_url: str(body.cancel_url) ?? null,
      url: `${standIn.url}/checkout/${id}`,
      payment_intent: null,
      setup_intent: null,
      created: standIn.nowSeconds(),
      livemode: false,
      // Kept for completion; Stripe copies them onto the intents it creates.
      payment_intent_data: record(body.payment_intent_data),
      setup_intent_data: record(body.setup_intent_data),
    };
    objects.set(id, session);
    sessionIds.push(id);
    return session;
  });
  standIn.route(
    "GET",
    /^\/v1\/checkout\/sessions\/([^/]+)$/,
    ({ params }) => find("cs_", params[0]) ?? missing("checkout session", params[0]),
  );

  // ---- payment intents ----
  standIn.route("POST", /^\/v1\/payment_intents$/, ({ body }: StandInRequest) => {
    const amount = integer(body.amount);
    if (amount === undefined || amount < 50) {
      return standIn.error(400, "invalid_request_error", "Amount must be at least $0.50 usd", {
        param: "amount",
      });
    }
    const currency = str(body.currency);
    if (currency === undefined)
      return standIn.error(400, "invalid_request_error", "Missing required param: currency.", {
        param: "currency",
      });
    const customer = str(body.customer) ?? null;
    if (customer !== null && !find("cus_", customer)) return missing("customer", customer);
    const pmId = str(body.payment_method) ?? null;
    if (pmId !== null && !(pmId in TEST_CARDS)) {
      const pm = find("pm_", pmId);
      if (!pm) return missing("payment_method", pmId);
      if (customer !== null && pm.customer !== customer) {
        return standIn.error(
          400,
          "invalid_request_error",
          `The provided PaymentMethod ${pmId} does not belong to ${customer}`,
          {
            param: "payment_method",
          },
        );
      }
    }
    const pi = newPaymentIntent({
      amount,
      currency,
      customer,
      paymentMethod: pmId,
      metadata: record(body.metadata),
    });
    if (truthy(body.confirm)) return confirm(pi, truthy(body.off_session));
    return pi;
  });
  standIn.route("POST", /^\/v1\/payment_intents\/([^/]+)\/confirm$/, ({ params, body }) => {
    const pi = find("pi_", params[0]);
    if (!pi) return missing("payment_intent", params[0]);
    if (pi.status === "succeeded") {
      return standIn.error(400, "invalid_request_error", "This PaymentIntent has already succeeded", {
        code: "payment_intent_unexpected_state",
      });
    }
    const pm = str(body.payment_method);
    if (pm !== undefined) pi.payment_method = pm;
    return confirm(pi, truthy(body.off_session));
  });
  standIn.route(
    "GET",
    /^\/v1\/payment_intents\/([^/]+)$/,
    ({ params }) => find("pi_", params[0]) ?? missing("payment_intent", params[0]),
  );

  // ---- setup intents and payment methods ----
  standIn.route(
    "GET",
    /^\/v1\/setup_intents\/([^/]+)$/,
    ({ params }) => find("seti_", params[0]) ?? missing("setup_intent", params[0]),
  );
  standIn.route(
    "GET",
    /^\/v1\/payment_methods\/([^/]+)$/,
    ({ params }) => find("pm_", params[0]) ?? missing("payment_method", params[0]),
  );
  standIn.route("POST", /^\/v1\/payment_methods\/([^/]+)\/detach$/, ({ params }) => {
    const pm = find("pm_", params[0]);
    if (!pm) return missing("payment_method", params[0]);
    if (pm.customer === null) {
      return standIn.error(
        400,
        "invalid_request_error",
        "The payment method you provided is not attached to a customer so detachment is impossible.",
        {
          code: "payment_method_unexpected_state",
        },
      );
    }
    const customer = find("cus_", str(pm.customer));
    if (customer && record(customer.invoice_settings).default_payment_method === pm.id) {
      customer.invoice_settings = { default_payment_method: null };
    }
    pm.customer = null;
    outbox.push(standIn.event("payment_method.detached", { ...pm }, {}));
    return pm;
  });

  async function flush(): Promise<Delivered[]> {
    const delivered: Delivered[] = [];
    while (outbox.length > 0) {
      const event = outbox.shift() as StandInParams;
      delivered.push({ event, ...(await standIn.deliver(event)) });
    }
    return delivered;
  }

  function openSession(sessionId: string, mode: "payment" | "setup"): StandInParams {
    const session = find("cs_", sessionId);
    if (!session) throw new Error(`stand-in: no checkout session ${sessionId}`);
    if (session.mode !== mode) throw new Error(`stand-in: ${sessionId} is a ${String(session.mode)} session`);
    if (session.status !== "open")
      throw new Error(`stand-in: ${sessionId} is already ${String(session.status)}`);
    return session;
  }

  const publicView = (session: StandInParams): StandInParams => {
    const { payment_intent_data: _p, setup_intent_data: _s, ...view } = session;
    return view;
  };

  const escape = (text: string): string =>
    text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
  const cents = (amount: unknown): string =>
    typeof amount === "number" ? `$${(amount / 100).toFixed(2)}` : "";
  const withSession = (url: unknown, id: string): string =>
    String(url).replaceAll("{CHECKOUT_SESSION_ID}", id);

  // Stripe's hosted Checkout page, as a browser sees it: the session, a card choice and one button.
  standIn.page("GET", /^\/checkout\/([^/]+)$/, ({ params }) => {
    const session = find("cs_", params[0]);
    if (!session) return { html: "<!doctype html><title>Not found</title><h1>No such checkout session</h1>" };
    const payment = session.mode === "payment";
    const title = payment ? `Pay ${cents(session.amount_total)}` : "Save a card";
    return {
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Stripe stand-in</title></head>
<body><main><h1>${escape(title)}</h1>
<form method="post" action="/checkout/${escape(session.id as string)}">
<label for="card">Card</label>
<select id="card" name="card"><option value="pm_card_visa">Visa •••• 4242</option>
<option value="pm_card_mastercard">Mastercard •••• 4444</option></select>
<button type="submit">${payment ? "Pay" : "Save card"}</button>
</form>
<p><a href="${escape(withSession(session.cancel_url, session.id as string))}">Cancel</a></p></main></body></html>`,
    };
  });
  standIn.page("POST", /^\/checkout\/([^/]+)$/, async ({ params, body }) => {
    const session = find("cs_", params[0]);
    if (!session) return { html: "<!doctype html><title>Not found</title><h1>No such checkout session</h1>" };
    const chosen = str(body.card) ?? "pm_card_visa";
    const card: TestCard = chosen in TEST_CARDS ? (chosen as TestCard) : "pm_card_visa";
    if (session.mode === "payment") await api.completeCheckout(session.id as string, { card });
    else await api.completeSetup(session.id as string, { card });
    return { redirect: withSession(session.success_url, session.id as string) };
  });

  const api: PaymentsStandIn = {
    outbox,
    flush,
    async completeCheckout(sessionId, options = {}) {
      const session = openSession(sessionId, "payment");
      const card = options.card ?? "pm_card_visa";
      const pm = createPaymentMethod(card, null);
      const pi = newPaymentIntent({
        amount: session.amount_total as number,
        currency: (session.currency as string | null) ?? "usd",
        customer: (session.customer as string | null) ?? null,
        paymentMethod: pm.id as string,
        metadata: record(record(session.payment_intent_data).metadata),
      });
      const result = confirm(pi, false);
      if ("status" in result && typeof result.status === "number") {
        throw new Error(`stand-in: the hosted page keeps the customer until the card works (${card})`);
      }
      session.payment_intent = pi.id;
      session.status = "complete";
      session.payment_status = "paid";
      // Stripe sends the session's completion first; the PaymentIntent's success was queued by confirm().
      const succeeded = outbox.pop() as StandInParams;
      outbox.push(standIn.event("checkout.session.completed", publicView(session)), succeeded);
      return options.deliver === false ? [] : flush();
    },
    async completeSetup(sessionId, options = {}) {
      const session = openSession(sessionId, "setup");
      const customer = (session.customer as string | null) ?? null;
      const pm = createPaymentMethod(options.card ?? "pm_card_visa", customer);
      const seti: StandInParams = {
        id: standIn.id("seti"),
        object: "setup_intent",
        customer,
        payment_method: pm.id,
        status: "succeeded",
        usage: "off_session",
        metadata: record(record(session.setup_intent_data).metadata),
        created: standIn.nowSeconds(),
        livemode: false,
      };
      objects.set(seti.id as string, seti);
      session.setup_intent = seti.id;
      session.status = "complete";
      outbox.push(
        standIn.event("checkout.session.completed", publicView(session)),
        standIn.event("setup_intent.succeeded", { ...seti }),
      );
      return options.deliver === false ? [] : flush();
    },
    get: (id) => objects.get(id),
    sessions: () => sessionIds.map((id) => objects.get(id) as StandInParams),
    paymentIntents: () => intentIds.map((id) => objects.get(id) as StandInParams),
  };
  return api;
}
