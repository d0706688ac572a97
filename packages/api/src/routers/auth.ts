// auth.*: the portal's accounts — sign-up, sign-in and out (session cookie), the account, organisations, invitations, team.
import { z } from "zod";

import {
  acceptInvitationInputSchema,
  type AccountView,
  createInvitationInputSchema,
  invitationAcceptUrl,
  invitationTokenSchema,
  signInInputSchema,
  signUpInputSchema,
  switchOrganizationInputSchema,
} from "../services/accounts";
import { publicProcedure, router, sessionOwnerProcedure, userProcedure } from "../trpc";
import { requiredId } from "./inputs";

const invitationsRouter = router({
  /** Owners only. `acceptUrl` carries the secret token and is returned only here. */
  create: sessionOwnerProcedure.input(createInvitationInputSchema).mutation(async ({ ctx, input }) => {
    const { token, ...invitation } = await ctx.services.accounts.createInvitation(
      { userId: ctx.actor.userId, orgId: ctx.orgId, isAdmin: ctx.actor.isAdmin },
      input,
    );
    return { ...invitation, acceptUrl: invitationAcceptUrl(ctx.services.config.publicUrl, token) };
  }),

  /** Open invitations of the current organisation (not accepted, withdrawn or expired). */
  list: sessionOwnerProcedure.query(({ ctx }) => ctx.services.accounts.listInvitations(ctx.orgId)),

  /** Owners only. */
  revoke: sessionOwnerProcedure
    .input(z.strictObject({ id: requiredId }))
    .mutation(({ ctx, input }) =>
      ctx.services.accounts.revokeInvitation(
        { userId: ctx.actor.userId, orgId: ctx.orgId, isAdmin: ctx.actor.isAdmin },
        input.id,
      ),
    ),

  /** What the invitation page shows; NOT_FOUND for unknown, accepted or withdrawn links. */
  inspect: publicProcedure
    .input(z.strictObject({ token: invitationTokenSchema }))
    .query(({ ctx, input }) => ctx.services.accounts.inspectInvitation(input.token)),
});

const membersRouter = router({
  list: sessionOwnerProcedure.query(({ ctx }) => ctx.services.accounts.listMembers(ctx.orgId)),

  /** Owners only; never the last owner (CONFLICT). */
  remove: sessionOwnerProcedure
    .input(z.strictObject({ userId: requiredId }))
    .mutation(({ ctx, input }) =>
      ctx.services.accounts.removeMember(
        { userId: ctx.actor.userId, orgId: ctx.orgId, isAdmin: ctx.actor.isAdmin },
        input.userId,
      ),
    ),
});

export const authRouter = router({
  /** A new account with its organisation; signs in (sets the session cookie). */
  signUp: publicProcedure.input(signUpInputSchema).mutation(async ({ ctx, input }): Promise<AccountView> => {
    const signedIn = await ctx.services.accounts.signUp(input);
    ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
    return signedIn.account;
  }),

  /** Email + password → the session cookie and the account. Testers use the tester app instead. */
  signIn: publicProcedure.input(signInInputSchema).mutation(async ({ ctx, input }): Promise<AccountView> => {
    const signedIn = await ctx.services.accounts.signIn(input.email, input.password);
    ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
    return signedIn.account;
  }),

  /** Revokes the session this call was made with and clears the cookie; harmless when signed out. */
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.actor.kind === "user" && ctx.actor.sessionId !== undefined)
      await ctx.services.accounts.revokeSession(ctx.actor.sessionId);
    ctx.sessionCookie.clear();
    return { signedOut: true as const };
  }),

  /** The signed-in account, or null. */
  me: publicProcedure.query(({ ctx }): Promise<AccountView | null> | null =>
    ctx.actor.kind === "user" ? ctx.services.accounts.me(ctx.actor) : null,
  ),

  /** Makes another organisation current for this session (members; admins anywhere). */
  switchOrganization: userProcedure
    .input(switchOrganizationInputSchema)
    .mutation(({ ctx, input }) => ctx.services.accounts.switchOrganization(ctx.actor, input.organizationId)),

  invitations: invitationsRouter,

  /**
   * Joins the invited organisation as the signed-in user, the existing account (with `password`)
   * or a new account (`name` and `password`); the invited organisation becomes current.
   */
  acceptInvitation: publicProcedure
    .input(acceptInvitationInputSchema)
    .mutation(async ({ ctx, input }): Promise<AccountView> => {
      const { actor } = ctx;
      const acceptor =
        actor.kind === "user"
          ? { userId: actor.userId, ...(actor.sessionId === undefined ? {} : { sessionId: actor.sessionId }) }
          : null;
      const accepted = await ctx.services.accounts.acceptInvitation(input, acceptor);
      if (accepted.session) ctx.sessionCookie.set(accepted.session.token, accepted.session.expiresAt);
      return accepted.account;
    }),

  members: membersRouter,
});
