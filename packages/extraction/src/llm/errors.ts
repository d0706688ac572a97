// The one error type the LLM extractor throws, with a closed set of codes so callers can fall back or fail the job.
import { APICallError, NoObjectGeneratedError, RetryError } from "ai";

export const LLM_EXTRACTION_ERROR_CODES = [
  /** The provider answered with an error status or could not be reached. */
  "REQUEST_FAILED",
  /** No answer within the configured time limit. */
  "TIMEOUT",
  /** The caller's signal aborted the call. */
  "ABORTED",
  /** The model answered, but not with a JSON object we can read. */
  "MALFORMED_OUTPUT",
] as const;
export type LlmExtractionErrorCode = (typeof LLM_EXTRACTION_ERROR_CODES)[number];

export class LlmExtractionError extends Error {
  override readonly name = "LlmExtractionError";
  readonly code: LlmExtractionErrorCode;
  /** HTTP status of the provider's answer, when there was one. */
  readonly statusCode: number | undefined;

  constructor(
    code: LlmExtractionErrorCode,
    message: string,
    options?: { cause?: unknown; statusCode?: number },
  ) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.statusCode = options?.statusCode;
  }

  static isInstance(error: unknown): error is LlmExtractionError {
    return error instanceof LlmExtractionError;
  }
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Maps whatever the AI SDK threw to an LlmExtractionError; `aborted` tells a caller's abort from our time limit. */
export function toLlmExtractionError(
  error: unknown,
  context: { aborted: boolean; timeoutMs: number },
): LlmExtractionError {
  if (error instanceof LlmExtractionError) return error;
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (context.aborted)
    return new LlmExtractionError("ABORTED", "The extraction was aborted.", { cause: error });
  if (isAbortLike(last) || isAbortLike(error)) {
    return new LlmExtractionError("TIMEOUT", `The model did not answer within ${context.timeoutMs} ms.`, {
      cause: error,
    });
  }
  if (NoObjectGeneratedError.isInstance(last)) {
    return new LlmExtractionError(
      "MALFORMED_OUTPUT",
      `The model's answer is not a usable JSON object: ${last.message}`,
      {
        cause: error,
      },
    );
  }
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    return new LlmExtractionError(
      "REQUEST_FAILED",
      `The provider call failed${status === undefined ? "" : ` with HTTP ${status}`}: ${last.message}`,
      { cause: error, ...(status === undefined ? {} : { statusCode: status }) },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmExtractionError("REQUEST_FAILED", `The provider call failed: ${message}`, { cause: error });
}
