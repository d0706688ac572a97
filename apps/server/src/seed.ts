// First-start data: the default catalog always, the demo organisation when configured (embedded default).
import { randomString } from "@eyeball/core";
import { type DemoSeed } from "@eyeball/api";

import { type Platform } from "./compose";

/** The demo seed plus the demo owner's and tester's passwords when this start set them (print them once). */
export interface StartSeed extends DemoSeed {
  ownerPassword: string | null;
  testerPassword: string | null;
}

export async function seedOnStart(platform: Platform): Promise<StartSeed | null> {
  const { services } = platform;
  await services.catalogs.seedDefaults();
  if (!platform.env.seedDemo) return null;
  const demo = await services.orgs.seedDemo();
  // The demo owner and tester each get a random password once: the portal and the desktop app.
  const ownerPassword = await passwordOnce(platform, demo.ownerUserId);
  const testerPassword = await passwordOnce(platform, demo.testerUserId);
  return { ...demo, ownerPassword, testerPassword };
}

/** A new random password for a user who has none (null when they already have one). */
async function passwordOnce(platform: Platform, userId: string): Promise<string | null> {
  const user = await platform.services.db.user.findUnique({
    where: { id: userId },
    select: { passwordHash: true },
  });
  if (user?.passwordHash) return null;
  const password = randomString(16);
  // One password per user: the same one signs in to the portal and to the tester app.
  await platform.services.accounts.setPassword(userId, password);
  return password;
}
