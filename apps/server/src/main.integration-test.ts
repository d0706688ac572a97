import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

const serverDir = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-main-"));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/** Starts `src/main.ts` on a free port and resolves once it prints where it runs. */
function start(): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { ...process.env, PORT: "0", DATABASE_URL: "", EYEBALL_DATA_DIR: dataDir, INIT_CWD: serverDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start:\n${out}`));
    }, 120_000);
    const check = () => {
      const match = /Eyeball is running at (\S+)/.exec(out);
      if (
        match?.[1] &&
        /\n\s*Database:/.test(out) &&
        (/shown only this once[\s\S]*eb_test_\w+/.test(out) || /is ready/.test(out))
      ) {
        clearTimeout(timer);
        resolve({ child, output: () => out, url: match[1] });
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", (code) => {
      resolve(code);
    });
    child.kill(signal);
  });
}

describe("server main (subprocess)", () => {
  it("prints the demo test key on the first start only, serves, and stops cleanly on SIGTERM", async () => {
    const first = await start();
    const key = /(eb_test_[0-9A-Za-z]{32})/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`${first.url}/api/categories?limit=1`, {
      headers: { authorization: `Bearer ${key ?? ""}` },
    });
    expect(res.status).toBe(200);
    expect(first.output()).toMatch(/email tester@eyeball\.local {3}password [0-9A-Za-z]{16}/);

    // The demo key is a test key: the sandbox tester visits the page in Chromium and records it.
    const site = createServer((_req, res) => {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<h1>Hello</h1><script>console.log('hi')</script>");
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => site.once("listening", resolve));
    const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    const run = await fetch(`${first.url}/api/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${key ?? ""}`, "content-type": "application/json" },
      body: JSON.stringify({ url: siteUrl, description: "Look at the page", screenSize: "mobile" }),
    });
    site.close();
    expect(run.status).toBe(200);
    const body = (await run.json()) as {
      status: string;
      testerData: { screenshots: string[]; consoleMessages: { message: string }[] };
    };
    expect(body.status).toBe("completed");
    expect(body.testerData.consoleMessages.map((entry) => entry.message)).toContain("hi");
    const [shot] = body.testerData.screenshots;
    expect(shot?.startsWith(`${first.url}/artifacts/`)).toBe(true);
    const image = await fetch(shot ?? "");
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await image.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([375, 667]);
    expect(await stop(first.child, "SIGTERM")).toBe(0);
    expect(first.output()).toMatch(/Eyeball stopped\./);

    const second = await start();
    expect(second.output()).not.toMatch(/eb_test_/);
    expect(second.output()).not.toMatch(/Demo tester sign-in/);
    expect(second.output()).toMatch(/api-keys create --org demo/);
    expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    // The first start's key still works after a restart.
    expect(
      (await fetch(`${second.url}/api/equipment`, { headers: { authorization: `Bearer ${key ?? ""}` } }))
        .status,
    ).toBe(200);
    expect(await stop(second.child, "SIGINT")).toBe(0);
  }, 120_000);
});
