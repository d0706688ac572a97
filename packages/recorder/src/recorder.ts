// startRecording: attaches to a page over CDP and records console, network, clicks, screenshots and video.
import { randomBytes } from "node:crypto";

import type { Protocol } from "devtools-protocol";
import type { ProtocolMapping } from "devtools-protocol/types/protocol-mapping";

import { clickScript } from "./click-script";
import { resolveOptions } from "./options";
import { pngSize } from "./png";
import {
  clickEntryFromPayload,
  consoleEntryFromApiCall,
  consoleEntryFromException,
  consoleEntryFromLog,
  isRecordedUrl,
  networkEntryFromRequest,
} from "./timeline";
import {
  type CdpEventParams,
  type CdpTransport,
  type ClickEntry,
  type ConsoleEntry,
  type NetworkEntry,
  type Recording,
  type RecordingResult,
  type RecorderOptions,
  type Screenshot,
  type TimelineEntry,
} from "./types";
import { startVideoWriter, type VideoWriter, type VideoWriterResult } from "./video-writer";

interface LoadWaiter {
  loaderId: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Frame timestamps further than this from our clock are ignored (another clock, e.g. an injected `now`). */
const MAX_FRAME_CLOCK_SKEW_MS = 2_000;

export async function startRecording(cdp: CdpTransport, options: RecorderOptions): Promise<Recording> {
  const opts = resolveOptions(options);
  const now = options.now ?? Date.now;
  const { width, height } = opts;
  const startedAt = new Date(now());
  const token = randomBytes(6).toString("hex");
  const worldName = `__eyeball_recorder_${token}`;
  const bindingName = `__eyeballClick_${token}`;

  const consoleEntries: ConsoleEntry[] = [];
  const network: NetworkEntry[] = [];
  const clicks: ClickEntry[] = [];
  const screenshots: Screenshot[] = [];
  const inFlight = new Map<string, NetworkEntry>();
  const subscriptions: [string, (params: CdpEventParams) => void][] = [];
  const pending = new Set<Promise<unknown>>();
  const loadWaiters = new Set<LoadWaiter>();
  const loadedLoaders = new Set<string>();
  let mainFrameId: string | undefined;
  let mainLoaderId: string | undefined;
  let scriptId: string | undefined;
  let video: VideoWriter | null = null;
  let stopped = false;
  let stopping: Promise<RecordingResult> | undefined;
  // Runtime.enable and Log.enable replay messages from before the recording; those are not ours.
  let consoleLive = false;
  let logLive = false;

  const send = <T>(method: string, params?: Record<string, unknown>): Promise<T> =>
    cdp.send(method, params) as Promise<T>;

  function emit(entry: TimelineEntry): void {
    try {
      options.onEntry?.(entry);
    } catch {
      // A failing consumer must not break the CDP event dispatch that called us.
    }
  }

  function listen<E extends keyof ProtocolMapping.Events>(
    event: E,
    handler: (params: ProtocolMapping.Events[E][0]) => void,
  ): void {
    const listener = (params: ProtocolMapping.Events[E][0]): void => {
      if (stopped) return;
      handler(params);
    };
    cdp.on(event, listener);
    subscriptions.push([event, listener]);
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.then(
      () => pending.delete(promise),
      () => pending.delete(promise),
    );
    return promise;
  }

  function addConsole(entry: ConsoleEntry): void {
    consoleEntries.push(entry);
    emit({ kind: "console", entry: { ...entry } });
  }

  function completeRequest(requestId: string, entry: NetworkEntry): void {
    inFlight.delete(requestId);
    emit({ kind: "network", entry: { ...entry } });
  }

  async function takeScreenshot(label: string): Promise<Screenshot> {
    const metrics = await send<Protocol.Page.GetLayoutMetricsResponse>("Page.getLayoutMetrics");
    // The clip is in document coordinates: offset it by the scroll position to get what the tester sees.
    const x = metrics.cssVisualViewport.pageX;
    const y = metrics.cssVisualViewport.pageY;
    const capture = async (scale: number): Promise<Buffer> => {
      const shot = await send<Protocol.Page.CaptureScreenshotResponse>("Page.captureScreenshot", {
        format: "png",
        clip: { x, y, width, height, scale },
        captureBeyondViewport: false,
      });
      return Buffer.from(shot.data, "base64");
    };
    let png = await capture(1);
    let size = pngSize(png);
    if (size && size.width !== width && size.width > 0) {
      // Some embedders capture the scaled window surface: correct the clip scale once.
      png = await capture(width / size.width);
      size = pngSize(png);
    }
    return {
      png,
      width: size?.width ?? width,
      height: size?.height ?? height,
      takenAt: new Date(now()),
      label,
    };
  }

  function screenshotOnLoad(): void {
    if (!opts.screenshotOnLoad) return;
    void track(
      takeScreenshot("load").then(
        (shot) => {
          if (stopped) return;
          screenshots.push(shot);
          try {
            options.onScreenshot?.(shot);
          } catch {
            // As with onEntry: never throw into the event dispatch.
          }
        },
        () => undefined, // The page may be gone or navigating again; the next load takes another.
      ),
    );
  }

  function detach(): void {
    for (const [event, listener] of subscriptions) cdp.off(event, listener);
    subscriptions.length = 0;
  }

  // Console.
  listen("Runtime.consoleAPICalled", (event) => {
    if (consoleLive) addConsole(consoleEntryFromApiCall(event));
  });
  listen("Runtime.exceptionThrown", (event) => {
    if (consoleLive) addConsole(consoleEntryFromException(event));
  });
  listen("Log.entryAdded", (event) => {
    if (!logLive) return;
    const entry = consoleEntryFromLog(event);
    if (entry) addConsole(entry);
  });

  // Network.
  listen("Network.requestWillBeSent", (event) => {
    const previous = inFlight.get(event.requestId);
    if (previous && event.redirectResponse) {
      previous.status = event.redirectResponse.status;
      completeRequest(event.requestId, previous);
    }
    if (!isRecordedUrl(event.request.url)) return;
    const entry = networkEntryFromRequest(event);
    network.push(entry);
    inFlight.set(event.requestId, entry);
  });
  listen("Network.responseReceived", (event) => {
    const entry = inFlight.get(event.requestId);
    if (!entry) return;
    entry.status = event.response.status;
    completeRequest(event.requestId, entry);
  });
  listen("Network.loadingFailed", (event) => {
    const entry = inFlight.get(event.requestId);
    if (!entry) return;
    entry.status = 0;
    completeRequest(event.requestId, entry);
  });

  // Clicks, from the isolated world.
  listen("Runtime.bindingCalled", (event) => {
    if (event.name !== bindingName) return;
    const click = clickEntryFromPayload(event.payload, now());
    if (!click) return;
    clicks.push(click);
    emit({ kind: "clicks", entry: { ...click } });
  });

  // Loads.
  listen("Page.frameNavigated", (event) => {
    if (event.frame.parentId !== undefined) return;
    mainFrameId = event.frame.id;
    mainLoaderId = event.frame.loaderId;
  });
  listen("Page.loadEventFired", () => {
    if (mainLoaderId) {
      loadedLoaders.add(mainLoaderId);
      for (const waiter of loadWaiters) if (waiter.loaderId === mainLoaderId) waiter.resolve();
    }
    screenshotOnLoad();
  });

  // Video.
  listen("Page.screencastFrame", (event) => {
    void send("Page.screencastFrameAck", { sessionId: event.sessionId }).catch(() => undefined);
    const clock = now();
    const captured = event.metadata.timestamp !== undefined ? event.metadata.timestamp * 1000 : clock;
    const at = Math.abs(captured - clock) <= MAX_FRAME_CLOCK_SKEW_MS ? Math.min(captured, clock) : clock;
    video?.addFrame(Buffer.from(event.data, "base64"), at);
  });

  try {
    await Promise.all([
      send("Runtime.enable").then(() => {
        consoleLive = true;
      }),
      send("Log.enable").then(() => {
        logLive = true;
      }),
      send("Network.enable"),
      send("Page.enable"),
    ]);
    await send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
      scale: opts.displayScale,
    });
    await send("Runtime.addBinding", { name: bindingName, executionContextName: worldName });
    const source = clickScript(bindingName);
    const added = await send<Protocol.Page.AddScriptToEvaluateOnNewDocumentResponse>(
      "Page.addScriptToEvaluateOnNewDocument",
      {
        source,
        worldName,
      },
    );
    scriptId = added.identifier;
    const tree = await send<Protocol.Page.GetFrameTreeResponse>("Page.getFrameTree");
    mainFrameId ??= tree.frameTree.frame.id;
    mainLoaderId ??= tree.frameTree.frame.loaderId;
    // The current document predates the script: install the listener there too.
    const world = await send<Protocol.Page.CreateIsolatedWorldResponse>("Page.createIsolatedWorld", {
      frameId: mainFrameId,
      worldName,
    });
    await send("Runtime.evaluate", { expression: source, contextId: world.executionContextId });

    if (opts.video) {
      video = startVideoWriter({ ...opts.video, width, height, now, startedAt: startedAt.getTime() });
      await send("Page.startScreencast", {
        format: "jpeg",
        quality: 80,
        maxWidth: width,
        maxHeight: height,
        everyNthFrame: 1,
      });
    }
  } catch (error) {
    stopped = true;
    detach();
    await video?.stop();
    throw error;
  }

  function snapshot(): Omit<RecordingResult, "video" | "stoppedAt"> {
    return {
      console: consoleEntries.map((e) => ({ ...e })),
      network: network.map((e) => ({ ...e })),
      clicks: clicks.map((e) => ({ ...e })),
      screenshots: [...screenshots],
      startedAt,
    };
  }

  async function finish(): Promise<RecordingResult> {
    // Load screenshots already under way belong to the recording.
    await Promise.allSettled([...pending]);
    stopped = true;
    const stoppedAt = new Date(now());
    detach();
    for (const waiter of loadWaiters)
      waiter.reject(new Error("The recording stopped before the page finished loading"));
    for (const [requestId, entry] of inFlight) completeRequest(requestId, entry);

    let videoResult: VideoWriterResult = { video: null };
    if (video) {
      const stopCast = send("Page.stopScreencast").catch(() => undefined);
      videoResult = await video.stop(stoppedAt.getTime());
      await stopCast;
    }
    // Best effort: the target may already be gone. The viewport override stays, as the page still shows it.
    await Promise.allSettled([
      send("Runtime.removeBinding", { name: bindingName }),
      ...(scriptId ? [send("Page.removeScriptToEvaluateOnNewDocument", { identifier: scriptId })] : []),
    ]);
    return {
      ...snapshot(),
      video: videoResult.video,
      ...(videoResult.error ? { videoError: videoResult.error } : {}),
      stoppedAt,
    };
  }

  return {
    async navigate(url) {
      if (stopped) throw new Error("The recording has stopped");
      let waiter: LoadWaiter | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await send<Protocol.Page.NavigateResponse>("Page.navigate", { url });
        if (result.errorText) throw new Error(`Navigation to ${url} failed: ${result.errorText}`);
        const loaderId = result.loaderId;
        // No loader: a same-document navigation (a #hash change), which has no load event.
        if (!loaderId || loadedLoaders.has(loaderId)) return;
        await new Promise<void>((resolve, reject) => {
          waiter = { loaderId, resolve, reject };
          loadWaiters.add(waiter);
          timer = setTimeout(() => {
            reject(
              new Error(
                `${url} did not finish loading within ${Math.round(opts.navigationTimeoutMs / 1000)} s`,
              ),
            );
          }, opts.navigationTimeoutMs);
        });
      } finally {
        if (waiter) loadWaiters.delete(waiter);
        clearTimeout(timer);
      }
    },

    screenshot(label = "manual") {
      return takeScreenshot(label).then((shot) => {
        if (!stopped) screenshots.push(shot);
        return shot;
      });
    },

    snapshot,

    stop() {
      stopping ??= finish();
      return stopping;
    },
  };
}
