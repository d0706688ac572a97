// The main process's check of every bridge call's arguments: the renderer is ours, but IPC is a trust boundary.
import { z } from "zod";

import type { BridgeMethod, NotifyInput, OpenTestWindowInput, StoredSession } from "./bridge";

export const viewportSchema = z.strictObject({
  width: z.number().int().min(200).max(7680),
  height: z.number().int().min(200).max(4320),
});

export const storedSessionSchema = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }),
  token: z.string().startsWith("eb_tst_"),
  expiresAt: z.string(),
  testerAlias: z.string(),
});

export const openTestWindowSchema = z.strictObject({
  // It names the recording's folder on disk: a plain id, never a path.
  assignmentId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, { error: "must be an assignment id" }),
  url: z.url({ protocol: /^https?$/ }),
  viewport: viewportSchema,
  title: z.string().max(200).optional(),
});

export const notifySchema = z.strictObject({ title: z.string().max(200), body: z.string().max(1000) });

/** What the main process checks each call's arguments against before acting on it. */
export const BRIDGE_ARGS: Record<BridgeMethod, z.ZodType<unknown[]>> = {
  appInfo: z.tuple([]),
  loadSession: z.tuple([]),
  saveSession: z.tuple([storedSessionSchema]),
  clearSession: z.tuple([]),
  openTestWindow: z.tuple([openTestWindowSchema]),
  testWindowState: z.tuple([]),
  takeScreenshot: z.tuple([z.string().max(40).optional()]),
  closeTestWindow: z.tuple([]),
  recordingStatus: z.tuple([]),
  uploadStatus: z.tuple([]),
  notify: z.tuple([notifySchema]),
};

// Compile-time: the schemas accept exactly the bridge's argument types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const BRIDGE_TYPE_CHECKS: [
  Same<z.infer<typeof storedSessionSchema>, StoredSession>,
  Same<z.infer<typeof openTestWindowSchema>, OpenTestWindowInput>,
  Same<z.infer<typeof notifySchema>, NotifyInput>,
] = [true, true, true];
