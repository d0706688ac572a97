// A local site for browser tests: a page that logs, makes a request and has a button, and a count of what it served.
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";

export const FIXTURE_PAGE = `<!doctype html>
<html><head><title>Fixture shop</title>
<style>body{margin:0;font-family:sans-serif} #go{position:absolute;left:40px;top:60px;width:120px;height:40px}</style>
</head><body>
<h1>Fixture shop</h1>
<button id="go" onclick="console.log('clicked at ' + innerWidth + 'x' + innerHeight); fetch('/api/order', {method: 'POST'})">Buy</button>
<script>
  console.log('fixture loaded ' + innerWidth + 'x' + innerHeight);
  console.warn('low stock');
  fetch('/api/ping').then((r) => console.log('ping ' + r.status));
</script>
</body></html>`;

export interface FixtureSite {
  url: string;
  /** Paths requested so far, with their methods ("GET /", "GET /api/ping", …). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFixtureSite(): Promise<FixtureSite> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? "GET"} ${req.url ?? "/"}`);
    if (req.url === "/api/ping") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else if (req.url === "/api/order") {
      res.writeHead(201, { "content-type": "application/json" }).end('{"order":1}');
    } else if (req.url === "/" || req.url === "/shop") {
      res.writeHead(200, { "content-type": "text/html" }).end(FIXTURE_PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/shop`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
