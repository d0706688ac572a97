// `eyeball payouts record` as a subprocess against an embedded database: books once per key, prints JSON, refuses bad amounts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, expect, it } from "vitest";

import { createLedger } from "@eyeball/api";
import { openDatabase } from "@eyeball/server";

const cliDir = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "eyeball-cli-payouts-"));

function eyeball(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", ...args],
      { cwd: cliDir, env: { ...process.env, DATABASE_URL: "", EYEBALL_DATA_DIR: dataDir }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

it(
  "payouts record books a manual payout once per idempotency key and prints it",
  { timeout: 360_000 },
  async () => {
    const email = "pat@payouts-cli.test";
    const database = await openDatabase({ databaseUrl: undefined, dataDir }, { migrate: true });
    let testerId: string;
    try {
      const db = database.prisma;
      const org = await db.organization.create({ data: { slug: "payouts-cli", name: "Payouts CLI" } });
      const user = await db.user.create({
        data: { email, name: "Pat", testerProfile: { create: { alias: "Pat" } } },
        include: { testerProfile: true },
      });
      testerId = user.testerProfile?.id ?? "";
      const job = await db.job.create({
        data: {
          id: "job_payouts_cli",
          orgId: org.id,
          mode: "live",
          source: "runhuman",
          url: "https://example.test",
          description: "Try the checkout",
          screenWidth: 1920,
          screenHeight: 1080,
          testerCount: 1,
          assignments: { create: [{ slotIndex: 0 }] },
        },
        include: { assignments: true },
      });
      await db.$transaction((tx) =>
        createLedger(db).accrueEarning(tx, {
          jobId: job.id,
          assignmentId: job.assignments[0]?.id ?? "",
          testerId,
          micros: 5_000_000n,
        }),
      );
    } finally {
      await database.close();
    }

    const record = [
      "payouts",
      "record",
      "--tester",
      email,
      "--usd",
      "2.50",
      "--note",
      "Wire 7",
      "--idempotency-key",
      "k1",
    ];
    const first = await eyeball(...record);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const payout = JSON.parse(first.stdout) as { id: string };
    expect(payout).toMatchObject({
      testerId,
      amountUsd: 2.5,
      method: "manual",
      status: "paid",
      note: "Wire 7",
      replayed: false,
      tester: { email },
    });
    const replay = await eyeball(...record);
    expect(JSON.parse(replay.stdout)).toMatchObject({ id: payout.id, replayed: true });

    // Refused before the database opens, naming the option.
    const refused = await eyeball("payouts", "record", "--tester", email, "--usd", "1.001");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/--usd: must be whole cents/);
  },
);
