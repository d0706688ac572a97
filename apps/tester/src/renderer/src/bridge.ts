// The renderer's handle on the app: `window.eyeball`, put there by the preload (or by a test).
import type { TesterBridge } from "../../shared/bridge";

declare global {
  interface Window {
    eyeball?: TesterBridge;
  }
}

export function getBridge(): TesterBridge {
  const bridge = window.eyeball;
  if (!bridge) throw new Error("The Eyeball bridge is missing: open this page in the Eyeball Tester app");
  return bridge;
}
