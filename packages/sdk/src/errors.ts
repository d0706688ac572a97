// Typed errors: one class per status the API answers, plus connection and wait failures on the client side.

/** The API's error body everywhere: `{"error": "<type>", "message": "<text>"}`. */
export interface ApiErrorBody {
  error: string;
  message: string;
  [extra: string]: unknown;
}

/** Base of every error the SDK throws. */
export class EyeballError extends Error {
  override name = "EyeballError";
}

/** The server answered with an error status. `type` is the body's `error` (e.g. `validation_error`). */
export class EyeballApiError extends EyeballError {
  override name = "EyeballApiError";
  readonly status: number;
  readonly type: string;
  readonly body: ApiErrorBody;
  /** The method and path that failed, e.g. `POST /api/jobs`. */
  readonly request: string;

  constructor(status: number, body: ApiErrorBody, request: string) {
    super(`${request}: ${String(status)} ${body.message}`);
    this.status = status;
    this.type = body.error;
    this.body = body;
    this.request = request;
  }
}

/** 400: the message names the field (e.g. `targetDurationMinutes: must be between 1 and 60`). */
export class BadRequestError extends EyeballApiError {
  override name = "BadRequestError";
}
/** 401: the API key is missing, unknown or revoked. */
export class AuthenticationError extends EyeballApiError {
  override name = "AuthenticationError";
}
/** 402: available credit does not cover the job's hold; nothing was created. */
export class InsufficientCreditError extends EyeballApiError {
  override name = "InsufficientCreditError";
}
/** 403: the resource belongs to another organisation (or the key may not do this). */
export class PermissionDeniedError extends EyeballApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such resource. */
export class NotFoundError extends EyeballApiError {
  override name = "NotFoundError";
}
/** 408 from `POST /run`: the job did not end within the server's wait; it goes on (`jobId`). */
export class RunTimeoutError extends EyeballApiError {
  override name = "RunTimeoutError";
  get jobId(): string | undefined {
    return typeof this.body.jobId === "string" ? this.body.jobId : undefined;
  }
}
/** 409: the action is not legal in the current state (e.g. resize below the claimed slots). */
export class ConflictError extends EyeballApiError {
  override name = "ConflictError";
}
/** 413: the body is larger than the server accepts. */
export class PayloadTooLargeError extends EyeballApiError {
  override name = "PayloadTooLargeError";
}
/** 429: too many requests; `retryAfterSeconds` from the Retry-After header. */
export class RateLimitError extends EyeballApiError {
  override name = "RateLimitError";
  retryAfterSeconds: number | undefined;
}
/** 5xx: the server failed. */
export class ServerError extends EyeballApiError {
  override name = "ServerError";
}

/** The request never got an answer (refused, reset, DNS, the per-request timeout). */
export class ConnectionError extends EyeballError {
  override name = "ConnectionError";
}

/** `wait()`/`run()` gave up after `timeoutMs`; the job goes on (`jobId`, last seen `status`). */
export class WaitTimeoutError extends EyeballError {
  override name = "WaitTimeoutError";
  constructor(
    readonly jobId: string,
    readonly status: string,
    readonly timeoutMs: number,
  ) {
    super(`job ${jobId} was still ${status} after ${String(timeoutMs)} ms`);
  }
}

const BY_STATUS: Record<number, typeof EyeballApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientCreditError,
  403: PermissionDeniedError,
  404: NotFoundError,
  408: RunTimeoutError,
  409: ConflictError,
  413: PayloadTooLargeError,
  429: RateLimitError,
};

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiErrorBody).error === "string" &&
    typeof (value as ApiErrorBody).message === "string"
  );
}

/** The typed error for a failed response; a body that is not the API's shape still gets a clear message. */
export function apiErrorOf(response: Response, body: unknown, request: string): EyeballApiError {
  const errorBody: ApiErrorBody = isErrorBody(body)
    ? body
    : {
        error: "http_error",
        message: typeof body === "string" && body ? body.slice(0, 200) : response.statusText,
      };
  const Type = BY_STATUS[response.status] ?? (response.status >= 500 ? ServerError : EyeballApiError);
  const error = new Type(response.status, errorBody, request);
  if (error instanceof RateLimitError) {
    const retryAfter = Number(response.headers.get("retry-after"));
    error.retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
  }
  return error;
}
