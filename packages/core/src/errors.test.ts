import { describe, expect, it } from "vitest";

import {
  DOMAIN_ERROR_CODES,
  DomainError,
  ERROR_CODE_TABLE,
  isDomainError,
  isDomainErrorCode,
  validationError,
} from "./errors";

// tRPC v11 TRPC_ERROR_CODES_BY_KEY with the HTTP status each maps to.
const TRPC_HTTP: Record<string, number> = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  INTERNAL_SERVER_ERROR: 500,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TIMEOUT: 408,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

describe("DomainError", () => {
  it.each([
    ["INVALID_TRANSITION", 409, "CONFLICT", "invalid_transition"],
    ["CONFLICT", 409, "CONFLICT", "conflict"],
    ["INSUFFICIENT_CREDIT", 402, "PAYMENT_REQUIRED", "insufficient_credit"],
    ["VALIDATION", 400, "BAD_REQUEST", "validation_error"],
    ["TIMEOUT", 408, "TIMEOUT", "timeout"],
    ["RATE_LIMITED", 429, "TOO_MANY_REQUESTS", "rate_limited"],
    ["NOT_FOUND", 404, "NOT_FOUND", "not_found"],
    ["FORBIDDEN", 403, "FORBIDDEN", "forbidden"],
    ["UNAUTHORIZED", 401, "UNAUTHORIZED", "unauthorized"],
    ["INTERNAL", 500, "INTERNAL_SERVER_ERROR", "internal_error"],
  ] as const)("maps %s to %i / %s / %s", (code, http, trpc, rest) => {
    expect(ERROR_CODE_TABLE[code]).toEqual({ httpStatus: http, trpcCode: trpc, restType: rest });
    const error = new DomainError(code, "boom");
    expect(error.httpStatus).toBe(http);
    expect(error.trpcCode).toBe(trpc);
    expect(error.toRestBody()).toEqual({ error: rest, message: "boom" });
  });

  it("has one table row per code, a tRPC code with the same HTTP status, and unique snake_case REST types", () => {
    expect(Object.keys(ERROR_CODE_TABLE).sort()).toEqual([...DOMAIN_ERROR_CODES].sort());
    const restTypes = DOMAIN_ERROR_CODES.map((code) => ERROR_CODE_TABLE[code].restType);
    expect(new Set(restTypes).size).toBe(restTypes.length);
    for (const code of DOMAIN_ERROR_CODES) {
      const info = ERROR_CODE_TABLE[code];
      expect(info.restType).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(TRPC_HTTP[info.trpcCode]).toBe(info.httpStatus);
    }
  });

  it("carries details and cause, and is recognised by isDomainError", () => {
    const cause = new Error("root");
    const error = new DomainError("VALIDATION", "url: is required", { details: { field: "url" }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DomainError");
    expect(error.details).toEqual({ field: "url" });
    expect(error.cause).toBe(cause);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error("x"))).toBe(false);
    expect(isDomainError({ code: "VALIDATION" })).toBe(false);
    expect(isDomainError(null)).toBe(false);
    expect(isDomainErrorCode("NOT_FOUND")).toBe(true);
    expect(isDomainErrorCode("TEAPOT")).toBe(false);
  });

  it("recognises a structurally equal error from another module copy", () => {
    const foreign = Object.assign(new Error("x"), { name: "DomainError", code: "CONFLICT" });
    expect(isDomainError(foreign)).toBe(true);
    expect(isDomainError(Object.assign(new Error("x"), { name: "DomainError", code: "NOPE" }))).toBe(false);
  });

  it("builds validation errors whose message starts with the field", () => {
    const error = validationError("reason", "must not be empty");
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toBe("reason: must not be empty");
    expect(error.details).toEqual({ field: "reason" });
  });
});
