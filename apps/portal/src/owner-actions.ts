// Which owner actions a job allows now: core's own rules (packages/core owner-actions) run on the job's view.
import {
  approveJob,
  countedSlots,
  disputeJob,
  MAX_TESTER_COUNT,
  micros,
  type OwnerJobState,
  pauseJob,
  resizeJob,
  resumeJob,
  settleJob,
  stopJob,
  wasClaimed,
} from "@eyeball/core";

export const OWNER_ACTIONS = ["pause", "resume", "stop", "settle", "approve", "dispute", "resize"] as const;
export type OwnerAction = (typeof OWNER_ACTIONS)[number];

/** Allowed, or refused with core's reason ("cannot pause a job that is completed"). */
export type Legality = { allowed: true } | { allowed: false; reason: string };

/** The parts of a job view the rules read (the tRPC JobView fits). */
export interface JobForActions {
  status: OwnerJobState["status"];
  control: OwnerJobState["control"];
  settlement: OwnerJobState["settlement"];
  holdMicros: number;
  slots: readonly {
    id: string;
    status: OwnerJobState["slots"][number]["status"];
    costMicros: number;
    replaced: boolean;
  }[];
}

/** Slots the owner may dispute: those that were charged. */
export function chargedSlotIds(job: JobForActions): string[] {
  return job.slots.filter((slot) => slot.costMicros > 0).map((slot) => slot.id);
}

function stateOf(job: JobForActions, now: number): OwnerJobState {
  return {
    status: job.status,
    control: job.control,
    settlement: job.settlement,
    slots: job.slots.map((slot) => ({
      id: slot.id,
      status: slot.status,
      chargedMicros: micros(slot.costMicros),
      replaced: slot.replaced,
    })),
    holdMicros: micros(job.holdMicros),
    slotHoldMicros: micros(0),
    // The view carries neither the settlement time nor disputes: the window and open disputes are the
    // server's to check (it answers 409 with the reason), the state rules are checked here.
    settledAt: job.settlement === "unsettled" ? null : now,
    disputes: [],
  };
}

/** Resize bounds, as core counts them: the testers the job has now, and how few/many it may ask for. */
export interface ResizeBounds {
  /** Slots that count as testers now (claimed or open, not closed, not replaced). */
  current: number;
  /** Slots already claimed: resizing below this is refused by the server (409). */
  claimed: number;
  /** The least the form accepts: 1, or the claimed count if more. */
  min: number;
  /** Core's MAX_TESTER_COUNT. */
  max: number;
}

export function resizeBounds(job: JobForActions): ResizeBounds {
  const counted = countedSlots(stateOf(job, 0).slots);
  const claimed = counted.filter((slot) => wasClaimed(slot.status)).length;
  return { current: counted.length, claimed, min: Math.max(1, claimed), max: MAX_TESTER_COUNT };
}

function check(run: () => unknown): Legality {
  try {
    run();
    return { allowed: true };
  } catch (error) {
    return { allowed: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Each owner action's legality for this job, by core's transition rules. */
export function ownerActionLegality(
  job: JobForActions,
  now: number = Date.now(),
): Record<OwnerAction, Legality> {
  const state = stateOf(job, now);
  const charged = chargedSlotIds(job);
  const bounds = resizeBounds(job);
  return {
    pause: check(() => pauseJob(state)),
    resume: check(() => resumeJob(state)),
    stop: check(() => stopJob(state)),
    settle: check(() => settleJob(state, now)),
    approve: check(() => approveJob(state)),
    dispute:
      charged.length === 0 && job.settlement === "settled"
        ? { allowed: false, reason: "nothing was charged, so there is nothing to dispute" }
        : check(() =>
            disputeJob(state, { assignmentIds: charged.length > 0 ? charged : ["-"], reason: "check" }, now),
          ),
    // Resizing to the current size checks only the state rules; credit is the server's to check (402).
    resize: check(() =>
      resizeJob(state, Math.min(Math.max(bounds.current, bounds.min), bounds.max), {
        availableCreditMicros: micros(Number.MAX_SAFE_INTEGER),
      }),
    ),
  };
}
