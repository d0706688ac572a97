// Test helper: assert a call throws a DomainError with a given code (and message).
import { expect } from "vitest";

import { type DomainError, type DomainErrorCode, isDomainError } from "../src/errors";

export function expectDomainError(
  fn: () => unknown,
  code: DomainErrorCode,
  message?: string | RegExp,
): DomainError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (!isDomainError(thrown)) {
    throw new Error(
      `expected a DomainError ${code}, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown}`,
    );
  }
  expect(thrown.code).toBe(code);
  if (typeof message === "string") expect(thrown.message).toBe(message);
  if (message instanceof RegExp) expect(thrown.message).toMatch(message);
  return thrown;
}
