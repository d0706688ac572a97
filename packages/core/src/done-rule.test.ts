import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { isFinalMessage, lastWord } from "./done-rule";

describe("the done rule", () => {
  it.each([
    "Everything works. Done.",
    "everything works done",
    "All good. DONE!!",
    "Checked it all. done ✅",
    'I would say "done"',
    "Looks right (done)",
    "Done",
    "ok done  \n\t",
    "Fine… Done 🎉🎉",
  ])("treats %j as final", (message) => {
    expect(isFinalMessage(message)).toBe(true);
  });

  it.each([
    "Main nav is fine. I'm not done yet, still checking the footer.",
    "Done with the cart, moving on to payment now",
    "Checked. Done. PS: still need to try the brand filter",
    "I clicked undo and the edit was undone",
    "well-done",
    "no final word here",
    "",
    "   ...   ",
    "done?!x",
  ])("treats %j as not final", (message) => {
    expect(isFinalMessage(message)).toBe(false);
  });

  it("ignores any trailing punctuation, whitespace and emoji after done", () => {
    const trailing = fc.stringMatching(/^[\s.!?,;:"'()\u2026\u{1F389}\u2705\-*]*$/u);
    fc.assert(
      fc.property(
        fc.string(),
        trailing,
        fc.constantFrom("done", "Done", "DONE", "dOnE"),
        (body, tail, done) => {
          expect(isFinalMessage(`${body} ${done}${tail}`)).toBe(true);
        },
      ),
    );
  });

  it("never treats a message whose last word is another word as final", () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/).filter((w) => w !== "done");
    fc.assert(
      fc.property(fc.string(), word, (body, last) => {
        expect(isFinalMessage(`${body} done ${last}`)).toBe(false);
        expect(lastWord(`${body} ${last}.`)).toBe(last);
      }),
    );
  });
});
