// Public surface of @eyeball/recorder: record a page's session (timeline, screenshots, video) over the Chrome DevTools Protocol.
export * from "./types";
export { startRecording } from "./recorder";
export { ffmpegAvailable, type FfmpegCheck } from "./ffmpeg";
export { SCREEN_PRESETS, type ScreenPresetName, MIN_FIT_SCALE, fitScale } from "./screen";
export { electronCdp, ELECTRON_CDP_VERSION, type ElectronDebugger } from "./electron-cdp";
export { RecorderOptionsError, MAX_VIEWPORT_SIDE, DEFAULT_FPS, MAX_FPS } from "./options";
export { pngSize } from "./png";
