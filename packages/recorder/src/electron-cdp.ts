// Adapts Electron's `webContents.debugger` to the recorder's CdpTransport (typed structurally: no electron import).
import { type CdpEventParams, type CdpTransport } from "./types";

/** The part of Electron's `Debugger` the adapter uses. */
export interface ElectronDebugger {
  isAttached(): boolean;
  attach(protocolVersion?: string): void;
  sendCommand(method: string, commandParams?: unknown, sessionId?: string): Promise<unknown>;
  on(
    event: "message",
    listener: (event: unknown, method: string, params: unknown, sessionId?: string) => void,
  ): unknown;
  removeListener(
    event: "message",
    listener: (event: unknown, method: string, params: unknown, sessionId?: string) => void,
  ): unknown;
}

export const ELECTRON_CDP_VERSION = "1.3";

/**
 * Attaches on the first command (not at creation, so a failure surfaces from `startRecording`) and
 * fans the debugger's single "message" event out to per-method listeners. Events of child sessions
 * (a non-empty sessionId) are not the page's and are dropped.
 */
export function electronCdp(dbg: ElectronDebugger): CdpTransport {
  type Listener = (params: CdpEventParams) => void;
  const listeners = new Map<string, Set<Listener>>();
  let subscribed = false;

  const onMessage = (_event: unknown, method: string, params: unknown, sessionId?: string): void => {
    if (sessionId) return;
    const set = listeners.get(method);
    if (!set) return;
    for (const listener of [...set]) listener(params ?? {});
  };

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    dbg.on("message", onMessage);
  }

  function unsubscribeIfIdle(): void {
    if (!subscribed || listeners.size > 0) return;
    subscribed = false;
    dbg.removeListener("message", onMessage);
  }

  return {
    send(method, params) {
      try {
        if (!dbg.isAttached()) dbg.attach(ELECTRON_CDP_VERSION);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return dbg.sendCommand(method, params ?? {});
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      subscribe();
      return undefined;
    },
    off(event, listener) {
      const set = listeners.get(event);
      if (!set) return undefined;
      set.delete(listener);
      if (set.size === 0) listeners.delete(event);
      unsubscribeIfIdle();
      return undefined;
    },
  };
}
