// The test window: the page under test at exactly the job's viewport, shown scaled to fit, with no preload and no way into the app.
import { BrowserWindow, session as electronSession, shell } from "electron";

import { electronCdp } from "@eyeball/recorder";

import type { OpenTestPageInput, TestPage } from "../host";

export async function openTestWindow(input: OpenTestPageInput): Promise<TestPage> {
  // A fresh, in-memory session per assignment: no cookies or storage carried between jobs.
  const partition = `test-${input.assignmentId}`;
  const pageSession = electronSession.fromPartition(partition, { cache: false });
  pageSession.setPermissionRequestHandler((_contents, permission, callback) => {
    // Sites may ask for notifications or the camera; the tester decides in the page, never silently granted.
    callback(permission === "fullscreen" || permission === "clipboard-sanitized-write");
  });

  const window = new BrowserWindow({
    title: input.title,
    useContentSize: true,
    width: Math.round(input.viewport.width * input.displayScale),
    height: Math.round(input.viewport.height * input.displayScale),
    // The page's viewport is fixed by the job: the window is never resized, only scaled to fit the display.
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    show: false,
    webPreferences: {
      partition,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.setMenuBarVisibility(false);
  // Pop-ups open in the same window (so they are recorded); mailto: goes to the system; other schemes
  // (file:, custom app protocols) are never handed to the OS by a page under test.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/i.test(url)) void window.loadURL(url);
    else if (/^mailto:/i.test(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  window.once("ready-to-show", () => {
    window.show();
  });

  const cdp = electronCdp(window.webContents.debugger);
  let closed = false;
  const listeners: (() => void)[] = [];
  window.on("closed", () => {
    closed = true;
    for (const listener of listeners) listener();
  });
  // Show something at once; the recorder navigates to the job's URL after attaching.
  await window.loadURL("about:blank");
  window.show();

  return {
    cdp,
    onClosed(listener) {
      listeners.push(listener);
    },
    close() {
      if (!closed) window.destroy();
      return Promise.resolve();
    },
  };
}
