// Runs a command tree: a failure prints one line on stderr and sets the exit code (1, or the command's own).
import { type Command } from "commander";

import { CliExit } from "./exit";

export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An empty CliExit message means commander already printed the usage error.
    if (message) process.stderr.write(`eyeball: ${message}\n`);
    process.exitCode = error instanceof CliExit ? error.code : 1;
  }
}
