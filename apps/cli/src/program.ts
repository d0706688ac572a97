// The `eyeball` command tree: orgs create, api-keys create, migrate.
import { Command } from "commander";

import { describeDatabase, openDatabase } from "@eyeball/server";

import { loadCliEnv } from "./env";
import { withServices } from "./platform";

export interface Output {
  out(text: string): void;
}

export function createProgram(io: Output = { out: (text) => process.stdout.write(text) }): Command {
  const program = new Command("eyeball")
    .description("Eyeball operator and integrator CLI")
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const orgs = program.command("orgs").description("Manage organisations");
  orgs
    .command("create")
    .description("Create an organisation; prints it as JSON")
    .requiredOption("--slug <slug>", "lowercase letters, digits and hyphens, 3–40 characters")
    .option("--name <name>", "display name (defaults to the slug)")
    .action(async (options: { slug: string; name?: string }) => {
      const org = await withServices(loadCliEnv(), (services) =>
        services.orgs.create({
          slug: options.slug,
          ...(options.name === undefined ? {} : { name: options.name }),
        }),
      );
      io.out(`${JSON.stringify(org)}\n`);
    });

  const apiKeys = program.command("api-keys").description("Manage API keys");
  apiKeys
    .command("create")
    .description("Create an API key; prints only the key (shown once)")
    .requiredOption("--org <slug>", "organisation slug")
    .requiredOption("--name <name>", "a name to recognise the key by")
    .option("--test", "create a test-mode key (eb_test_…, sandbox testers, no real credit)", false)
    .action(async (options: { org: string; name: string; test: boolean }) => {
      const { key } = await withServices(loadCliEnv(), async (services) => {
        const org = await services.orgs.getBySlug(options.org);
        return services.apiKeys.create(org.id, { name: options.name, mode: options.test ? "test" : "live" });
      });
      io.out(`${key}\n`);
    });

  program
    .command("migrate")
    .description("Apply pending migrations to DATABASE_URL or the embedded database")
    .action(async () => {
      const target = loadCliEnv();
      const database = await openDatabase(target, { migrate: true });
      try {
        const applied = database.appliedMigrations;
        io.out(
          applied.length > 0
            ? `Applied ${applied.length} migration(s) to ${describeDatabase(target)}: ${applied.join(", ")}\n`
            : `${describeDatabase(target)} is up to date.\n`,
        );
      } finally {
        await database.close();
      }
    });

  return program;
}
