// Owner controls over a job (Instahuman pause/resume/stop) and its settlement, as transition tables.
import { defineMachine } from "./state-machine";

/** Whether the job accepts new claims. The database stores these exact strings. */
export const JOB_CONTROLS = ["active", "paused", "stopped"] as const;
export type JobControl = (typeof JOB_CONTROLS)[number];

export const JOB_CONTROL_EVENTS = ["pause", "resume", "stop"] as const;
export type JobControlEvent = (typeof JOB_CONTROL_EVENTS)[number];

/** `stopped` is final: open slots are closed and cannot come back; working testers still finish. */
export const jobControlMachine = defineMachine<JobControl, JobControlEvent>({
  subject: "a job",
  states: JOB_CONTROLS,
  events: JOB_CONTROL_EVENTS,
  terminal: ["stopped"],
  table: {
    active: { pause: "paused", stop: "stopped" },
    paused: { resume: "active", stop: "stopped" },
    stopped: {},
  },
});

/** Money state of a job. `approved` is final: tester earnings are released. */
export const SETTLEMENT_STATES = ["unsettled", "settled", "approved"] as const;
export type SettlementState = (typeof SETTLEMENT_STATES)[number];

export const SETTLEMENT_EVENTS = ["settle", "approve"] as const;
export type SettlementEvent = (typeof SETTLEMENT_EVENTS)[number];

export const settlementMachine = defineMachine<SettlementState, SettlementEvent>({
  subject: "a job",
  states: SETTLEMENT_STATES,
  events: SETTLEMENT_EVENTS,
  terminal: ["approved"],
  table: {
    unsettled: { settle: "settled" },
    settled: { approve: "approved" },
    approved: {},
  },
});
