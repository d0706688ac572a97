// The owner portal's bundle. Workspace packages ship TypeScript source, so Vite bundles them; in dev, /trpc and /api go to the local server.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export const portalViteConfig = {
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
};

const server = process.env.EYEBALL_DEV_SERVER ?? "http://127.0.0.1:4000";

export default defineConfig({
  ...portalViteConfig,
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    port: 5173,
    // Same origin as far as the browser knows, so the session cookie and the server's Origin check work.
    proxy: { "/trpc": { target: server, changeOrigin: false }, "/api": server, "/artifacts": server },
  },
});
