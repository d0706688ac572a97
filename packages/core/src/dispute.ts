// Disputes on settled charges: opened by the owner, resolved by an admin.
import { type Micros } from "./money";
import { defineMachine } from "./state-machine";

/**
 * `upheld`: the admin upholds the charge (the owner pays, the tester is paid).
 * `refunded`: the admin refunds the disputed charge to the owner (the tester earns nothing for it).
 */
export const DISPUTE_STATUSES = ["open", "upheld", "refunded"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_EVENTS = ["uphold", "refund"] as const;
export type DisputeEvent = (typeof DISPUTE_EVENTS)[number];

export const disputeMachine = defineMachine<DisputeStatus, DisputeEvent>({
  subject: "a dispute",
  states: DISPUTE_STATUSES,
  events: DISPUTE_EVENTS,
  terminal: ["upheld", "refunded"],
  table: {
    open: { uphold: "upheld", refund: "refunded" },
    upheld: {},
    refunded: {},
  },
});

export interface DisputeView {
  readonly id: string;
  readonly status: DisputeStatus;
  readonly assignmentIds: readonly string[];
  /** Sum of the disputed assignments' charges, fixed when the dispute opened. */
  readonly micros: Micros;
}

export type DisputeResolutionEffect =
  | {
      readonly type: "refund";
      readonly disputeId: string;
      readonly assignmentIds: readonly string[];
      readonly micros: Micros;
    }
  | { readonly type: "uphold_charge"; readonly disputeId: string; readonly assignmentIds: readonly string[] };

export interface DisputeResolution {
  readonly status: DisputeStatus;
  readonly effects: readonly DisputeResolutionEffect[];
}

/** An admin resolves an open dispute; resolving twice is INVALID_TRANSITION (409). */
export function resolveDispute(dispute: DisputeView, event: DisputeEvent): DisputeResolution {
  const status = disputeMachine.transition(dispute.status, event);
  const effects: DisputeResolutionEffect[] =
    event === "refund"
      ? [
          {
            type: "refund",
            disputeId: dispute.id,
            assignmentIds: dispute.assignmentIds,
            micros: dispute.micros,
          },
        ]
      : [{ type: "uphold_charge", disputeId: dispute.id, assignmentIds: dispute.assignmentIds }];
  return { status, effects };
}
