// First-start data: the default catalog always, the demo organisation when configured (embedded default).
import { randomString } from "@eyeball/core";
import { type DemoSeed } from "@eyeball/api";

import { type Platform } from "./compose";

/** The demo seed plus the demo tester's password when it was set by this start (print it once). */
export interface StartSeed extends DemoSeed {
  testerPassword: string | null;
}

export async function seedOnStart(platform: Platform): Promise<StartSeed | null> {
  const { services } = platform;
  await services.catalogs.seedDefaults();
  if (!platform.env.seedDemo) return null;
  const demo = await services.orgs.seedDemo();
  // The demo tester gets a random password once, so a person can sign in to the desktop app.
  const tester = await services.db.user.findUnique({
    where: { id: demo.testerUserId },
    select: { passwordHash: true },
  });
  if (tester?.passwordHash) return { ...demo, testerPassword: null };
  const testerPassword = randomString(16);
  await services.testerAuth.setPassword(demo.testerUserId, testerPassword);
  return { ...demo, testerPassword };
}
