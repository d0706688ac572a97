import type { UserConfig } from "vitest/config";

export function vitestPreset(options?: { integration?: boolean; testTimeout?: number }): UserConfig;
