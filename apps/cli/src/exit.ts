// Exit codes of the `eyeball` CLI, so CI can tell a failed test from a timeout from a broken call.
export const EXIT = {
  /** The test ran and succeeded (or the command did what it was asked). */
  ok: 0,
  /** The test ran and did not succeed: completed with success false, or ended incomplete, abandoned, rejected, error or cancelled. */
  testFailed: 1,
  /** `--timeout` passed before the job ended; the job goes on. */
  timeout: 2,
  /** The API refused or failed the request (4xx/5xx), or the server could not be reached. */
  apiError: 3,
  /** Bad flags, a bad schema file or missing configuration (EX_USAGE). */
  usage: 64,
} as const;

/** Thrown by commands to end with a specific code and a one-line message on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
