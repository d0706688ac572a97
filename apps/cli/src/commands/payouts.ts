// `eyeball payouts record`: an operator-recorded tester payout (paid outside Stripe), booked once per idempotency key.
import { type Command } from "commander";

import { apiConfig, createLedger, createPayoutsService, parsePayoutUsd, systemClock } from "@eyeball/api";

import { loadCliEnv } from "../env";
import { withServices } from "../platform";

export function registerPayoutsCommand(program: Command, io: { out(text: string): void }): void {
  const payouts = program.command("payouts").description("Tester payouts");
  payouts
    .command("record")
    .description("Record a payout made outside Stripe (bank transfer, cash); prints the payout as JSON")
    .requiredOption("--tester <email>", "the email the tester signs in with")
    .requiredOption(
      "--usd <amount>",
      "exact USD in whole cents, at most the tester's unpaid earnings (e.g. 25 or 12.50)",
    )
    .option("--note <text>", "a reference shown with the payout (e.g. the bank transfer's id)")
    .option("--idempotency-key <key>", "a retry with the same key records nothing twice")
    .action(async (options: { tester: string; usd: string; note?: string; idempotencyKey?: string }) => {
      // Checked before the database opens: a bad amount never waits on a lock.
      parsePayoutUsd(options.usd, "--usd");
      const result = await withServices(loadCliEnv(), (_services, database) =>
        createPayoutsService(
          {
            db: database.prisma,
            clock: systemClock,
            ledger: createLedger(database.prisma),
            config: apiConfig(),
          },
          { stripe: null },
        ).record(
          { userId: null },
          {
            testerEmail: options.tester,
            usd: options.usd,
            ...(options.note === undefined ? {} : { note: options.note }),
            ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
          },
        ),
      );
      io.out(`${JSON.stringify(result)}\n`);
    });
}
