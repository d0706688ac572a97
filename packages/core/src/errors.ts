// The one domain error of Eyeball: a closed set of codes, each mapped once to HTTP, tRPC and REST.

/** Every failure the domain can report. Closed on purpose: transports map these and nothing else. */
export const DOMAIN_ERROR_CODES = [
  "INVALID_TRANSITION",
  "INSUFFICIENT_CREDIT",
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHORIZED",
  "VALIDATION",
  "CONFLICT",
  "RATE_LIMITED",
  "TIMEOUT",
  "INTERNAL",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** tRPC v11 error code names (`TRPC_ERROR_CODE_KEY`), spelled out so core needs no tRPC import. */
export type TrpcErrorCodeName =
  | "PARSE_ERROR"
  | "BAD_REQUEST"
  | "INTERNAL_SERVER_ERROR"
  | "NOT_IMPLEMENTED"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT"
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_SUPPORTED"
  | "TIMEOUT"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE_CONTENT"
  | "PRECONDITION_REQUIRED"
  | "TOO_MANY_REQUESTS"
  | "CLIENT_CLOSED_REQUEST";

export interface ErrorCodeInfo {
  readonly httpStatus: number;
  readonly trpcCode: TrpcErrorCodeName;
  /** The REST `error` field: short snake_case, stable for clients to branch on. */
  readonly restType: string;
}

/** The single mapping from domain codes to transports (STYLE.md convention 4). */
export const ERROR_CODE_TABLE = {
  INVALID_TRANSITION: { httpStatus: 409, trpcCode: "CONFLICT", restType: "invalid_transition" },
  INSUFFICIENT_CREDIT: { httpStatus: 402, trpcCode: "PAYMENT_REQUIRED", restType: "insufficient_credit" },
  NOT_FOUND: { httpStatus: 404, trpcCode: "NOT_FOUND", restType: "not_found" },
  FORBIDDEN: { httpStatus: 403, trpcCode: "FORBIDDEN", restType: "forbidden" },
  UNAUTHORIZED: { httpStatus: 401, trpcCode: "UNAUTHORIZED", restType: "unauthorized" },
  VALIDATION: { httpStatus: 400, trpcCode: "BAD_REQUEST", restType: "validation_error" },
  CONFLICT: { httpStatus: 409, trpcCode: "CONFLICT", restType: "conflict" },
  RATE_LIMITED: { httpStatus: 429, trpcCode: "TOO_MANY_REQUESTS", restType: "rate_limited" },
  TIMEOUT: { httpStatus: 408, trpcCode: "TIMEOUT", restType: "timeout" },
  INTERNAL: { httpStatus: 500, trpcCode: "INTERNAL_SERVER_ERROR", restType: "internal_error" },
} as const satisfies Record<DomainErrorCode, ErrorCodeInfo>;

/** Structured context for an error; JSON-safe so it can be logged or returned as is. */
export type DomainErrorDetails = Readonly<Record<string, unknown>>;

export interface DomainErrorOptions {
  details?: DomainErrorDetails;
  cause?: unknown;
}

/** The only error class the domain throws. Transports convert it in one place. */
export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly code: DomainErrorCode;
  readonly details: DomainErrorDetails | undefined;

  constructor(code: DomainErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CODE_TABLE[this.code].httpStatus;
  }

  get trpcCode(): TrpcErrorCodeName {
    return ERROR_CODE_TABLE[this.code].trpcCode;
  }

  get restType(): string {
    return ERROR_CODE_TABLE[this.code].restType;
  }

  /** The REST error body every endpoint answers with: `{"error": "<type>", "message": "<text>"}`. */
  toRestBody(): { error: string; message: string } {
    return { error: this.restType, message: this.message };
  }
}

/** Narrowing helper; also recognises a DomainError from another copy of this module by its shape. */
export function isDomainError(value: unknown): value is DomainError {
  if (value instanceof DomainError) return true;
  if (!(value instanceof Error) || value.name !== "DomainError") return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === "string" && isDomainErrorCode(code);
}

export function isDomainErrorCode(value: string): value is DomainErrorCode {
  return (DOMAIN_ERROR_CODES as readonly string[]).includes(value);
}

/** Shorthand for the most common domain error: a bad field, named by its path. */
export function validationError(
  field: string,
  message: string,
  details: DomainErrorDetails = {},
): DomainError {
  return new DomainError("VALIDATION", `${field}: ${message}`, { details: { field, ...details } });
}
