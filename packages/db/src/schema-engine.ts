// Loads Prisma's wasm schema engine (no native binary) and runs one command batch over a driver adapter.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { type SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };

let loaded: Promise<void> | undefined;

/** The slice of the WebAssembly global used here (the project's lib has no DOM/wasm typings). */
type WasmApi = {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};
const wasmApi = () => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Instantiates the wasm module once per process. */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const imports: Record<string, unknown> = { ...bg };
    // The engine arms a 10 s timer it never clears; unref'd timers let scripts exit at once.
    for (const name of Object.keys(bg).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const { instance } = await wasmApi().instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": imports,
    });
    bg.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start as (() => void) | undefined;
    start?.();
  })();
  return loaded;
}

/**
 * Wraps an adapter factory so every adapter the engine opens is tracked: the engine never disposes
 * them, and an undisposed pool or PGlite instance keeps Node alive.
 */
function trackAdapters(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  // The engine disposes some adapters itself (shadow connections), so make dispose idempotent.
  const track = (adapter: SqlDriverAdapter) => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => (disposed ??= dispose());
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  const disposeAll = async () => {
    const errors: unknown[] = [];
    for (const adapter of opened.splice(0).reverse()) {
      await adapter.dispose().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, "Failed to dispose schema engine adapters");
  };
  return { tracked, disposeAll };
}

/** Runs `fn` with a fresh engine on `factory`, then frees the engine and disposes its adapters. */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const { tracked, disposeAll } = trackAdapters(factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(tracked),
    );
    return await fn(engine);
  } finally {
    engine?.free();
    await disposeAll();
  }
}
