// Recording artifacts on both engines: resumable tRPC uploads, their checks, and what owners and integrators read back.
import { createHash, randomBytes } from "node:crypto";
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../../actor";
import { type ContextServices, createContextInner } from "../../context";
import { createArtifactDownloadRouter } from "../../rest/artifact-download";
import { createRestRouter } from "../../rest/router";
import { createRunhumanRoutes } from "../../rest/routes/runhuman-routes";
import { createCaller } from "../../root";
import { createHarness, type Harness } from "../jobs/testing/harness";
import { pngOf } from "./testing/png";
import { timelineText } from "./timeline";
import { trpcError } from "../../routers/testing/trpc-error";

type TesterActor = Extract<Actor, { kind: "tester" }>;

const FINDINGS = "The checkout button works and the order was placed. Done.";
const schema = { checkoutWorks: { type: "boolean", description: "Did the checkout work?" } } as const;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describeEachEngine("recording artifacts", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let base: string;
  let server: Server;
  let key: string;
  let owner: Actor;

  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  async function newTester(): Promise<TesterActor> {
    const testerId = await h.newTester();
    const profile = await h.db.testerProfile.findUniqueOrThrow({ where: { id: testerId } });
    return { kind: "tester", userId: profile.userId, testerId };
  }

  /** A live job (desktop screen) claimed by a new tester. */
  async function claimedJob() {
    const job = await caller(owner).jobs.create({
      url: "https://shop.example/checkout",
      description: "Buy the blue shirt",
      outputSchema: schema,
      screenSize: "desktop",
    });
    const tester = await newTester();
    const { assignment } = await caller(tester).tester.claim({ jobId: job.id });
    return { job, tester, assignmentId: assignment.id, artifacts: caller(tester).tester.artifacts };
  }

  /** The path and query of a signed link, on this test's server. */
  const onServer = (url: string) => {
    const link = new URL(url);
    return `${base}${link.pathname}${link.search}`;
  };

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    const org = await services.orgs.create({ slug: `art-${randomBytes(4).toString("hex")}` });
    await h.deps.ledger.grantCredits({ orgId: org.id, mode: "live", micros: 100_000_000n });
    key = (await services.apiKeys.create(org.id, { name: "artifacts", mode: "live" })).key;
    owner = await services.apiKeys.authenticate(`Bearer ${key}`);
    const app = express();
    app.use(
      "/api",
      createRestRouter(services, { rateLimit: false, routes: [createRunhumanRoutes(h.services)] }),
    );
    app.use("/artifacts", createArtifactDownloadRouter(h.services.artifacts));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  it("uploads a screenshot in chunks, survives a lost answer and a wrong offset, and completes with its pixel size", async () => {
    const { job, assignmentId, artifacts } = await claimedJob();
    const png = pngOf(1920, 1080);
    const cut = Math.floor(png.length / 2);
    const first = png.subarray(0, cut);
    const rest = png.subarray(cut);

    const upload = await artifacts.begin({ assignmentId, kind: "screenshot", contentType: "image/png" });
    expect(upload).toMatchObject({ status: "uploading", uploadedBytes: 0, kind: "screenshot" });
    await expect(
      artifacts.append({ artifactId: upload.id, offset: 0, data: b64(first) }),
    ).resolves.toMatchObject({
      uploadedBytes: cut,
    });
    // The answer was lost and the app sends the same chunk again: nothing changes.
    await expect(
      artifacts.append({ artifactId: upload.id, offset: 0, data: b64(first) }),
    ).resolves.toMatchObject({
      uploadedBytes: cut,
    });
    // A chunk from the wrong place is refused with where to resume.
    const wrong = await trpcError(
      artifacts.append({ artifactId: upload.id, offset: cut + 10, data: b64(rest) }),
    );
    expect(wrong.code).toBe("CONFLICT");
    expect(wrong.message).toContain(`offset must be ${cut}`);
    // After a crash the app asks where each upload stands.
    const listed = await artifacts.list({ assignmentId });
    expect(listed).toEqual([
      expect.objectContaining({ id: upload.id, uploadedBytes: cut, status: "uploading" }),
    ]);

    await artifacts.append({ artifactId: upload.id, offset: cut, data: b64(rest) });
    const done = await artifacts.complete({ artifactId: upload.id, bytes: png.length, sha256: sha256(png) });
    expect(done).toMatchObject({ status: "complete", width: 1920, height: 1080, uploadedBytes: png.length });
    expect(done.sha256).toBe(sha256(png));
    // Completing again is harmless; appending to a finished upload is not allowed.
    await expect(artifacts.complete({ artifactId: upload.id })).resolves.toMatchObject({
      status: "complete",
    });
    expect(
      (await trpcError(artifacts.append({ artifactId: upload.id, offset: png.length, data: b64(rest) })))
        .code,
    ).toBe("CONFLICT");
    const event = await h.db.jobEvent.findFirst({ where: { jobId: job.id, type: "artifact.uploaded" } });
    expect(event?.payload).toEqual({ artifactId: upload.id, kind: "screenshot" });
  });

  it("refuses other testers, unknown kinds and types, bad timelines, and sizes or checksums that do not match", async () => {
    const { assignmentId, artifacts } = await claimedJob();
    const stranger = caller(await newTester()).tester.artifacts;
    expect(
      (await trpcError(stranger.begin({ assignmentId, kind: "video", contentType: "video/webm" }))).code,
    ).toBe("FORBIDDEN");
    const upload = await artifacts.begin({
      assignmentId,
      kind: "console",
      contentType: "application/x-ndjson",
    });
    expect((await trpcError(stranger.append({ artifactId: upload.id, offset: 0, data: "AAAA" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await trpcError(stranger.list({ assignmentId }))).code).toBe("FORBIDDEN");

    const badKind = await trpcError(
      artifacts.begin({ assignmentId, kind: "audio" as "video", contentType: "audio/ogg" }),
    );
    expect(badKind.code).toBe("BAD_REQUEST");
    expect(badKind.message).toContain("kind");
    const badType = await trpcError(
      artifacts.begin({ assignmentId, kind: "screenshot", contentType: "text/plain" }),
    );
    expect(badType.code).toBe("BAD_REQUEST");
    expect(badType.message).toMatch(/contentType: must be image\/png or image\/jpeg/);
    const notBase64 = await trpcError(
      artifacts.append({ artifactId: upload.id, offset: 0, data: "not base64!" }),
    );
    expect(notBase64.message).toContain("data");

    const lines = `${JSON.stringify({ type: "log", message: "ok", timestamp: "2030-01-01T12:00:00.000Z" })}\n{"type":"log","message":"no time"}\n`;
    const bytes = Buffer.from(lines);
    await artifacts.append({ artifactId: upload.id, offset: 0, data: b64(bytes) });
    const wrongSize = await trpcError(artifacts.complete({ artifactId: upload.id, bytes: bytes.length + 5 }));
    expect(wrongSize.code).toBe("CONFLICT");
    expect(wrongSize.message).toContain(`send the rest from offset ${bytes.length}`);
    const wrongSum = await trpcError(artifacts.complete({ artifactId: upload.id, sha256: "0".repeat(64) }));
    expect(wrongSum.code).toBe("BAD_REQUEST");
    expect(wrongSum.message).toContain("sha256");
    const badLine = await trpcError(artifacts.complete({ artifactId: upload.id }));
    expect(badLine.code).toBe("BAD_REQUEST");
    expect(badLine.message).toMatch(/^console line 2: timestamp: /);
    // Nothing half-written: the upload is still open, and nothing reached the recording.
    expect((await artifacts.list({ assignmentId }))[0]).toMatchObject({ status: "uploading" });

    const fake = await artifacts.begin({ assignmentId, kind: "screenshot", contentType: "image/png" });
    await artifacts.append({ artifactId: fake.id, offset: 0, data: b64(Buffer.from("GIF89a not a png")) });
    expect((await trpcError(artifacts.complete({ artifactId: fake.id }))).message).toContain(
      "not a PNG or JPEG",
    );
  });

  it("run(human) testerData and jobs.recording show the recording; links are signed, expire and serve byte ranges", async () => {
    const { job, tester, assignmentId, artifacts } = await claimedJob();
    const t0 = Date.UTC(2030, 0, 1, 12);
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const uploads = [
      ["console", [{ type: "error", message: "TypeError: x is undefined", timestamp: at(3) }]],
      ["console", [{ type: "log", message: "app started", timestamp: at(1) }]],
      ["network", [{ url: "https://shop.example/api/cart", method: "POST", status: 500, timestamp: at(2) }]],
      ["clicks", [{ x: 960, y: 540, timestamp: at(2), element: "#buy" }]],
    ] as const;
    for (const [kind, entries] of uploads) {
      const data = Buffer.from(timelineText(entries));
      const upload = await artifacts.begin({ assignmentId, kind, contentType: "application/x-ndjson" });
      await artifacts.append({ artifactId: upload.id, offset: 0, data: b64(data) });
      await artifacts.complete({ artifactId: upload.id });
    }
    const png = pngOf(1920, 1080, 30);
    const shot = await artifacts.begin({ assignmentId, kind: "screenshot", contentType: "image/png" });
    await artifacts.append({ artifactId: shot.id, offset: 0, data: b64(png) });
    await artifacts.complete({ artifactId: shot.id });
    const video = await artifacts.begin({ assignmentId, kind: "video", contentType: "video/webm" });
    const webm = randomBytes(5000);
    await artifacts.append({ artifactId: video.id, offset: 0, data: b64(webm) });
    await artifacts.complete({ artifactId: video.id });

    await caller(tester).tester.submit({ id: assignmentId, message: FINDINGS });
    await h.runExtractions();

    const res = await fetch(`${base}/api/job/${job.id}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { status: string; testerData: Record<string, unknown> };
    expect(body.status).toBe("completed");
    expect(body.testerData).toMatchObject({
      consoleMessages: [
        { type: "log", message: "app started", timestamp: at(1) },
        { type: "error", message: "TypeError: x is undefined", timestamp: at(3) },
      ],
      networkRequests: [
        { url: "https://shop.example/api/cart", method: "POST", status: 500, timestamp: at(2) },
      ],
      clicks: [{ x: 960, y: 540, timestamp: at(2), element: "#buy" }],
    });
    const [screenshotUrl] = body.testerData.screenshots as string[];
    expect(screenshotUrl).toMatch(new RegExp(`/artifacts/${shot.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    expect(body.testerData.videoUrl).toMatch(new RegExp(`/artifacts/${video.id}\\?`));

    const image = await fetch(onServer(screenshotUrl ?? ""));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    const part = await fetch(onServer(String(body.testerData.videoUrl)), {
      headers: { range: "bytes=100-199" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(webm.subarray(100, 200))).toBe(true);

    const tampered = onServer(screenshotUrl ?? "").replace(
      /signature=([0-9a-f])/,
      (_, c: string) => `signature=${c === "0" ? "1" : "0"}`,
    );
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "forbidden" });
    // The owner's portal view: every slot's recording.
    const recording = await caller(owner).jobs.recording({ id: job.id });
    expect(recording.slots).toHaveLength(1);
    expect(recording.slots[0]).toMatchObject({
      assignmentId,
      video: { id: video.id, contentType: "video/webm" },
    });
    expect(recording.slots[0]?.screenshots[0]).toMatchObject({ id: shot.id, width: 1920, height: 1080 });
    // Uploaded without capture times: the portal falls back to counting from the first entry.
    expect(recording.slots[0]).toMatchObject({ videoStartedAt: null, video: { capturedAt: null } });
    expect(recording.slots[0]?.screenshots[0]?.capturedAt).toBeNull();
    expect(body.testerData).not.toHaveProperty("videoStartedAt");
    const otherOrg = await services.orgs.create({ slug: `art-${randomBytes(4).toString("hex")}` });
    const otherKey = (await services.apiKeys.create(otherOrg.id, { name: "other", mode: "live" })).key;
    const other = await services.apiKeys.authenticate(`Bearer ${otherKey}`);
    expect((await trpcError(caller(other).jobs.recording({ id: job.id }))).code).toBe("FORBIDDEN");

    // Past the link's lifetime the same URL is refused; reading the job again signs a fresh one.
    h.clock.advance(h.config.artifactLinkTtlMs + 2 * 60 * 60 * 1000);
    expect((await fetch(onServer(screenshotUrl ?? ""))).status).toBe(403);
    const again = (await (
      await fetch(`${base}/api/job/${job.id}`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as {
      testerData: { screenshots: string[] };
    };
    expect((await fetch(onServer(again.testerData.screenshots[0] ?? ""))).status).toBe(200);
  });

  it("keeps each upload's capturedAt: jobs.recording and testerData give the video's frame 0 as videoStartedAt", async () => {
    const { job, tester, assignmentId, artifacts } = await claimedJob();
    const frame0 = "2030-01-01T14:00:00.250+02:00"; // the recorder's startedAt, any offset
    const shotAt = "2030-01-01T12:00:02.500Z";
    const upload = async (
      kind: "video" | "screenshot" | "clicks",
      contentType: string,
      data: Uint8Array,
      capturedAt?: string,
    ) => {
      const begun = await artifacts.begin({
        assignmentId,
        kind,
        contentType,
        ...(capturedAt ? { capturedAt } : {}),
      });
      await artifacts.append({ artifactId: begun.id, offset: 0, data: b64(data) });
      return artifacts.complete({ artifactId: begun.id });
    };
    const video = await upload("video", "video/webm", randomBytes(2000), frame0);
    expect(video.capturedAt).toEqual(new Date("2030-01-01T12:00:00.250Z"));
    await upload("screenshot", "image/png", pngOf(1920, 1080), shotAt);
    const click = { x: 10, y: 20, timestamp: "2030-01-01T12:00:03.000Z" };
    await upload("clicks", "application/x-ndjson", Buffer.from(timelineText([click])));
    expect((await artifacts.list({ assignmentId })).map((a) => a.capturedAt?.toISOString() ?? null)).toEqual([
      "2030-01-01T12:00:00.250Z",
      shotAt,
      null,
    ]);

    const recording = await caller(owner).jobs.recording({ id: job.id });
    const [slot] = recording.slots;
    expect(slot?.videoStartedAt).toEqual(new Date("2030-01-01T12:00:00.250Z"));
    expect(slot?.video).toMatchObject({ id: video.id, capturedAt: new Date("2030-01-01T12:00:00.250Z") });
    expect(slot?.screenshots.map((shot) => shot.capturedAt)).toEqual([new Date(shotAt)]);
    // The click is 2.75 s into the video.
    expect(Date.parse(click.timestamp) - (slot?.videoStartedAt?.getTime() ?? 0)).toBe(2750);

    await caller(tester).tester.submit({ id: assignmentId, message: FINDINGS });
    await h.runExtractions();
    const res = await fetch(`${base}/api/job/${job.id}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { testerData: { videoUrl?: string; videoStartedAt?: string } };
    expect(body.testerData.videoStartedAt).toBe("2030-01-01T12:00:00.250Z");
  });

  it("refuses a capturedAt that is not an ISO 8601 date-time with a 400 naming the field, and creates nothing", async () => {
    const { assignmentId, artifacts } = await claimedJob();
    for (const capturedAt of ["yesterday", "2030-01-01 12:00", "2030-13-01T00:00:00Z", 1893499200000]) {
      const error = await trpcError(
        artifacts.begin({
          assignmentId,
          kind: "video",
          contentType: "video/webm",
          capturedAt: capturedAt as string,
        }),
      );
      expect(error.code).toBe("BAD_REQUEST");
      expect(getHTTPStatusCodeFromError(error)).toBe(400);
      expect(error.message).toMatch(/capturedAt: must be an ISO 8601 date-time/);
    }
    expect(await artifacts.list({ assignmentId })).toEqual([]);
    // The service checks it too (the sandbox and hosts call `put` directly).
    await expect(
      h.services.artifacts.put({
        assignmentId,
        kind: "clicks",
        contentType: "application/x-ndjson",
        data: Buffer.from(timelineText([{ x: 1, y: 2, timestamp: "2030-01-01T12:00:00.000Z" }])),
        capturedAt: "not a time",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION", message: "capturedAt: must be an ISO 8601 date-time" });
    expect(await h.db.artifact.count({ where: { assignmentId } })).toBe(0);
  });
});
