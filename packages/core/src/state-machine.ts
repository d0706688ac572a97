// A tiny xstate-style machine: the transition table is data, `transition` is a pure lookup.
import { DomainError } from "./errors";

/** For each state, the events it accepts and the state each leads to. Missing means illegal. */
export type TransitionTable<S extends string, E extends string> = {
  readonly [K in S]: Readonly<Partial<Record<E, S>>>;
};

export interface MachineDefinition<S extends string, E extends string> {
  /** Used in error messages: "cannot <event> <subject> that is <state>", e.g. "a job". */
  readonly subject: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly terminal: readonly S[];
  readonly table: TransitionTable<S, E>;
}

export interface Machine<S extends string, E extends string> extends MachineDefinition<S, E> {
  /** The next state, or a DomainError INVALID_TRANSITION (409) naming the event and the state. */
  transition(state: S, event: E): S;
  /** The next state, or null when the event is illegal in that state. */
  next(state: S, event: E): S | null;
  can(state: S, event: E): boolean;
  isTerminal(state: S): boolean;
  /** The events the state accepts, in the order of `events`. */
  allowedEvents(state: S): E[];
  /** True when some event leads directly from `from` to `to`. */
  canMove(from: S, to: S): boolean;
}

/** The message every illegal move carries, so clients see one wording everywhere. */
export function invalidTransitionMessage(subject: string, event: string, state: string): string {
  return `cannot ${event} ${subject} that is ${state}`;
}

export function invalidTransition(subject: string, event: string, state: string): DomainError {
  return new DomainError("INVALID_TRANSITION", invalidTransitionMessage(subject, event, state), {
    details: { subject, event, state },
  });
}

export function defineMachine<S extends string, E extends string>(
  definition: MachineDefinition<S, E>,
): Machine<S, E> {
  const terminal = new Set<S>(definition.terminal);
  const next = (state: S, event: E): S | null => definition.table[state][event] ?? null;
  return {
    ...definition,
    next,
    transition(state, event) {
      const to = next(state, event);
      if (to === null) throw invalidTransition(definition.subject, event, state);
      return to;
    },
    can: (state, event) => next(state, event) !== null,
    isTerminal: (state) => terminal.has(state),
    allowedEvents: (state) => definition.events.filter((event) => next(state, event) !== null),
    canMove: (from, to) => definition.events.some((event) => next(from, event) === to),
  };
}

/** The table as Markdown (state × event → next state), for docs generated from the data itself. */
export function renderTransitionTable<S extends string, E extends string>(
  machine: MachineDefinition<S, E>,
): string {
  const header = `| state | ${machine.events.join(" | ")} | terminal |`;
  const rule = `|${" --- |".repeat(machine.events.length + 2)}`;
  const rows = machine.states.map((state) => {
    const cells = machine.events.map((event) => machine.table[state][event] ?? "");
    return `| ${state} | ${cells.join(" | ")} | ${machine.terminal.includes(state) ? "yes" : ""} |`;
  });
  return [header, rule, ...rows].join("\n");
}
