// The preload: exposes exactly the bridge's methods as `window.eyeball`, each one IPC call; nothing of Node or Electron leaks.
import { contextBridge, ipcRenderer } from "electron";

import { BRIDGE_METHODS, IPC_PREFIX, type TesterBridge } from "../shared/bridge";

const bridge = Object.fromEntries(
  BRIDGE_METHODS.map((method) => [
    method,
    (...args: unknown[]) => ipcRenderer.invoke(`${IPC_PREFIX}${method}`, ...args),
  ]),
) as unknown as TesterBridge;

contextBridge.exposeInMainWorld("eyeball", bridge);
