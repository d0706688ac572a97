// Loopback stand-ins for the providers' HTTP APIs (OpenAI Responses and Chat Completions, Anthropic Messages).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
}

/** What the stand-in's "model" answers: a JSON value as its text, raw text, an HTTP error, or no answer at all. */
export type ModelReply =
  | { json: unknown }
  | { text: string }
  | { status: number; error?: string; retryAfterMs?: number }
  | { hang: true };

export interface ProviderStandIn {
  /** API root to give the provider, e.g. http://127.0.0.1:PORT/v1. */
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function openAiResponsesBody(text: string, model: unknown): unknown {
  return {
    id: "resp_standin",
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    model,
    status: "completed",
    output: [
      {
        type: "message",
        id: "msg_standin",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
  };
}

function chatCompletionsBody(text: string, model: unknown): unknown {
  return {
    id: "chatcmpl-standin",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Anthropic answers structured output as text, or as a call of the SDK's "json" tool when it fell back to one. */
function anthropicMessagesBody(text: string, request: Record<string, unknown>): unknown {
  const tools = Array.isArray(request.tools) ? (request.tools as { name?: unknown }[]) : [];
  const usesJsonTool = tools.some((tool) => tool.name === "json");
  let input: unknown;
  if (usesJsonTool) {
    try {
      input = JSON.parse(text);
    } catch {
      input = { text };
    }
  }
  return {
    type: "message",
    id: "msg_standin",
    role: "assistant",
    model: request.model,
    content: usesJsonTool
      ? [{ type: "tool_use", id: "toolu_standin", name: "json", input }]
      : [{ type: "text", text }],
    stop_reason: usesJsonTool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  };
}

/**
 * Starts a real HTTP server on 127.0.0.1:0. POST /v1/responses answers as the OpenAI Responses API,
 * /v1/chat/completions as Chat Completions (OpenAI-compatible servers such as Ollama), /v1/messages as Anthropic.
 * `reply` decides the model's answer per request; every request is recorded.
 */
export async function startProviderStandIn(
  reply: (request: RecordedRequest) => ModelReply,
): Promise<ProviderStandIn> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        // recorded as-is; the reply decides what to do
      }
      const path = (req.url ?? "").split("?")[0] ?? "";
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path,
        headers: req.headers,
        rawBody,
        body,
      };
      requests.push(recorded);
      const answer = reply(recorded);
      if ("hang" in answer) return; // never answers; the client's time limit must end the call
      if ("status" in answer) {
        res.writeHead(answer.status, {
          "content-type": "application/json",
          // Lets retry tests run without the SDK's multi-second backoff.
          ...(answer.retryAfterMs === undefined ? {} : { "retry-after-ms": String(answer.retryAfterMs) }),
        });
        res.end(
          JSON.stringify({ error: { message: answer.error ?? "stand-in failure", type: "server_error" } }),
        );
        return;
      }
      const text = "json" in answer ? JSON.stringify(answer.json) : answer.text;
      let payload: unknown;
      if (path.endsWith("/responses")) payload = openAiResponsesBody(text, body.model);
      else if (path.endsWith("/chat/completions")) payload = chatCompletionsBody(text, body.model);
      else if (path.endsWith("/messages")) payload = anthropicMessagesBody(text, body);
      else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `no route ${path}`, type: "not_found" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
