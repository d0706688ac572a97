// Public surface of @eyeball/server: the app factory, composition and the shared database rules (used by the CLI).
export { createApp, type AppOptions } from "./app";
export {
  apiConfigFromEnv,
  composePlatform,
  type ComposeOptions,
  type Platform,
  type PlatformServices,
} from "./compose";
export { DataDirInUseError, lockDataDir } from "./data-dir-lock";
export { describeDatabase, embeddedDbDir, openDatabase, type DatabaseTarget } from "./database";
export { corsMiddleware } from "./cors";
export { type CorsOrigins, EnvError, loadEnv, parseCorsOrigins, parseSecretKey, type ServerEnv } from "./env";
export { loadOrCreateSecretKey } from "./secret-key";
export { seedOnStart } from "./seed";
