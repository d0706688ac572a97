// A loopback stand-in of the GitHub REST API for tests: repos, contents, issues list and create, as Octokit calls them.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

export interface StandInIssue {
  number: number;
  title: string;
  body: string;
  html_url: string;
  state: "open" | "closed";
}

export interface RecordedGithubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface GithubStandIn {
  /** The base URL to give Octokit (ApiConfig.github.apiBaseUrl). */
  url: string;
  requests: RecordedGithubRequest[];
  /** Adds a repository with its files (path → text); returns its issues list. */
  addRepo(fullName: string, files?: Record<string, string>): StandInIssue[];
  /** Only this token is accepted when set (401 otherwise); null accepts any request. */
  requireToken: string | null;
  close(): Promise<void>;
}

interface Repo {
  files: Map<string, string>;
  issues: StandInIssue[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export async function startGithubStandIn(): Promise<GithubStandIn> {
  const repos = new Map<string, Repo>();
  const requests: RecordedGithubRequest[] = [];
  let url = "";
  const standIn: GithubStandIn = {
    url: "",
    requests,
    requireToken: null,
    addRepo(fullName, files = {}) {
      const repo: Repo = { files: new Map(Object.entries(files)), issues: [] };
      repos.set(fullName.toLowerCase(), repo);
      return repo.issues;
    },
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    requests.push({ method, path: pathname, authorization: req.headers.authorization });
    if (standIn.requireToken !== null && req.headers.authorization !== `token ${standIn.requireToken}`) {
      send(res, 401, { message: "Bad credentials" });
      return;
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    const repo = match ? repos.get(`${match[1]}/${match[2]}`.toLowerCase()) : undefined;
    if (!match || !repo) {
      send(res, 404, { message: "Not Found" });
      return;
    }
    const rest = match[3] ?? "";
    if (method === "GET" && rest === "") {
      send(res, 200, { full_name: `${match[1]}/${match[2]}`, private: false });
      return;
    }
    const content = /^\/contents\/(.+)$/.exec(rest);
    if (method === "GET" && content) {
      const path = decodeURIComponent(content[1] ?? "");
      const text = repo.files.get(path);
      if (text === undefined) {
        send(res, 404, { message: "Not Found" });
        return;
      }
      send(res, 200, {
        type: "file",
        path,
        name: path.split("/").at(-1),
        encoding: "base64",
        content: Buffer.from(text, "utf8")
          .toString("base64")
          .replace(/(.{60})/g, "$1\n"),
      });
      return;
    }
    if (rest === "/issues" && method === "GET") {
      send(res, 200, repo.issues);
      return;
    }
    if (rest === "/issues" && method === "POST") {
      const body = await readJson(req);
      const number = repo.issues.length + 1;
      const issue: StandInIssue = {
        number,
        title: String(body.title),
        body: typeof body.body === "string" ? body.body : "",
        html_url: `${url}/${match[1]}/${match[2]}/issues/${number}`,
        state: "open",
      };
      repo.issues.push(issue);
      send(res, 201, issue);
      return;
    }
    send(res, 404, { message: "Not Found" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.url = url;
  return standIn;
}
