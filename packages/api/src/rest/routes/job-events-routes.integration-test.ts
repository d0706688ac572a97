// GET /api/job/:jobId/events over HTTP: the current body at once, every change, `end` at the terminal state, errors as JSON.
import { randomBytes } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type AppServices, createAccessServices } from "../../app-services";
import { createHarness, type Harness } from "../../services/jobs/testing/harness";
import { createRestRouter } from "../router";
import { createJobEventsRoutes } from "./job-events-routes";
import { createRunhumanRoutes } from "./runhuman-routes";

interface Frame {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames from a fetch body until `until` says stop or the server closes. */
async function readFrames(
  res: Response,
  until: (frames: Frame[]) => boolean = () => false,
): Promise<Frame[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Frame[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return frames;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: Partial<Frame> & { data?: Record<string, unknown> } = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [field, ...rest] = line.split(": ");
        const text = rest.join(": ");
        if (field === "id") frame.id = text;
        if (field === "event") frame.event = text;
        if (field === "data") frame.data = JSON.parse(text) as Record<string, unknown>;
      }
      if (frame.event) frames.push(frame as Frame);
      if (until(frames)) {
        await reader.cancel();
        return frames;
      }
    }
  }
}

describeEachEngine("GET /api/job/:jobId/events", (getDb) => {
  let h: Harness;
  let services: AppServices;
  let server: Server;
  let base: string;
  let key: string;

  const headers = (k = key) => ({ authorization: `Bearer ${k}`, "content-type": "application/json" });

  async function newKey(): Promise<string> {
    const org = await services.orgs.create({ slug: `ev-${randomBytes(4).toString("hex")}` });
    return (await services.apiKeys.create(org.id, { name: "events", mode: "test" })).key;
  }

  async function createJob(): Promise<string> {
    const res = await fetch(`${base}/jobs`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ url: "https://example.com", description: "Check the page", outputSchema: {} }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { jobId: string }).jobId;
  }

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = {
      db: h.db,
      clock: h.clock,
      config: h.config,
      ...createAccessServices({ db: h.db, clock: h.clock }),
    };
    key = await newKey();
    const app = express();
    app.use(
      "/api",
      createRestRouter(services, {
        rateLimit: false,
        routes: [
          createRunhumanRoutes(h.services),
          createJobEventsRoutes({ ...h.services, events: h.deps.events }),
        ],
      }),
    );
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  it("sends the current body at once, each change with its event id, then end, and closes", async () => {
    const jobId = await createJob();
    const res = await fetch(`${base}/job/${jobId}/events`, { headers: headers() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = readFrames(res);

    const [assignmentId] = await h.services.sandbox.claim(jobId);
    if (!assignmentId) throw new Error("nothing claimed");
    h.clock.advance(30_000);
    await h.services.sandbox.work(assignmentId);
    await h.runExtractions();

    const frames = await reading;
    expect(frames[0]).toMatchObject({ event: "job", data: { id: jobId } });
    expect(frames[0]!.id).toBeUndefined();
    const statuses = frames.filter((f) => f.event === "job").map((f) => f.data.status);
    expect(statuses).toContain("working");
    expect(statuses.at(-1)).toBe("completed");
    const last = frames.filter((f) => f.event === "job").at(-1)!;
    expect(last.data.costUsd).toBe(0.054);
    expect(typeof last.data.testerResponse).toBe("string");
    expect(frames.at(-1)!.event).toBe("end");
    const ids = frames
      .slice(1)
      .filter((f) => f.event === "job")
      .map((f) => BigInt(f.id!));
    expect(ids.length).toBeGreaterThan(0);
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
  });

  it("resumes after Last-Event-ID and ends at once for a terminal job", async () => {
    const jobId = await createJob();
    const first = await fetch(`${base}/job/${jobId}/events`, { headers: headers() });
    const [assignmentId] = await h.services.sandbox.claim(jobId);
    const seen = await readFrames(first, (frames) => frames.some((f) => f.data.status === "working"));
    const resumeFrom = seen.filter((f) => f.id !== undefined).at(-1)!.id!;
    h.clock.advance(5_000);
    await h.services.sandbox.work(assignmentId!);
    await h.runExtractions();

    const resumed = await readFrames(
      await fetch(`${base}/job/${jobId}/events`, { headers: { ...headers(), "last-event-id": resumeFrom } }),
    );
    // The current body first, then only events after the resume point, then end.
    expect(resumed[0]!.data.status).toBe("completed");
    const replayed = resumed.slice(1).filter((f) => f.event === "job");
    expect(replayed.every((f) => BigInt(f.id!) > BigInt(resumeFrom))).toBe(true);
    expect(resumed.at(-1)!.event).toBe("end");
  });

  it("answers 404 and 401 as JSON errors before any stream opens", async () => {
    const missing = await fetch(`${base}/job/00000000-0000-7000-8000-000000000000/events`, {
      headers: headers(),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
    const other = await newKey();
    const jobId = await createJob();
    const foreign = await fetch(`${base}/job/${jobId}/events`, { headers: headers(other) });
    expect([403, 404]).toContain(foreign.status);
    const anonymous = await fetch(`${base}/job/${jobId}/events`);
    expect(anonymous.status).toBe(401);
  });
});
