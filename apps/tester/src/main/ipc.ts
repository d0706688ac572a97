// Bridge calls from the renderer, checked before they reach the host: only the app's own window may call, with valid arguments.
import { BRIDGE_METHODS, type BridgeMethod, IPC_PREFIX, type TesterBridge } from "../shared/bridge";
import { BRIDGE_ARGS } from "../shared/bridge-args";

export interface IpcRegistrar {
  handle(channel: string, listener: (event: { sender: unknown }, ...args: unknown[]) => unknown): void;
}

export class BridgeCallError extends Error {}

/** Dispatches one call: validates the arguments with the method's schema, then calls the host. */
export async function dispatchBridgeCall(
  host: TesterBridge,
  method: BridgeMethod,
  args: unknown[],
): Promise<unknown> {
  const parsed = BRIDGE_ARGS[method].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BridgeCallError(
      `${method}: ${issue ? `${issue.path.join(".") || "arguments"} ${issue.message}` : "invalid arguments"}`,
    );
  }
  const fn = (host[method] as (this: TesterBridge, ...a: unknown[]) => Promise<unknown>).bind(host);
  return fn(...parsed.data);
}

export function registerBridge(
  ipc: IpcRegistrar,
  host: TesterBridge,
  isAppWindow: (sender: unknown) => boolean,
): void {
  for (const method of BRIDGE_METHODS) {
    ipc.handle(`${IPC_PREFIX}${method}`, (event, ...args) => {
      if (!isAppWindow(event.sender))
        throw new BridgeCallError(`${method}: only the app window may call the bridge`);
      return dispatchBridgeCall(host, method, args);
    });
  }
}
