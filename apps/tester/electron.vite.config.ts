// Bundles main, preload and renderer. Workspace packages ship TypeScript source, so they are bundled; npm dependencies stay external in main.
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

const WORKSPACE = ["@eyeball/recorder", "@eyeball/core", "@eyeball/extraction"];

export default defineConfig({
  main: {
    build: { externalizeDeps: { exclude: WORKSPACE }, outDir: "out/main" },
  },
  preload: {
    // A sandboxed preload cannot load modules: one self-contained CommonJS file.
    build: {
      externalizeDeps: false,
      outDir: "out/preload",
      rollupOptions: { output: { format: "cjs", entryFileNames: "[name].cjs" } },
    },
  },
  renderer: {
    root: "src/renderer",
    base: "./",
    plugins: [react()],
    build: { outDir: "out/renderer", minify: true },
  },
});
