// The per-organisation simulated testers (TesterProfile.isSandbox): one profile per slot they serve.
import { isUniqueViolation, type TesterProfile } from "@eyeball/db";

import { type Db } from "../types";

const NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett"];
const COLORS = ["#4A90E2", "#50E3C2", "#F5A623", "#BD10E0", "#7ED321", "#D0021B", "#9013FE", "#417505"];

function alias(index: number): string {
  const name = NAMES[index % NAMES.length] ?? "Alpha";
  const round = Math.floor(index / NAMES.length);
  return `Sandbox Tester ${name}${round > 0 ? ` ${round + 1}` : ""}`;
}

/**
 * The organisation's `index`-th sandbox tester, created on first use. A tester holds at most one
 * slot of a job, so a job with n slots (or a reopened slot) needs several. The user behind it has
 * no password and an address under the reserved `.invalid` domain, so nobody can sign in as it.
 */
export async function sandboxTester(db: Db, orgId: string, index: number): Promise<TesterProfile> {
  const email = `sandbox-${String(index)}+${orgId}@sandbox.eyeball.invalid`;
  const find = () => db.testerProfile.findFirst({ where: { user: { email } } });
  const existing = await find();
  if (existing) return existing;
  try {
    const user = await db.user.create({
      data: {
        email,
        name: alias(index),
        testerProfile: {
          create: { alias: alias(index), color: COLORS[index % COLORS.length] ?? null, isSandbox: true },
        },
      },
      include: { testerProfile: true },
    });
    if (user.testerProfile) return user.testerProfile;
  } catch (error) {
    // Two sandbox workers created the same tester at once: the other one won, use theirs.
    if (!isUniqueViolation(error)) throw error;
  }
  const created = await find();
  if (!created) throw new Error(`sandbox tester ${email} could not be created`);
  return created;
}
