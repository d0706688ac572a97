// One e2e file's platform: the portal built as it ships, a server on a fresh embedded database, and Chromium,
// started before the file's tests and torn down after them.
import { rmSync } from "node:fs";

import { afterAll, beforeAll } from "vitest";

import {
  buildPortal,
  openPortal,
  type Portal,
  type PortalPlatform,
  type PortalPlatformOptions,
  startPortalPlatform,
} from "./harness";

export interface PortalE2e {
  /** The running server (throws before the file's beforeAll has run). */
  readonly server: PortalPlatform;
  /** Chromium on the server's portal. */
  readonly portal: Portal;
}

/**
 * Registers the file's beforeAll/afterAll. `options` may be a function, called in beforeAll, for
 * options that depend on stand-ins the file starts in an earlier beforeAll (their URLs, keys).
 */
export function usePortalE2e(options: PortalPlatformOptions | (() => PortalPlatformOptions) = {}): PortalE2e {
  let portalDir: string | undefined;
  let server: PortalPlatform | undefined;
  let portal: Portal | undefined;

  beforeAll(async () => {
    portalDir = await buildPortal();
    server = await startPortalPlatform(portalDir, typeof options === "function" ? options() : options);
    portal = await openPortal(server.url);
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
    await server?.close();
    if (portalDir) rmSync(portalDir, { recursive: true, force: true });
  });

  return {
    get server() {
      if (!server) throw new Error("the e2e server is not running (used outside the file's tests?)");
      return server;
    },
    get portal() {
      if (!portal) throw new Error("the e2e browser is not open (used outside the file's tests?)");
      return portal;
    },
  };
}
