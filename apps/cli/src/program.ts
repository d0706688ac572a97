// The `eyeball` command tree: orgs create, api-keys create, admins grant/revoke, migrate.
import { Command } from "commander";

import { createLedger, grantOrgCredits, MAX_GRANT_USD, parseGrantUsd } from "@eyeball/api";
import { describeDatabase, openDatabase } from "@eyeball/server";

import { defaultIntegratorIo, registerIntegratorCommands } from "./commands/integrator";
import { registerPayoutsCommand } from "./commands/payouts";
import { registerOrgPricing } from "./commands/org-pricing";
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

  registerOrgPricing(orgs, io);

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

  const admins = program.command("admins").description("Manage platform administrators");
  for (const [name, isAdmin, description] of [
    ["grant", true, "Make the user with this email a platform admin; prints the user as JSON"],
    ["revoke", false, "Make the user with this email no longer a platform admin; prints the user as JSON"],
  ] as const) {
    admins
      .command(name)
      .description(description)
      .requiredOption("--email <email>", "the email the user signs in with")
      .action(async (options: { email: string }) => {
        const user = await withServices(loadCliEnv(), (services) =>
          services.admin.setPlatformAdmin({ email: options.email, isAdmin }),
        );
        io.out(`${JSON.stringify(user)}\n`);
      });
  }

  const credits = program.command("credits").description("Manage organisations' live credit");
  credits
    .command("grant")
    .description("Grant live credit to an organisation; prints the new balance as JSON")
    .requiredOption("--org <slug>", "organisation slug")
    .requiredOption(
      "--usd <amount>",
      `exact USD, up to 6 decimals, at most ${MAX_GRANT_USD} (e.g. 25 or 0.0018)`,
    )
    .option("--memo <text>", "shown in the ledger and on the receipt")
    .option("--idempotency-key <key>", "a retry with the same key grants nothing twice")
    .action(async (options: { org: string; usd: string; memo?: string; idempotencyKey?: string }) => {
      // Checked before the database opens: a bad amount never waits on a lock.
      const micros = parseGrantUsd(options.usd, "--usd");
      const result = await withServices(loadCliEnv(), (_services, database) =>
        grantOrgCredits(
          { db: database.prisma, ledger: createLedger(database.prisma) },
          {
            slug: options.org,
            micros,
            ...(options.memo === undefined ? {} : { memo: options.memo }),
            ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
          },
        ),
      );
      io.out(`${JSON.stringify(result)}\n`);
    });

  registerPayoutsCommand(program, io);
  registerIntegratorCommands(program, defaultIntegratorIo(io));

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
