// Retries only where safe, Retry-After honoured, typed errors per status, and the polling fallback — against a loopback server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createEyeballClient,
  InsufficientCreditError,
  NotFoundError,
  RateLimitError,
  ServerError,
  WaitTimeoutError,
} from "./index";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
let handler: Handler;
const seen: { method: string; url: string; idempotencyKey: string | undefined; body: string }[] = [];
const slept: number[] = [];
const sleep = (ms: number) => {
  slept.push(ms);
  return Promise.resolve();
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        body,
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
  slept.length = 0;
});

const client = (extra: Parameters<typeof createEyeballClient>[0] = {}) =>
  createEyeballClient({ apiKey: "eb_test_x", baseUrl: base, sleep, ...extra });
const jobBody = { url: "https://example.com", description: "Check it", outputSchema: {} };

describe("retries", () => {
  it("retries a read on 503 and 502 with growing backoff, then succeeds", async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      if (calls <= 2) json(res, calls === 1 ? 503 : 502, { error: "unavailable", message: "busy" });
      else json(res, 200, { id: "j1", status: "waiting" });
    };
    await expect(client().jobs.get("j1")).resolves.toEqual({ id: "j1", status: "waiting" });
    expect(calls).toBe(3);
    expect(slept).toEqual([500, 1000]);
    expect(seen[0]!.url).toBe("/api/job/j1");
  });

  it("honours Retry-After on 429 and gives up with RateLimitError after maxRetries", async () => {
    handler = (_req, res) => {
      json(res, 429, { error: "rate_limited", message: "slow down" }, { "retry-after": "3" });
    };
    const error = await client({ retry: { maxRetries: 1 } })
      .jobs.get("j1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterSeconds).toBe(3);
    expect(seen).toHaveLength(2);
    expect(slept).toEqual([3000]);
  });

  it("retries a create with the same Idempotency-Key, and a caller's key is sent as is", async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      if (calls === 1) json(res, 503, { error: "unavailable", message: "busy" });
      else json(res, 201, { jobId: "j2", message: "created" });
    };
    await expect(client().jobs.create(jobBody)).resolves.toMatchObject({ jobId: "j2" });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.idempotencyKey).toBe(seen[0]!.idempotencyKey);
    expect(JSON.parse(seen[1]!.body)).toEqual(jobBody);

    seen.length = 0;
    await client().jobs.create(jobBody, { idempotencyKey: "ci-run-42" });
    expect(seen[0]!.idempotencyKey).toBe("ci-run-42");
  });

  it("never retries an owner action (not safe to repeat): one attempt, then ServerError", async () => {
    handler = (_req, res) => {
      json(res, 503, { error: "unavailable", message: "busy" });
    };
    await expect(client().jobs.pause("j1")).rejects.toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(1);
    await expect(client().runBlocking(jobBody)).rejects.toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(2);
  });

  it("turns a refused connection into ConnectionError after retrying a read", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const error = await createEyeballClient({ apiKey: "k", baseUrl: `http://127.0.0.1:${port}`, sleep })
      .health()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/GET \/api\/health/);
    expect(slept).toHaveLength(2);
  });
});

describe("typed errors", () => {
  it.each([
    [400, BadRequestError, "validation_error", "url: must be a URL"],
    [401, AuthenticationError, "unauthorized", "Invalid API key"],
    [402, InsufficientCreditError, "insufficient_credit", "Insufficient credit"],
    [404, NotFoundError, "not_found", "job x not found"],
    [409, ConflictError, "conflict", "already settled"],
  ] as const)("%i → %o with the body's type and message", async (status, Type, type, message) => {
    handler = (_req, res) => {
      json(res, status, { error: type, message });
    };
    const error = await client()
      .jobs.create(jobBody)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Type);
    expect(error).toMatchObject({ status, type, message: `POST /api/jobs: ${status} ${message}` });
  });

  it("keeps a non-JSON error body readable", async () => {
    handler = (_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("upstream exploded");
    };
    const error = await client({ retry: { maxRetries: 0 } })
      .jobs.get("j")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
  });

  it("requires an API key and a URL", () => {
    expect(() => createEyeballClient({ apiKey: "" })).toThrow(/apiKey/);
    expect(() => createEyeballClient({ apiKey: "k", baseUrl: "not a url" })).toThrow(/baseUrl/);
  });
});

describe("waiting", () => {
  it("falls back to polling with backoff when the server has no event stream", async () => {
    let polls = 0;
    handler = (req, res) => {
      if (req.url?.endsWith("/events")) {
        json(res, 404, { error: "not_found", message: "no route GET /api/job/j/events" });
        return;
      }
      polls += 1;
      json(res, 200, {
        id: "j",
        status: polls < 4 ? "waiting" : polls < 5 ? "working" : "completed",
        costUsd: 0.0018,
      });
    };
    const updates: string[] = [];
    const job = await client().jobs.wait("j", { onUpdate: (j) => updates.push(j.status) });
    expect(job).toMatchObject({ status: "completed", costUsd: 0.0018 });
    expect(updates).toEqual(["waiting", "working", "completed"]);
    // A change polls again after 1 s; unchanged polls back off ×1.5 (1.5 s, 2.25 s).
    expect(slept).toEqual([1000, 1500, 2250, 1000]);
  });

  it("gives up with WaitTimeoutError naming the job and its last status", async () => {
    handler = (req, res) => {
      if (req.url?.endsWith("/events")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`event: job\ndata: ${JSON.stringify({ id: "j", status: "working" })}\n\n`);
        return; // never ends
      }
      json(res, 200, { id: "j", status: "working" });
    };
    const error = await client()
      .jobs.wait("j", { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ jobId: "j", status: "working" });
    server.closeAllConnections();
  });

  it("stops at once when the caller aborts", async () => {
    handler = (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: job\ndata: ${JSON.stringify({ id: "j", status: "waiting" })}\n\n`);
    };
    const controller = new AbortController();
    const waiting = client().jobs.wait("j", {
      signal: controller.signal,
      onUpdate: () => {
        controller.abort(new Error("user gave up"));
      },
    });
    await expect(waiting).rejects.toThrow("user gave up");
    server.closeAllConnections();
  });
});
