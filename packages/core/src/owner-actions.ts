// Owner actions on a job (Instahuman): preconditions, next state and effects, all pure data.
import { type AssignmentStatus, isActiveAssignmentStatus, wasClaimed } from "./assignment-lifecycle";
import { assertCreditCovers, settleHold, testerEarnings, DEFAULT_TESTER_SHARE_BPS } from "./cost";
import { type DisputeView } from "./dispute";
import { DomainError, validationError } from "./errors";
import { type JobControl, type SettlementState, jobControlMachine, settlementMachine } from "./job-control";
import { type JobStatus, deriveJobStatus, isTerminalJobStatus } from "./job-lifecycle";
import {
  type Micros,
  ZERO_MICROS,
  addMicros,
  minMicros,
  multiplyMicros,
  subtractMicros,
  sumMicros,
} from "./money";
import { invalidTransition } from "./state-machine";

/** Most testers one job may ask for (Instahuman resize, `testerCount`). */
export const MAX_TESTER_COUNT = 50;
/** How long after settlement an owner may dispute charges. */
export const DEFAULT_DISPUTE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_DISPUTE_REASON_LENGTH = 2000;

export interface OwnerSlotView {
  readonly id: string;
  readonly status: AssignmentStatus;
  /** What the slot was charged once it ended (zero until then, and for unbilled endings). */
  readonly chargedMicros: Micros;
  /** A replacement slot was opened for this abandoned one, so it no longer counts as a tester. */
  readonly replaced?: boolean;
}

/** Everything an owner action needs to know about a job, as loaded inside the service's transaction. */
export interface OwnerJobState {
  readonly status: JobStatus;
  readonly control: JobControl;
  readonly settlement: SettlementState;
  readonly slots: readonly OwnerSlotView[];
  /** What is currently held on the owner's credits for this job. */
  readonly holdMicros: Micros;
  /** The hold one unclaimed slot carries (see `slotHoldMicros`). */
  readonly slotHoldMicros: Micros;
  readonly settledAt: number | null;
  readonly disputes: readonly DisputeView[];
}

/**
 * Effects are data for the service to run after its transaction commits (STYLE.md convention 5).
 * Amounts are always positive; the effect type says the direction.
 */
export type OwnerEffect =
  /** Close every slot still `open` (slot event `close`). */
  | { readonly type: "close_open_slots" }
  /** Close exactly these open slots (resize down). */
  | { readonly type: "close_slots"; readonly assignmentIds: readonly string[] }
  /** Create this many new `open` slots (resize up). */
  | { readonly type: "open_slots"; readonly count: number }
  | { readonly type: "raise_hold"; readonly micros: Micros }
  | { readonly type: "release_hold"; readonly micros: Micros }
  /** Take the final charge out of the hold. */
  | { readonly type: "capture_charge"; readonly micros: Micros }
  /** Charge the hold did not cover, debited from available credit (only if a hold raise was skipped). */
  | { readonly type: "debit_credit"; readonly micros: Micros }
  | {
      readonly type: "open_dispute";
      readonly assignmentIds: readonly string[];
      readonly reason: string;
      readonly micros: Micros;
    }
  | {
      readonly type: "release_tester_earnings";
      readonly payouts: readonly { readonly assignmentId: string; readonly micros: Micros }[];
      readonly platformMicros: Micros;
    };

export type OwnerEffectType = OwnerEffect["type"];

/** The fields of the job an action changes. Slots change only through effects. */
export interface OwnerJobPatch {
  readonly status: JobStatus;
  readonly control: JobControl;
  readonly settlement: SettlementState;
  readonly holdMicros: Micros;
  readonly settledAt: number | null;
  /** Slots that count as testers after the action (claimed or open, not closed, not replaced). */
  readonly testerCount: number;
}

export interface OwnerActionResult {
  readonly next: OwnerJobPatch;
  readonly effects: readonly OwnerEffect[];
}

/** Slots that count toward the job's tester count. */
export function countedSlots(slots: readonly OwnerSlotView[]): OwnerSlotView[] {
  return slots.filter((slot) => slot.status !== "closed" && slot.replaced !== true);
}

/** Apply slot effects to a slot list, to derive what the job's status will be once they run. */
export function applySlotEffects(
  slots: readonly OwnerSlotView[],
  effects: readonly OwnerEffect[],
): OwnerSlotView[] {
  let result = [...slots];
  for (const effect of effects) {
    if (effect.type === "close_open_slots") {
      result = result.map((slot) => (slot.status === "open" ? { ...slot, status: "closed" } : slot));
    } else if (effect.type === "close_slots") {
      const ids = new Set(effect.assignmentIds);
      result = result.map((slot) =>
        ids.has(slot.id) && slot.status === "open" ? { ...slot, status: "closed" } : slot,
      );
    } else if (effect.type === "open_slots") {
      for (let i = 0; i < effect.count; i++) {
        result.push({ id: `(new ${String(i + 1)})`, status: "open", chargedMicros: ZERO_MICROS });
      }
    }
  }
  return result;
}

function result(
  state: OwnerJobState,
  effects: OwnerEffect[],
  changes: Partial<Omit<OwnerJobPatch, "status" | "testerCount">>,
): OwnerActionResult {
  const slots = applySlotEffects(state.slots, effects);
  return {
    next: {
      status: deriveJobStatus(state, slots),
      control: changes.control ?? state.control,
      settlement: changes.settlement ?? state.settlement,
      holdMicros: changes.holdMicros ?? state.holdMicros,
      settledAt: changes.settledAt === undefined ? state.settledAt : changes.settledAt,
      testerCount: countedSlots(slots).length,
    },
    effects,
  };
}

/** Pause, resume, stop and resize act only on a live job: unsettled and not terminal. */
function assertLive(state: OwnerJobState, action: string): void {
  if (state.settlement !== "unsettled") throw invalidTransition("a job", action, state.settlement);
  if (isTerminalJobStatus(state.status)) throw invalidTransition("a job", action, state.status);
}

function openSlots(state: OwnerJobState): OwnerSlotView[] {
  return state.slots.filter((slot) => slot.status === "open");
}

/** Releasing the hold share of `count` closed open slots, never more than is held. */
function releaseForClosedSlots(state: OwnerJobState, count: number): Micros {
  return minMicros(multiplyMicros(state.slotHoldMicros, count), state.holdMicros);
}

/** Pause: no new claims; working testers continue. Only an active, live job. */
export function pauseJob(state: OwnerJobState): OwnerActionResult {
  assertLive(state, "pause");
  return result(state, [], { control: jobControlMachine.transition(state.control, "pause") });
}

/** Resume a paused job: claims are accepted again. */
export function resumeJob(state: OwnerJobState): OwnerActionResult {
  assertLive(state, "resume");
  return result(state, [], { control: jobControlMachine.transition(state.control, "resume") });
}

/** Stop: open slots close (their hold share is released); working testers finish. Final. */
export function stopJob(state: OwnerJobState): OwnerActionResult {
  assertLive(state, "stop");
  const control = jobControlMachine.transition(state.control, "stop");
  const open = openSlots(state).length;
  const effects: OwnerEffect[] = [];
  let holdMicros = state.holdMicros;
  if (open > 0) {
    const release = releaseForClosedSlots(state, open);
    effects.push({ type: "close_open_slots" });
    if (release > 0) effects.push({ type: "release_hold", micros: release });
    holdMicros = subtractMicros(holdMicros, release);
  }
  return result(state, effects, { control, holdMicros });
}

/**
 * TesterArmy cancel: only before any tester claimed (job pending or waiting, no slot ever claimed).
 * Every open slot closes and the whole hold is released; the derived status becomes `cancelled`.
 */
export function cancelJob(state: OwnerJobState): OwnerActionResult {
  if (state.settlement !== "unsettled") throw invalidTransition("a job", "cancel", state.settlement);
  if (state.status !== "pending" && state.status !== "waiting")
    throw invalidTransition("a job", "cancel", state.status);
  if (state.slots.some((slot) => wasClaimed(slot.status)))
    throw invalidTransition("a job", "cancel", "already claimed");
  const effects: OwnerEffect[] = [{ type: "close_open_slots" }];
  if (state.holdMicros > 0) effects.push({ type: "release_hold", micros: state.holdMicros });
  return result(state, effects, { control: "stopped", holdMicros: ZERO_MICROS });
}

/**
 * Settle: close the job and compute the final charge (sum of slot charges). Refused while any
 * tester is working or being extracted, since their charge is not known yet. Open slots close;
 * the hold splits into capture + release.
 */
export function settleJob(state: OwnerJobState, now: number): OwnerActionResult {
  const settlement = settlementMachine.transition(state.settlement, "settle");
  const active = state.slots.find((slot) => isActiveAssignmentStatus(slot.status));
  if (active)
    throw invalidTransition(
      "a job",
      "settle",
      active.status === "working" ? "being worked on" : "being extracted",
    );
  const effects: OwnerEffect[] = [];
  if (openSlots(state).length > 0) effects.push({ type: "close_open_slots" });
  const charged = sumMicros(state.slots.map((slot) => slot.chargedMicros));
  const { capture, release, shortfall } = settleHold(state.holdMicros, charged);
  if (capture > 0) effects.push({ type: "capture_charge", micros: capture });
  if (release > 0) effects.push({ type: "release_hold", micros: release });
  if (shortfall > 0) effects.push({ type: "debit_credit", micros: shortfall });
  return result(state, effects, { settlement, control: "stopped", holdMicros: ZERO_MICROS, settledAt: now });
}

function disputedAssignmentIds(
  disputes: readonly DisputeView[],
  statuses: readonly DisputeView["status"][],
): Set<string> {
  return new Set(disputes.filter((d) => statuses.includes(d.status)).flatMap((d) => d.assignmentIds));
}

export interface ApproveOptions {
  /** The share for every assignment without its own entry in `shareBpsByAssignment`. */
  readonly testerShareBps?: number;
  /** Per-assignment shares (resolveTesterShareBps: tester, else organisation, else default). */
  readonly shareBpsByAssignment?: ReadonlyMap<string, number>;
}

/**
 * Approve a settlement: final, and tester earnings are released. Refused while a dispute is open;
 * assignments whose dispute was refunded earn nothing.
 */
export function approveJob(state: OwnerJobState, options: ApproveOptions = {}): OwnerActionResult {
  const settlement = settlementMachine.transition(state.settlement, "approve");
  if (state.disputes.some((dispute) => dispute.status === "open"))
    throw invalidTransition("a job", "approve", "under dispute");
  const refunded = disputedAssignmentIds(state.disputes, ["refunded"]);
  const payouts: { assignmentId: string; micros: Micros }[] = [];
  let platformMicros = ZERO_MICROS;
  for (const slot of state.slots) {
    if (slot.chargedMicros <= 0 || refunded.has(slot.id)) continue;
    const shareBps =
      options.shareBpsByAssignment?.get(slot.id) ?? options.testerShareBps ?? DEFAULT_TESTER_SHARE_BPS;
    const split = testerEarnings(slot.chargedMicros, shareBps);
    payouts.push({ assignmentId: slot.id, micros: split.tester });
    platformMicros = addMicros(platformMicros, split.platform);
  }
  const effects: OwnerEffect[] = [{ type: "release_tester_earnings", payouts, platformMicros }];
  return result(state, effects, { settlement });
}

export interface DisputeRequest {
  readonly assignmentIds: readonly string[];
  readonly reason: string;
}

export interface DisputeOptions {
  readonly windowMs?: number;
}

export interface DisputeOpened extends OwnerActionResult {
  readonly dispute: {
    readonly status: "open";
    readonly assignmentIds: readonly string[];
    readonly reason: string;
    readonly micros: Micros;
    readonly openedAt: number;
  };
}

/**
 * Dispute charged assignments of a settled (not yet approved) job, within the window after
 * settlement, with a non-empty reason. Each assignment can be disputed once.
 */
export function disputeJob(
  state: OwnerJobState,
  request: DisputeRequest,
  now: number,
  options: DisputeOptions = {},
): DisputeOpened {
  if (state.settlement !== "settled") throw invalidTransition("a job", "dispute", state.settlement);
  if (state.settledAt === null) throw new DomainError("INTERNAL", "a settled job has a settlement time");
  const windowMs = options.windowMs ?? DEFAULT_DISPUTE_WINDOW_MS;
  if (now > state.settledAt + windowMs)
    throw invalidTransition("a job", "dispute", "past its dispute window");

  const reason = request.reason.trim();
  if (reason.length === 0) throw validationError("reason", "must not be empty");
  if (reason.length > MAX_DISPUTE_REASON_LENGTH) {
    throw validationError("reason", `must be at most ${MAX_DISPUTE_REASON_LENGTH} characters`);
  }
  if (request.assignmentIds.length === 0)
    throw validationError("assignmentIds", "choose at least one assignment");
  if (new Set(request.assignmentIds).size !== request.assignmentIds.length) {
    throw validationError("assignmentIds", "must not repeat an assignment");
  }

  const alreadyDisputed = disputedAssignmentIds(state.disputes, ["open", "upheld", "refunded"]);
  const amounts: Micros[] = [];
  for (const id of request.assignmentIds) {
    const slot = state.slots.find((candidate) => candidate.id === id);
    if (!slot)
      throw new DomainError("NOT_FOUND", `assignment ${id} not found on this job`, {
        details: { assignmentId: id },
      });
    if (slot.chargedMicros <= 0)
      throw validationError("assignmentIds", `${id} was not charged`, { assignmentId: id });
    if (alreadyDisputed.has(id)) {
      throw new DomainError("CONFLICT", `assignment ${id} is already disputed`, {
        details: { assignmentId: id },
      });
    }
    amounts.push(slot.chargedMicros);
  }
  const total = sumMicros(amounts);
  const assignmentIds = [...request.assignmentIds];
  return {
    ...result(state, [{ type: "open_dispute", assignmentIds, reason, micros: total }], {}),
    dispute: { status: "open", assignmentIds, reason, micros: total, openedAt: now },
  };
}

export interface ResizeOptions {
  /** Owner credit available for a larger hold; resizing up beyond it is INSUFFICIENT_CREDIT (402). */
  readonly availableCreditMicros: Micros;
}

/**
 * Resize to `testerCount` slots. Below the number already claimed is INVALID_TRANSITION (409);
 * above opens slots and raises the hold first; below closes open slots (the latest first) and
 * releases their hold share. Not after settlement, stop, or a terminal status.
 */
export function resizeJob(
  state: OwnerJobState,
  testerCount: number,
  options: ResizeOptions,
): OwnerActionResult {
  if (!Number.isSafeInteger(testerCount) || testerCount < 1 || testerCount > MAX_TESTER_COUNT) {
    throw validationError("testerCount", `must be an integer between 1 and ${MAX_TESTER_COUNT}`);
  }
  assertLive(state, "resize");
  if (state.control === "stopped") throw invalidTransition("a job", "resize", "stopped");

  const counted = countedSlots(state.slots);
  const claimed = counted.filter((slot) => wasClaimed(slot.status)).length;
  if (testerCount < claimed) {
    throw new DomainError(
      "INVALID_TRANSITION",
      `cannot resize a job to ${testerCount} testers: ${claimed} slots are already claimed`,
      { details: { testerCount, claimed } },
    );
  }
  const delta = testerCount - counted.length;
  if (delta === 0) return result(state, [], {});
  if (delta > 0) {
    const raise = multiplyMicros(state.slotHoldMicros, delta);
    assertCreditCovers(options.availableCreditMicros, raise);
    const effects: OwnerEffect[] = [{ type: "open_slots", count: delta }];
    if (raise > 0) effects.push({ type: "raise_hold", micros: raise });
    return result(state, effects, { holdMicros: addMicros(state.holdMicros, raise) });
  }
  // Close the most recently added open slots first: the oldest have waited longest for a tester.
  const toClose = counted
    .filter((slot) => slot.status === "open")
    .slice(delta)
    .map((slot) => slot.id);
  const release = releaseForClosedSlots(state, toClose.length);
  const effects: OwnerEffect[] = [{ type: "close_slots", assignmentIds: toClose }];
  if (release > 0) effects.push({ type: "release_hold", micros: release });
  return result(state, effects, { holdMicros: subtractMicros(state.holdMicros, release) });
}

/** Whether a tester may claim a slot of this job now. */
export function canClaimSlot(
  state: Pick<OwnerJobState, "status" | "control" | "settlement" | "slots">,
): boolean {
  return (
    state.control === "active" &&
    state.settlement === "unsettled" &&
    !isTerminalJobStatus(state.status) &&
    state.status !== "pending" &&
    state.slots.some((slot) => slot.status === "open")
  );
}

/** Throwing form of canClaimSlot, naming why (409). */
export function assertCanClaimSlot(
  state: Pick<OwnerJobState, "status" | "control" | "settlement" | "slots">,
): void {
  if (canClaimSlot(state)) return;
  if (state.control !== "active") throw invalidTransition("a job", "claim", state.control);
  if (state.settlement !== "unsettled") throw invalidTransition("a job", "claim", state.settlement);
  if (isTerminalJobStatus(state.status) || state.status === "pending")
    throw invalidTransition("a job", "claim", state.status);
  throw invalidTransition("a job", "claim", "fully claimed");
}
