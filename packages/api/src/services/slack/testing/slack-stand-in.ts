// A loopback stand-in of Slack's incoming webhooks for tests: records each posted message; can be told to fail.
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";

export interface ReceivedSlackMessage {
  path: string;
  body: { text?: string; blocks?: unknown[] } & Record<string, unknown>;
}

export interface SlackStandIn {
  /** Base URL; a webhook URL is `${url}/services/<anything>`. */
  url: string;
  received: ReceivedSlackMessage[];
  /** Status to answer with (Slack answers 200 "ok"; e.g. 404 "no_service" or 500 to test failures). */
  status: number;
  close(): Promise<void>;
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const standIn: SlackStandIn = {
    url: "",
    received: [],
    status: 200,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(405).end("invalid_method");
        return;
      }
      if (standIn.status !== 200) {
        res.writeHead(standIn.status, { "content-type": "text/plain" }).end("no_service");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedSlackMessage["body"];
      standIn.received.push({ path: req.url ?? "/", body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
