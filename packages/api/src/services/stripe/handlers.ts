// Several features' webhook handler maps as one: card payments, Connect payouts… each brings its own.
import { type StripeEventHandler, type StripeEventHandlers } from "./webhook-receiver";

/**
 * Merges handler maps for the receiver. Two maps may handle the same event type: both run, in the
 * order given, so one feature's handler never silently replaces another's.
 */
export function combineStripeHandlers(...maps: readonly StripeEventHandlers[]): StripeEventHandlers {
  const byType = new Map<string, StripeEventHandler[]>();
  for (const map of maps) {
    for (const [type, handler] of Object.entries(map)) {
      if (handler) byType.set(type, [...(byType.get(type) ?? []), handler]);
    }
  }
  const combined: Record<string, StripeEventHandler> = {};
  for (const [type, handlers] of byType) {
    combined[type] =
      handlers.length === 1 && handlers[0]
        ? handlers[0]
        : async (event) => {
            for (const handler of handlers) await handler(event);
          };
  }
  return combined;
}
