// Server entry point: configure, compose, migrate and seed, serve and/or work, and shut down gracefully.
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { createApp } from "./app";
import { startBanner } from "./banner";
import { composePlatform, type Platform } from "./compose";
import { describeDatabase } from "./database";
import { EnvError, loadEnv, type ServerEnv } from "./env";
import { seedOnStart } from "./seed";

const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function main(): Promise<void> {
  let env: ServerEnv;
  try {
    env = loadEnv();
  } catch (error) {
    fail(error instanceof EnvError ? error.message : String(error));
  }

  let platform: Platform;
  try {
    platform = await composePlatform(env);
  } catch (error) {
    fail(
      `Eyeball could not open its database (${describeDatabase(env)}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  let server: Server | undefined;
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      console.error(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: shutting down (finishing requests in flight)…`);
    if (server) {
      const open = server;
      const force = setTimeout(() => {
        open.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      await new Promise<void>((resolve) => {
        open.close(() => {
          resolve();
        });
        open.closeIdleConnections();
      });
      clearTimeout(force);
    }
    await platform.close();
    console.log("Eyeball stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  try {
    const demo = await seedOnStart(platform);
    await platform.start();
    let url = env.publicUrl;
    if (env.role !== "worker") {
      server = createServer(
        createApp(platform.services, {
          rest: platform.rest,
          corsOrigins: env.corsOrigins,
          portal: { dir: env.portalDir },
        }),
      );
      const address = await listen(server, env.port, env.host);
      if (env.port === 0) {
        url = `http://${env.host}:${address.port}`;
        // Links the server hands out (artifacts) must name the port the system picked.
        if (env.publicUrlFromPort) platform.config.publicUrl = url;
      }
    }
    if (env.role !== "api") await platform.startWorkers();
    console.log(
      startBanner({
        url,
        role: env.role,
        database: describeDatabase(env),
        appliedMigrations: platform.database.appliedMigrations.length,
        demo,
      }),
    );
  } catch (error) {
    await platform.close().catch(() => undefined);
    fail(`Eyeball failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

await main();
