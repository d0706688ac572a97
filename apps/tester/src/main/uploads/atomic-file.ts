// Whole-file writes that a crash never leaves half done: write a temp file beside the target, flush it, rename over.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** Temp files end in this; listings skip them and crash recovery removes them. */
export const TEMP_SUFFIX = ".tmp";

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
  const fd = openSync(temp, "w");
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written);
    // Flushed before the rename: after a power cut the name points at whole bytes, never an empty file.
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}
