// Password hashing with Argon2id (@node-rs/argon2: prebuilt binaries, no build step, OWASP-default cost).
import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password and for a stored value that is not an Argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash to verify against when the email is unknown, so both failures take about as long. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword("not a real password, only for timing");
  return dummy;
}
