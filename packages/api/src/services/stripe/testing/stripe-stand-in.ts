// A loopback stand-in of the Stripe HTTP API for tests: the real `stripe` SDK talks to it over HTTP.
// This file is the core (server, form parsing, ids, errors, signed event delivery); the resources live
// in stand-in-*.ts modules that register their routes (payments, Connect).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import qs from "qs";
import Stripe from "stripe";

export type StandInParams = Record<string, unknown>;

export interface StandInRequest {
  method: string;
  /** Path without the query, e.g. /v1/payment_intents/pi_123/confirm. */
  path: string;
  /** Captures of the route's pattern, e.g. the id in /v1/payment_intents/:id. */
  params: string[];
  /** Form body (POST) or query (GET/DELETE), decoded the way Stripe decodes it (`metadata[orgId]`, `expand[0]`). */
  body: StandInParams;
  headers: IncomingMessage["headers"];
  idempotencyKey: string | undefined;
}

/** What a handler returns: a JSON object (200) or `{status, body}`. */
export type StandInResult = StandInParams | { status: number; body: StandInParams };
export type StandInHandler = (request: StandInRequest) => StandInResult | Promise<StandInResult>;

/** A page a browser opens (Stripe's hosted Checkout): no API key, HTML or a redirect. */
export type StandInPageResult = { html: string } | { redirect: string };
export type StandInPageHandler = (request: StandInRequest) => StandInPageResult | Promise<StandInPageResult>;

export interface StandInRoute {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  handler: StandInHandler;
}

export interface StripeStandIn {
  /** http://127.0.0.1:<port> — give it to StripeConfig.apiBaseUrl. */
  url: string;
  /** The secret key clients must send (`Authorization: Bearer …`); anything else gets a 401. */
  secretKey: string;
  /** The webhook signing secret the stand-in signs events with. */
  webhookSecret: string;
  /** Every object the resources created, by id (resources keep their own typed views too). */
  objects: Map<string, StandInParams>;
  /** Every request received, in order (method, path, body, idempotency key) — for assertions. */
  requests: StandInRequest[];
  route(method: StandInRoute["method"], pattern: RegExp, handler: StandInHandler): void;
  /** A browser-facing page (GET, or POST from its form) outside /v1: answered without the API key. */
  page(method: "GET" | "POST", pattern: RegExp, handler: StandInPageHandler): void;
  /** A Stripe-style id: `pi_` + 24 random characters. */
  id(prefix: string): string;
  /** Current time in seconds, from the injected clock (Stripe's `created` fields). */
  nowSeconds(): number;
  /** A Stripe error body with status (card_error, invalid_request_error, …). */
  error(
    status: number,
    type: string,
    message: string,
    extra?: StandInParams,
  ): { status: number; body: StandInParams };
  /** An Event object of `type` around `object` (not sent). */
  event(type: string, object: StandInParams, options?: { id?: string; created?: number }): StandInParams;
  /** The raw body and a valid Stripe-Signature header for an event (or a forged one with `secret`). */
  sign(
    event: StandInParams,
    options?: { secret?: string; timestamp?: number },
  ): { payload: string; signature: string };
  /** POSTs a signed event to the configured webhook URL and returns the receiver's status and body. */
  deliver(
    event: StandInParams,
    options?: { secret?: string; timestamp?: number },
  ): Promise<{ status: number; body: string }>;
  /** Where deliver() posts (the server's /api/stripe/webhook). */
  webhookUrl: string | undefined;
  close(): Promise<void>;
}

export interface StripeStandInOptions {
  secretKey?: string;
  webhookSecret?: string;
  /** Milliseconds since the epoch (default Date.now); share the test's clock. */
  now?: () => number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const secretKey = options.secretKey ?? `sk_test_${randomBytes(12).toString("hex")}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString("hex")}`;
  const now = options.now ?? Date.now;
  const routes: StandInRoute[] = [];
  const pages: { method: string; pattern: RegExp; handler: StandInPageHandler }[] = [];
  const objects = new Map<string, StandInParams>();
  const requests: StandInRequest[] = [];
  // Stripe replays the first response for a repeated Idempotency-Key; the SDK's retries rely on it.
  const idempotent = new Map<string, { status: number; body: StandInParams }>();
  const signer = new Stripe(secretKey);

  const standIn: StripeStandIn = {
    url: "",
    secretKey,
    webhookSecret,
    objects,
    requests,
    webhookUrl: undefined,
    route(method, pattern, handler) {
      routes.push({ method, pattern, handler });
    },
    page(method, pattern, handler) {
      pages.push({ method, pattern, handler });
    },
    id(prefix) {
      return `${prefix}_${randomBytes(12).toString("hex")}`;
    },
    nowSeconds() {
      return Math.floor(now() / 1000);
    },
    error(status, type, message, extra = {}) {
      return { status, body: { error: { type, message, ...extra } } };
    },
    event(type, object, eventOptions = {}) {
      return {
        id: eventOptions.id ?? standIn.id("evt"),
        object: "event",
        api_version: "2025-01-01",
        created: eventOptions.created ?? standIn.nowSeconds(),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      };
    },
    sign(event, signOptions = {}) {
      const payload = JSON.stringify(event);
      const signature = signer.webhooks.generateTestHeaderString({
        payload,
        secret: signOptions.secret ?? webhookSecret,
        timestamp: signOptions.timestamp ?? standIn.nowSeconds(),
      });
      return { payload, signature };
    },
    async deliver(event, signOptions) {
      if (standIn.webhookUrl === undefined) throw new Error("stand-in: set webhookUrl before deliver()");
      const { payload, signature } = standIn.sign(event, signOptions);
      const res = await fetch(standIn.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      });
      return { status: res.status, body: await res.text() };
    },
    close() {
      return new Promise((resolve, reject) =>
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        }),
      );
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: StandInParams): void => {
      res.writeHead(status, { "content-type": "application/json", "request-id": standIn.id("req") });
      res.end(JSON.stringify(body));
    };
    const pageUrl = new URL(req.url ?? "/", "http://stand-in");
    for (const page of pages) {
      const match = page.method === req.method ? page.pattern.exec(pageUrl.pathname) : null;
      if (!match) continue;
      const raw = req.method === "POST" ? await readBody(req) : pageUrl.search.slice(1);
      const result = await page.handler({
        method: page.method,
        path: pageUrl.pathname,
        params: match.slice(1),
        body: qs.parse(raw),
        headers: req.headers,
        idempotencyKey: undefined,
      });
      if ("redirect" in result) {
        res.writeHead(303, { location: result.redirect });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(result.html);
      }
      return;
    }
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      return;
    }
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const raw = method === "POST" ? await readBody(req) : url.search.slice(1);
    const body = qs.parse(raw, { depth: 10, arrayLimit: 100 }) as StandInParams;
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    const replayKey =
      idempotencyKey === undefined ? undefined : `${method} ${url.pathname} ${idempotencyKey}`;
    const replay = replayKey === undefined ? undefined : idempotent.get(replayKey);
    if (replay) {
      send(replay.status, replay.body);
      return;
    }
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const request: StandInRequest = {
        method,
        path: url.pathname,
        params: match.slice(1),
        body,
        headers: req.headers,
        idempotencyKey,
      };
      requests.push(request);
      const result = await route.handler(request);
      const response =
        "status" in result && typeof result.status === "number" && "body" in result
          ? (result as { status: number; body: StandInParams })
          : { status: 200, body: result };
      if (replayKey !== undefined && method === "POST") idempotent.set(replayKey, response);
      send(response.status, response.body);
      return;
    }
    requests.push({ method, path: url.pathname, params: [], body, headers: req.headers, idempotencyKey });
    send(404, {
      error: { type: "invalid_request_error", message: `stand-in: no route ${method} ${url.pathname}` },
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return standIn;
}
