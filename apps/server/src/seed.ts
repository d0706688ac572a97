// First-start data: the default catalog always, the demo organisation when configured (embedded default).
import { type DemoSeed } from "@eyeball/api";

import { type Platform } from "./compose";

export async function seedOnStart(platform: Platform): Promise<DemoSeed | null> {
  await platform.services.catalogs.seedDefaults();
  return platform.env.seedDemo ? platform.services.orgs.seedDemo() : null;
}
