// The "done" rule: a tester's message is final only when its last word is "done".

/** Trailing characters that are not part of any word: whitespace, punctuation, quotes, emoji, symbols. */
const TRAILING_NON_WORD = /[^\p{L}\p{N}]+$/u;
/** A word is a run of letters, digits, apostrophes and hyphens (so "undone" and "well-done" are not "done"). */
const LAST_WORD = /[\p{L}\p{N}'’-]+$/u;

/** The last word of a message, lower-cased, ignoring trailing whitespace, punctuation, quotes and emoji. */
export function lastWord(message: string): string | null {
  const trimmed = message.replace(TRAILING_NON_WORD, "");
  const match = LAST_WORD.exec(trimmed);
  return match ? match[0].toLowerCase() : null;
}

/** True when the message is a tester's final submission: its last word is "done" (any case). */
export function isFinalMessage(message: string): boolean {
  return lastWord(message) === "done";
}
