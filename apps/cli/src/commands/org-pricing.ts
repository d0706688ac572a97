// `eyeball orgs pricing`: set or clear an organisation's price per second (and optionally its tester share).
import { type Command } from "commander";

import { usdPerSecondToMicros } from "@eyeball/api";
import { DomainError } from "@eyeball/core";

import { loadCliEnv } from "../env";
import { withServices } from "../platform";

interface Output {
  out(text: string): void;
}

interface PricingOptions {
  org: string;
  usdPerSecond?: string;
  default?: boolean;
  testerShareBps?: string;
}

const USD_TEXT = /^\d+(?:\.\d+)?$/;

/** The option values as setOrgPricing input; checked before the database opens, naming the option. */
export function pricingInput(options: PricingOptions): {
  usdPerSecond: number | null;
  testerShareBps?: number | null;
} {
  if ((options.usdPerSecond === undefined) === (options.default !== true)) {
    throw new DomainError("VALIDATION", "--usd-per-second: give either --usd-per-second <n> or --default", {
      details: { field: "--usd-per-second" },
    });
  }
  let usdPerSecond: number | null = null;
  if (options.usdPerSecond !== undefined) {
    const text = options.usdPerSecond.trim();
    if (!USD_TEXT.test(text)) {
      throw new DomainError(
        "VALIDATION",
        "--usd-per-second: must be a decimal amount of USD such as 0.0025",
        {
          details: { field: "--usd-per-second" },
        },
      );
    }
    usdPerSecond = Number(text);
    usdPerSecondToMicros(usdPerSecond, "--usd-per-second");
  }
  if (options.testerShareBps === undefined) return { usdPerSecond };
  const share = options.testerShareBps.trim();
  if (share === "default") return { usdPerSecond, testerShareBps: null };
  if (!/^\d+$/.test(share) || Number(share) > 10_000) {
    throw new DomainError("VALIDATION", "--tester-share-bps: must be 0–10000 basis points or default", {
      details: { field: "--tester-share-bps" },
    });
  }
  return { usdPerSecond, testerShareBps: Number(share) };
}

/** Registers `pricing` under the `orgs` command. */
export function registerOrgPricing(orgs: Command, io: Output): void {
  orgs
    .command("pricing")
    .description(
      "Set an organisation's price per second for new jobs (existing holds are unchanged); prints its pricing as JSON",
    )
    .requiredOption("--org <slug>", "organisation slug")
    .option(
      "--usd-per-second <n>",
      "USD per second of working time, > 0 and ≤ 1, up to 6 decimals (e.g. 0.0025)",
    )
    .option("--default", "return to the platform default price ($0.0018 per second)")
    .option("--tester-share-bps <bps>", "also set the testers' share, 0–10000 basis points, or `default`")
    .action(async (options: PricingOptions) => {
      const input = pricingInput(options);
      const result = await withServices(loadCliEnv(), async (services) => {
        const org = await services.orgs.getBySlug(options.org);
        return services.admin.setOrgPricing({ orgId: org.id, ...input });
      });
      io.out(`${JSON.stringify(result)}\n`);
    });
}
