import { describe, expect, it } from "vitest";

import { BRIDGE_METHODS, IPC_PREFIX, type TesterBridge } from "../shared/bridge";
import { BridgeCallError, dispatchBridgeCall, registerBridge } from "./ipc";

/** A host that records what reached it. */
function recordingHost(): { host: TesterBridge; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const host = Object.fromEntries(
    BRIDGE_METHODS.map((method) => [
      method,
      (...args: unknown[]) => {
        calls.push([method, args]);
        return Promise.resolve(null);
      },
    ]),
  ) as unknown as TesterBridge;
  return { host, calls };
}

const session = {
  serverUrl: "http://127.0.0.1:4000",
  token: "eb_tst_abc",
  expiresAt: "2026-12-31T00:00:00.000Z",
  testerAlias: "Ada",
};

describe("bridge calls", () => {
  it("pass valid arguments to the host", async () => {
    const { host, calls } = recordingHost();
    await dispatchBridgeCall(host, "saveSession", [session]);
    await dispatchBridgeCall(host, "takeScreenshot", []);
    expect(calls).toEqual([
      ["saveSession", [session]],
      ["takeScreenshot", []],
    ]);
  });

  it("refuse bad arguments with the method and field named, before the host sees them", async () => {
    const { host, calls } = recordingHost();
    const open = { url: "https://example.com", viewport: { width: 1920, height: 1080 } };
    await expect(
      dispatchBridgeCall(host, "openTestWindow", [{ ...open, assignmentId: "../../etc" }]),
    ).rejects.toThrow("openTestWindow: 0.assignmentId must be an assignment id");
    await expect(
      dispatchBridgeCall(host, "openTestWindow", [
        { ...open, assignmentId: "a1", url: "file:///etc/passwd" },
      ]),
    ).rejects.toThrow(/openTestWindow: 0\.url/);
    await expect(
      dispatchBridgeCall(host, "openTestWindow", [
        { ...open, assignmentId: "a1", viewport: { width: 10, height: 10 } },
      ]),
    ).rejects.toThrow(/openTestWindow: 0\.viewport\.width/);
    await expect(
      dispatchBridgeCall(host, "saveSession", [{ ...session, token: "sk_live_x" }]),
    ).rejects.toThrow(BridgeCallError);
    await expect(dispatchBridgeCall(host, "appInfo", ["extra"])).rejects.toThrow(/^appInfo: /);
    expect(calls).toEqual([]);
  });

  it("answer only the app window", async () => {
    const { host, calls } = recordingHost();
    const handlers = new Map<string, (event: { sender: unknown }, ...args: unknown[]) => unknown>();
    const appWindow = { id: 1 };
    registerBridge(
      { handle: (channel, listener) => handlers.set(channel, listener) },
      host,
      (s) => s === appWindow,
    );
    expect([...handlers.keys()]).toEqual(BRIDGE_METHODS.map((m) => `${IPC_PREFIX}${m}`));

    const load = handlers.get(`${IPC_PREFIX}loadSession`)!;
    await load({ sender: appWindow });
    expect(() => load({ sender: { id: 2 } })).toThrow("loadSession: only the app window may call the bridge");
    expect(calls).toEqual([["loadSession", []]]);
  });
});
