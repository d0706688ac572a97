// Electron entry: the app window (React renderer behind a narrow preload bridge) and the host that records and uploads.
import path from "node:path";

import { app, BrowserWindow, ipcMain, Notification, safeStorage, screen, shell } from "electron";

import { createTesterHost } from "./host";
import { registerBridge } from "./ipc";
import { createSessionFile } from "./session-file";
import { openTestWindow } from "./electron/test-window";

const RENDERER_DEV_URL = process.env.ELECTRON_RENDERER_URL;
let appWindow: BrowserWindow | null = null;

function createAppWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: "Eyeball Tester",
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, "../preload/index.cjs"),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  window.once("ready-to-show", () => {
    window.show();
  });
  // The app window never navigates away or opens windows: links go to the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/i.test(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  window.webContents.on("will-navigate", (event) => {
    event.preventDefault();
  });
  if (RENDERER_DEV_URL) void window.loadURL(RENDERER_DEV_URL);
  else void window.loadFile(path.join(import.meta.dirname, "../renderer/index.html"));
  return window;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Every web content, the app's and the pages under test: no <webview>, which could bring its own preferences.
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-attach-webview", (event) => {
      event.preventDefault();
    });
  });
  await app.whenReady();
  const userData = app.getPath("userData");
  const keychain = await safeStorage.isAsyncEncryptionAvailable();
  const host = createTesterHost({
    spoolDir: path.join(userData, "recordings"),
    sessions: createSessionFile(
      path.join(userData, "session.bin"),
      keychain
        ? {
            encrypt: (plain) => safeStorage.encryptStringAsync(plain),
            decrypt: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
          }
        : null,
    ),
    openTestPage: openTestWindow,
    displaySize() {
      const { workAreaSize } = screen.getPrimaryDisplay();
      // Leave room for the window frame and the app beside it.
      return { width: workAreaSize.width - 40, height: workAreaSize.height - 80 };
    },
    notify(title, body) {
      if (!Notification.isSupported()) return;
      const notice = new Notification({ title, body });
      notice.on("click", () => {
        appWindow?.show();
        appWindow?.focus();
      });
      notice.show();
    },
    appVersion: app.getVersion(),
    platform: process.platform,
    ...(process.env.EYEBALL_FFMPEG ? { ffmpegPath: process.env.EYEBALL_FFMPEG } : {}),
  });
  registerBridge(ipcMain, host, (sender) => sender === appWindow?.webContents);
  await host.start();

  appWindow = createAppWindow();
  app.on("second-instance", () => {
    appWindow?.show();
    appWindow?.focus();
  });
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) appWindow = createAppWindow();
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });
  let quitting = false;
  app.on("before-quit", (event) => {
    if (quitting) return;
    // Finish the recording file; uploads that are left resume at the next start.
    event.preventDefault();
    quitting = true;
    void host.close().finally(() => {
      app.quit();
    });
  });
}

void main();
