// The integrator's `eyeball` (run, jobs) on its own: nothing but the REST API, bundled into one file for the
// GitHub Action (apps/cli/action/eyeball.mjs, built by `pnpm --filter @eyeball/cli bundle`).
import { Command } from "commander";

import { defaultIntegratorIo, registerIntegratorCommands } from "./commands/integrator";
import { runCli } from "./run-cli";

const program = new Command("eyeball")
  .description("Eyeball integrator CLI: run human tests and manage jobs over the REST API")
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });
registerIntegratorCommands(
  program,
  defaultIntegratorIo({
    out: (text) => process.stdout.write(text),
  }),
);
await runCli(program);
