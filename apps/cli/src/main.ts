// `eyeball` entry point: runs the command; failures print one line on stderr and exit 1 (or the command's code).
import { CliExit } from "./exit";
import { createProgram } from "./program";

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  // An empty CliExit message means commander already printed the usage error.
  if (message) process.stderr.write(`eyeball: ${message}\n`);
  process.exitCode = error instanceof CliExit ? error.code : 1;
}
