// webhooks.*: the organisation's webhook endpoints, signing secret and recent deliveries.
// Reads and redelivery are open to API keys too (a CI job may check or replay a delivery); changing
// where webhooks go and handling the signing secret are account settings for signed-in owners only.
import { DomainError } from "@eyeball/core";

import { type ContextServices } from "../context";
import {
  createEndpointInputSchema,
  endpointIdInputSchema,
  listDeliveriesInputSchema,
  updateEndpointInputSchema,
  type WebhooksService,
} from "../services/webhooks/webhooks-service";
import { ownerProcedure, router, sessionOwnerProcedure } from "../trpc";

/** The webhooks service, or INTERNAL when this host did not compose it. */
function webhooksOf(services: ContextServices): WebhooksService {
  if (!services.webhooks)
    throw new DomainError("INTERNAL", "the webhooks service is not composed in this host");
  return services.webhooks;
}

export const webhooksRouter = router({
  endpoints: ownerProcedure.query(({ ctx }) => webhooksOf(ctx.services).listEndpoints(ctx.orgId)),

  create: sessionOwnerProcedure
    .input(createEndpointInputSchema)
    .mutation(({ ctx, input }) => webhooksOf(ctx.services).createEndpoint(ctx.orgId, input)),

  update: sessionOwnerProcedure
    .input(updateEndpointInputSchema)
    .mutation(({ ctx, input }) => webhooksOf(ctx.services).updateEndpoint(ctx.orgId, input)),

  delete: sessionOwnerProcedure.input(endpointIdInputSchema).mutation(async ({ ctx, input }) => {
    await webhooksOf(ctx.services).deleteEndpoint(ctx.orgId, input.id);
    return { id: input.id, deleted: true as const };
  }),

  // A mutation, not a query: never cached, never prefetched, and behind the CSRF guard.
  revealSecret: sessionOwnerProcedure.mutation(({ ctx }) => webhooksOf(ctx.services).revealSecret(ctx.orgId)),

  rotateSecret: sessionOwnerProcedure.mutation(({ ctx }) => webhooksOf(ctx.services).rotateSecret(ctx.orgId)),

  deliveries: ownerProcedure
    .input(listDeliveriesInputSchema.optional())
    .query(({ ctx, input }) => webhooksOf(ctx.services).listDeliveries(ctx.orgId, input ?? {})),

  delivery: ownerProcedure
    .input(endpointIdInputSchema)
    .query(({ ctx, input }) => webhooksOf(ctx.services).getDelivery(ctx.orgId, input.id)),

  redeliver: ownerProcedure
    .input(endpointIdInputSchema)
    .mutation(({ ctx, input }) => webhooksOf(ctx.services).redeliver(ctx.orgId, input.id)),
});
