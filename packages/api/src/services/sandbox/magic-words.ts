// The sandbox's magic words: markers in a test-mode job's description that force a terminal state.
export const SANDBOX_MAGIC_WORDS = {
  incomplete: "[sandbox:incomplete]",
  abandon: "[sandbox:abandon]",
  reject: "[sandbox:reject]",
  error: "[sandbox:error]",
} as const;

export type SandboxScenario = "complete" | keyof typeof SANDBOX_MAGIC_WORDS;

/** When several markers appear, the first of error, reject, abandon, incomplete wins. */
const PRECEDENCE = ["error", "reject", "abandon", "incomplete"] as const;

/** What the simulated tester will do for a job, from its description (case-insensitive). */
export function sandboxScenario(description: string): SandboxScenario {
  const text = description.toLowerCase();
  return PRECEDENCE.find((scenario) => text.includes(SANDBOX_MAGIC_WORDS[scenario])) ?? "complete";
}
