// The four server calls the upload queue makes (tester.artifacts.*), and how it reads their failures.
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";

import type { AppRouter } from "@eyeball/api";

import type { ArtifactKind } from "./recording-spool";

/** An upload as the server reports it (the fields the queue reads). */
export interface UploadedArtifact {
  id: string;
  kind: string;
  contentType: string;
  status: "uploading" | "complete";
  /** Bytes the server holds: the offset the next `append` must use. */
  uploadedBytes: number;
  sha256: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface UploadClient {
  begin(
    input: { assignmentId: string; kind: ArtifactKind; contentType: string; capturedAt?: string },
    options?: CallOptions,
  ): Promise<UploadedArtifact>;
  /** `data` is base64; `offset` must equal the server's `uploadedBytes`. */
  append(
    input: { artifactId: string; offset: number; data: string },
    options?: CallOptions,
  ): Promise<UploadedArtifact>;
  complete(
    input: { artifactId: string; bytes?: number; sha256?: string },
    options?: CallOptions,
  ): Promise<UploadedArtifact>;
  list(input: { assignmentId: string }, options?: CallOptions): Promise<UploadedArtifact[]>;
}

export interface UploadClientOptions {
  serverUrl: string;
  /** The tester's session token (`eb_tst_…`). */
  token: string;
}

export function createUploadClient({ serverUrl, token }: UploadClientOptions): UploadClient {
  const trpc = createTRPCClient<AppRouter>({
    // Unbatched: a chunk is large, and each call's failure must stand on its own.
    links: [
      httpLink({
        url: `${serverUrl.replace(/\/+$/, "")}/trpc`,
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  });
  const artifacts = trpc.tester.artifacts;
  return {
    begin: (input, options) => artifacts.begin.mutate(input, options),
    append: (input, options) => artifacts.append.mutate(input, options),
    complete: (input, options) => artifacts.complete.mutate(input, options),
    list: (input, options) => artifacts.list.query(input, options),
  };
}

/**
 * What a failed call means for the queue:
 * - `transient`: no answer, or the server could not answer now (5xx, 429, timeouts) — retry.
 * - `unauthorized`: the session is no longer valid — wait for a new sign-in.
 * - `offset`: the server holds a different number of bytes than was assumed — ask `list` and go on.
 * - `permanent`: the server refused the request for good (400, 403, 404, a closed upload window …).
 */
export type FailureKind = "transient" | "unauthorized" | "offset" | "permanent";

const TRANSIENT_CODES = new Set([
  "INTERNAL_SERVER_ERROR",
  "TIMEOUT",
  "TOO_MANY_REQUESTS",
  "CLIENT_CLOSED_REQUEST",
  "BAD_GATEWAY",
  "SERVICE_UNAVAILABLE",
  "GATEWAY_TIMEOUT",
]);

/** The error formatter's `data` (packages/api trpc.ts), read without trusting its shape. */
function serverData(error: unknown): { code: string; httpStatus?: number; domainCode?: string } | null {
  if (typeof error !== "object" || error === null || !("data" in error)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("code" in data) || typeof data.code !== "string")
    return null;
  const httpStatus =
    "httpStatus" in data && typeof data.httpStatus === "number" ? data.httpStatus : undefined;
  const domainCode =
    "domainCode" in data && typeof data.domainCode === "string" ? data.domainCode : undefined;
  return {
    code: data.code,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(domainCode ? { domainCode } : {}),
  };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
]);

function looksLikeNetworkError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined && NETWORK_CODES.has(code)) return true;
    if (cause.name === "AbortError" || cause.name === "TimeoutError") return true;
    if (cause instanceof TypeError && /fetch failed|network/i.test(cause.message)) return true;
    cause = cause.cause;
  }
  return false;
}

export function classifyFailure(error: unknown): FailureKind {
  const data = serverData(error);
  if (data) {
    if (data.code === "UNAUTHORIZED") return "unauthorized";
    if (TRANSIENT_CODES.has(data.code) || (data.httpStatus ?? 0) >= 500) return "transient";
    // A wrong offset and "already complete" are domain CONFLICTs; a closed upload window is INVALID_TRANSITION.
    if (data.code === "CONFLICT" && data.domainCode === "CONFLICT") return "offset";
    return "permanent";
  }
  // A tRPC error without the server's data never got a tRPC answer (refused, cut, a proxy's HTML page).
  if (error instanceof TRPCClientError || looksLikeNetworkError(error)) return "transient";
  return "permanent";
}

export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
