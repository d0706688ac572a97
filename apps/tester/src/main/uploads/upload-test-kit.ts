// Test helpers for the upload tests: a real tester session and claimed assignment, and a client that can be made to fail.
import { createHash } from "node:crypto";

import { createTRPCClient, httpLink } from "@trpc/client";

import type { AppRouter } from "@eyeball/api";

import type { TestPlatform } from "../../../test/test-platform";
import type { UploadClient } from "./upload-client";

export function trpcFor(url: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({ url: `${url}/trpc`, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) }),
    ],
  });
}

/** Signs the seeded tester in through `tester.signIn`; returns the session token. */
export async function signInTester(platform: TestPlatform): Promise<string> {
  const session = await trpcFor(platform.url).tester.signIn.mutate({
    email: platform.tester.email,
    password: platform.tester.password,
  });
  return session.token;
}

export interface ClaimedSlot {
  jobId: string;
  assignmentId: string;
  viewport: { width: number; height: number };
}

/** Posts a job through the REST API and claims it as the tester (`tester.claim`). */
export async function claimNewJob(
  platform: TestPlatform,
  token: string,
  viewport = { width: 400, height: 320 },
): Promise<ClaimedSlot> {
  const job = await platform.createJob({
    url: "https://shop.example.com/",
    title: "Upload test",
    description: "Open the shop and press Buy.",
    screenSize: viewport,
    targetDurationMinutes: 30,
  });
  const jobId = job.id;
  const claimed = await trpcFor(platform.url, token).tester.claim.mutate({ jobId });
  return {
    jobId,
    assignmentId: claimed.assignment.id,
    viewport: { width: claimed.job.screenSize.width, height: claimed.job.screenSize.height },
  };
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Deterministic pseudo-random bytes (a stand-in for a video: the server does not inspect videos). */
export function fakeBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[index] = state & 0xff;
  }
  return out;
}

export interface CallLog {
  appends: { artifactId: string; offset: number; bytes: number }[];
  begins: number;
  completes: number;
  lists: number;
}

/**
 * Wraps a client: logs every call, and lets a test act before an `append` goes out (`beforeAppend`)
 * or after it landed (`afterAppend`, e.g. to lose its answer).
 */
export function recordingClient(
  inner: UploadClient,
  hooks: {
    beforeAppend?: (index: number) => Promise<void> | void;
    afterAppend?: (index: number, signal: AbortSignal | undefined) => Promise<void> | void;
  } = {},
): { client: UploadClient; log: CallLog } {
  const log: CallLog = { appends: [], begins: 0, completes: 0, lists: 0 };
  let appendCalls = 0;
  const client: UploadClient = {
    begin(input, options) {
      log.begins += 1;
      return inner.begin(input, options);
    },
    async append(input, options) {
      const index = appendCalls;
      appendCalls += 1;
      await hooks.beforeAppend?.(index);
      const result = await inner.append(input, options);
      log.appends.push({
        artifactId: input.artifactId,
        offset: input.offset,
        bytes: Buffer.from(input.data, "base64").byteLength,
      });
      await hooks.afterAppend?.(index, options?.signal);
      return result;
    },
    complete(input, options) {
      log.completes += 1;
      return inner.complete(input, options);
    },
    list(input, options) {
      log.lists += 1;
      return inner.list(input, options);
    },
  };
  return { client, log };
}

/** Never settles until the signal aborts: a call whose answer was lost when the app died. */
export function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener("abort", () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    });
  });
}
