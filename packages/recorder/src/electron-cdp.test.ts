import { EventEmitter } from "node:events";

import { describe, expect, it } from "vitest";

import { electronCdp, type ElectronDebugger } from "./electron-cdp";

/** The shape of Electron's webContents.debugger, over a plain EventEmitter (Electron is not installed here). */
class FakeDebugger extends EventEmitter implements ElectronDebugger {
  attached = false;
  attachedWith: string | undefined;
  commands: { method: string; params: unknown }[] = [];
  isAttached(): boolean {
    return this.attached;
  }
  attach(version?: string): void {
    if (this.attached) throw new Error("Debugger is already attached to the target");
    this.attached = true;
    this.attachedWith = version;
  }
  sendCommand(method: string, params?: unknown): Promise<unknown> {
    if (!this.attached) return Promise.reject(new Error("Debugger is not attached"));
    this.commands.push({ method, params });
    return Promise.resolve({ ok: method });
  }
}

describe("electronCdp", () => {
  it("attaches with protocol 1.3 on the first command, once", async () => {
    const dbg = new FakeDebugger();
    const cdp = electronCdp(dbg);
    expect(dbg.attached).toBe(false);
    expect(await cdp.send("Page.enable")).toEqual({ ok: "Page.enable" });
    await cdp.send("Runtime.evaluate", { expression: "1" });
    expect(dbg.attachedWith).toBe("1.3");
    expect(dbg.commands).toEqual([
      { method: "Page.enable", params: {} },
      { method: "Runtime.evaluate", params: { expression: "1" } },
    ]);
  });

  it("does not attach again when already attached, and rejects when attaching fails", async () => {
    const dbg = new FakeDebugger();
    dbg.attach("1.3");
    await expect(electronCdp(dbg).send("Page.enable")).resolves.toBeDefined();
    const failing = new FakeDebugger();
    failing.attach = () => {
      throw new Error("Another debugger is already attached");
    };
    await expect(electronCdp(failing).send("Page.enable")).rejects.toThrow(/already attached/);
  });

  it("routes message events to listeners by method and detaches with off", () => {
    const dbg = new FakeDebugger();
    const cdp = electronCdp(dbg);
    const seen: unknown[] = [];
    const listener = (params: { n: number }): void => {
      seen.push(params.n);
    };
    cdp.on("Runtime.consoleAPICalled", listener);
    expect(dbg.listenerCount("message")).toBe(1);
    dbg.emit("message", {}, "Runtime.consoleAPICalled", { n: 1 });
    dbg.emit("message", {}, "Network.requestWillBeSent", { n: 2 });
    // Child sessions (workers, OOPIFs) are not the page's.
    dbg.emit("message", {}, "Runtime.consoleAPICalled", { n: 3 }, "child-session");
    dbg.emit("message", {}, "Runtime.consoleAPICalled", { n: 4 }, "");
    cdp.off("Runtime.consoleAPICalled", listener);
    dbg.emit("message", {}, "Runtime.consoleAPICalled", { n: 5 });
    expect(seen).toEqual([1, 4]);
    expect(dbg.listenerCount("message")).toBe(0);
  });
});
