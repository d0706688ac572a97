// `eyeball` entry point: runs the command; failures print one line on stderr and exit 1.
import { createProgram } from "./program";

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`eyeball: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
