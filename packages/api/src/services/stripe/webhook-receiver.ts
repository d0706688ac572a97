// Incoming Stripe webhooks: the signature verified with the signing secret, each event handled once by its id.
import type Stripe from "stripe";

import { DomainError } from "@eyeball/core";
import { isUniqueViolation } from "@eyeball/db";

import { type Clock } from "../../clock";
import { type Db } from "../types";

/**
 * One handler per event type. Handlers must be idempotent on their own business key too (a
 * PaymentIntent id, a transfer id) and safe out of order: two deliveries of one event may race, and
 * Stripe does not promise order, so a handler re-reads or compares state rather than trusting that
 * an earlier event was seen.
 */
export type StripeEventHandler = (event: Stripe.Event) => Promise<void>;
export type StripeEventHandlers = Partial<Record<Stripe.Event.Type, StripeEventHandler>>;

export interface StripeWebhookOutcome {
  eventId: string;
  type: string;
  /** Already processed: answered 200 and nothing ran. */
  duplicate: boolean;
  /** No handler for this type: acknowledged so Stripe stops retrying. */
  ignored: boolean;
}

export interface StripeWebhookReceiver {
  /**
   * Verifies `signature` (the Stripe-Signature header) over the exact raw body, then runs the
   * handler once per event id. Throws DomainError VALIDATION (400) on a missing or bad signature or
   * a timestamp outside the tolerance (a replay of an old delivery); a handler's error propagates
   * (500) and the event stays unrecorded so Stripe's retry runs it again.
   */
  receive(rawBody: Buffer | string, signature: string | undefined): Promise<StripeWebhookOutcome>;
}

export interface StripeWebhookReceiverDeps {
  db: Db;
  clock: Clock;
  stripe: Stripe;
  webhookSecret: string;
  handlers: StripeEventHandlers;
  /** Seconds a signature stays valid (Stripe's default 300). */
  toleranceSeconds?: number;
}

export function createStripeWebhookReceiver(deps: StripeWebhookReceiverDeps): StripeWebhookReceiver {
  const tolerance = deps.toleranceSeconds ?? 300;
  return {
    async receive(rawBody, signature) {
      if (signature === undefined || signature.length === 0) {
        throw new DomainError("VALIDATION", "Stripe-Signature: header missing");
      }
      let event: Stripe.Event;
      try {
        event = deps.stripe.webhooks.constructEvent(
          rawBody,
          signature,
          deps.webhookSecret,
          tolerance,
          undefined,
          // stripe v23 takes receivedAt in milliseconds (it divides by 1000 itself).
          deps.clock.now().getTime(),
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DomainError("VALIDATION", `Stripe-Signature: ${reason}`);
      }
      const outcome = { eventId: event.id, type: event.type, duplicate: false, ignored: false };
      if (await deps.db.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } })) {
        return { ...outcome, duplicate: true };
      }
      const handler = deps.handlers[event.type];
      if (handler) await handler(event);
      try {
        await deps.db.stripeEvent.create({
          data: { id: event.id, type: event.type, payload: JSON.parse(JSON.stringify(event)) as object },
        });
      } catch (error) {
        // A concurrent delivery of the same event recorded it first; the handlers are idempotent.
        if (!isUniqueViolation(error)) throw error;
        return { ...outcome, duplicate: true };
      }
      return { ...outcome, ignored: handler === undefined };
    },
  };
}
