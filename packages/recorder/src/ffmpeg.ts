// Finding out whether ffmpeg can record video here, in words a tester can act on.
import { spawn } from "node:child_process";

export interface FfmpegCheck {
  available: boolean;
  /** Why not, as a sentence saying what to do. */
  reason?: string;
}

interface RunResult {
  code: number | null;
  stdout: string;
  error?: NodeJS.ErrnoException;
}

function run(path: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let settled = false;
    const finish = (result: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(path, args, { stdio: ["ignore", "pipe", "ignore"] });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ code: null, stdout, error: Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }) });
    }, timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      finish({ code: null, stdout, error });
    });
    child.on("close", (code) => {
      finish({ code, stdout });
    });
  });
}

/** Runs `ffmpeg -version` and `ffmpeg -encoders` and checks the VP8 encoder (libvpx) the recorder uses is there. */
export async function ffmpegAvailable(path = "ffmpeg", timeoutMs = 10_000): Promise<FfmpegCheck> {
  const where = path === "ffmpeg" ? "on PATH" : `at ${path}`;
  const version = await run(path, ["-hide_banner", "-version"], timeoutMs);
  if (version.error?.code === "ENOENT") {
    return { available: false, reason: `ffmpeg was not found ${where}: install it to record video.` };
  }
  if (version.error?.code === "EACCES") {
    return {
      available: false,
      reason: `ffmpeg ${where} is not executable: fix its permissions or reinstall it to record video.`,
    };
  }
  if (version.error?.code === "ETIMEDOUT") {
    return {
      available: false,
      reason: `ffmpeg ${where} did not answer within ${Math.round(timeoutMs / 1000)} s: reinstall it to record video.`,
    };
  }
  if (version.error || version.code !== 0 || !/ffmpeg version/i.test(version.stdout)) {
    const detail = version.error ? version.error.message : `exit code ${String(version.code)}`;
    return {
      available: false,
      reason: `ffmpeg ${where} failed to run (${detail}): reinstall it to record video.`,
    };
  }
  const encoders = await run(path, ["-hide_banner", "-encoders"], timeoutMs);
  if (encoders.code !== 0 || !/^\s*V\S*\s+libvpx\s/m.test(encoders.stdout)) {
    return {
      available: false,
      reason: `ffmpeg ${where} has no libvpx (VP8) encoder: install an ffmpeg build with libvpx to record video.`,
    };
  }
  return { available: true };
}
