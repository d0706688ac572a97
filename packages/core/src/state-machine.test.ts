import { describe, expect, it } from "vitest";

import { expectDomainError } from "../test/expect-domain-error";
import { defineMachine, invalidTransitionMessage, renderTransitionTable } from "./state-machine";

const door = defineMachine<"open" | "shut" | "gone", "close" | "open" | "burn">({
  subject: "a door",
  states: ["open", "shut", "gone"],
  events: ["close", "open", "burn"],
  terminal: ["gone"],
  table: { open: { close: "shut", burn: "gone" }, shut: { open: "open", burn: "gone" }, gone: {} },
});

describe("defineMachine", () => {
  it("looks transitions up in the table", () => {
    expect(door.transition("open", "close")).toBe("shut");
    expect(door.next("shut", "close")).toBeNull();
    expect(door.can("shut", "open")).toBe(true);
    expect(door.allowedEvents("open")).toEqual(["close", "burn"]);
    expect(door.canMove("open", "gone")).toBe(true);
    expect(door.canMove("gone", "open")).toBe(false);
    expect(door.isTerminal("gone")).toBe(true);
    expectDomainError(
      () => door.transition("gone", "open"),
      "INVALID_TRANSITION",
      "cannot open a door that is gone",
    );
    expect(invalidTransitionMessage("a job", "pause", "paused")).toBe("cannot pause a job that is paused");
  });

  it("renders the table as Markdown", () => {
    expect(renderTransitionTable(door)).toBe(
      [
        "| state | close | open | burn | terminal |",
        "| --- | --- | --- | --- | --- |",
        "| open | shut |  | gone |  |",
        "| shut |  | open | gone |  |",
        "| gone |  |  |  | yes |",
      ].join("\n"),
    );
  });
});
