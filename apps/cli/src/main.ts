// `eyeball` entry point: the operator and integrator commands.
import { createProgram } from "./program";
import { runCli } from "./run-cli";

await runCli(createProgram());
