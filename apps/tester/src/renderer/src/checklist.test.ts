import { describe, expect, it } from "vitest";

import { checkDraft } from "./checklist";

const schema = {
  signupWorks: { type: "boolean" as const, description: "Whether the tester could sign up" },
  errorMessage: { type: "string" as const, description: "The error message shown for a weak password" },
};

describe("checkDraft", () => {
  it("lists every field unanswered and not final for an empty draft", () => {
    const check = checkDraft(schema, "   ");
    expect(check.final).toBe(false);
    expect(check.unanswered).toEqual(["signupWorks", "errorMessage"]);
    expect(check.items.map((item) => item.answered)).toEqual([false, false]);
  });

  it("marks the fields the draft answers, as the server's built-in extractor reads them", () => {
    const partial = checkDraft(schema, "Signup works fine with a new email.");
    expect(partial.items[0]).toMatchObject({ name: "signupWorks", answered: true, value: true });
    expect(partial.unanswered).toEqual(["errorMessage"]);
    expect(partial.final).toBe(false);

    const full = checkDraft(
      schema,
      'Signup works fine with a new email. With a weak password it shows "Password too weak". done',
    );
    expect(full.unanswered).toEqual([]);
    expect(full.items[1]?.value).toBe("Password too weak");
    expect(full.final).toBe(true);
  });

  it("applies the done rule to the last word only", () => {
    expect(checkDraft(null, "I am done with signup, but not checkout").final).toBe(false);
    expect(checkDraft(null, "Everything works. Done.").final).toBe(true);
    expect(checkDraft(null, "Everything works. Done.").items).toEqual([]);
  });
});
