// What the server prints on start: where it runs, the database, and the demo key on first start only.
import { DEMO_OWNER_EMAIL, DEMO_TESTER_EMAIL } from "@eyeball/api";

import { type StartSeed } from "./seed";

export interface BannerInput {
  url: string;
  role: string;
  database: string;
  appliedMigrations: number;
  demo: StartSeed | null;
}

export function startBanner({ url, role, database, appliedMigrations, demo }: BannerInput): string {
  const lines = [
    role === "worker"
      ? `Eyeball worker is running (no HTTP in role "worker").`
      : `Eyeball is running at ${url}`,
    `  REST ${url}/api   tRPC ${url}/trpc   health ${url}/api/health`,
    `  Database: ${database}${appliedMigrations > 0 ? ` (applied ${appliedMigrations} migration(s))` : ""}`,
  ];
  if (demo?.testKey) {
    lines.push(
      "",
      `Demo organisation "${demo.org.slug}" created (owner ${DEMO_OWNER_EMAIL}, one demo tester).`,
      "Test-mode API key (shown only this once; copy it now):",
      "",
      `  ${demo.testKey.key}`,
      "",
      `  curl -H "Authorization: Bearer ${demo.testKey.key}" ${url}/api/categories`,
    );
  }
  if (demo?.ownerPassword) {
    lines.push(
      "",
      "Demo owner sign-in for the portal (password shown only this once):",
      `  email ${DEMO_OWNER_EMAIL}   password ${demo.ownerPassword}`,
    );
  }
  if (demo?.testerPassword) {
    lines.push(
      "",
      "Demo tester sign-in for the desktop app (password shown only this once):",
      `  email ${DEMO_TESTER_EMAIL}   password ${demo.testerPassword}`,
    );
  }
  if (demo && !demo.testKey) {
    lines.push(
      "",
      `Demo organisation "${demo.org.slug}" is ready. Its first test key was printed on the first start.`,
      `Create another with: pnpm --silent eyeball api-keys create --org ${demo.org.slug} --name my-key --test`,
      "  (with the embedded database, stop the server first: one process at a time may open it)",
    );
  }
  return lines.join("\n");
}
