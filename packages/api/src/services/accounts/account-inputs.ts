// Inputs and messages of the portal accounts: sign-up, sign-in, invitations, members.
import { z } from "zod";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../tester-auth/password";

/** Membership roles as the database stores them (enum MembershipRole). */
export const MEMBERSHIP_ROLES = ["owner", "admin", "member"] as const;
export type MembershipRoleName = (typeof MEMBERSHIP_ROLES)[number];
/** Roles an owner may invite with (the portal offers owner and member). */
export const INVITABLE_ROLES = ["owner", "member"] as const satisfies readonly MembershipRoleName[];

export const ACCOUNT_MESSAGES = {
  signInFailed: "The email or password is wrong",
  testerOnly:
    "This is a tester account: sign in with the Eyeball tester app (the portal is for organisation owners and their teams)",
  emailTaken: "An account with this email already exists",
  sessionUnknown: "Unknown session: sign in again",
  sessionExpired: "Your session has expired: sign in again",
  sessionRevoked: "This session has been signed out: sign in again",
  needsSession: "Sign in to the portal first",
  notMember: "You are not a member of this organisation",
  ownersOnly: "Only owners of the organisation can do this",
  lastOwner: "An organisation needs at least one owner: make someone else an owner first",
  notAMember: "No such member in this organisation",
  alreadyMember: "This person is already a member of the organisation",
  invitationUnknown: "This invitation link is not valid",
  invitationAccepted: "This invitation has already been accepted",
  invitationRevoked: "This invitation has been withdrawn: ask the organisation's owner for a new one",
  invitationExpired: "This invitation has expired: ask the organisation's owner for a new one",
  invitationOtherEmail:
    "This invitation is for another email address: sign out, then open the invitation link again",
} as const;

const requiredString = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") }).trim();

export const emailSchema = requiredString()
  .min(1, { error: "is required" })
  .max(320, { error: "must be at most 320 characters" })
  .toLowerCase()
  .pipe(z.email({ error: "must be an email address" }));

export const newPasswordSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

const nameSchema = requiredString()
  .min(1, { error: "must not be empty" })
  .max(200, { error: "must be at most 200 characters" });

export const signUpInputSchema = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: nameSchema,
  organizationName: nameSchema,
});
export type SignUpInput = z.input<typeof signUpInputSchema>;

export const signInInputSchema = z.strictObject({
  email: requiredString().min(1, { error: "is required" }).max(320),
  password: z.string({ error: "is required" }).min(1, { error: "is required" }).max(1000),
});

export const switchOrganizationInputSchema = z.strictObject({
  organizationId: requiredString().min(1, { error: "is required" }),
});

export const createInvitationInputSchema = z.strictObject({
  email: emailSchema,
  role: z.enum(INVITABLE_ROLES, { error: `must be one of ${INVITABLE_ROLES.join(", ")}` }).default("member"),
});
export type CreateInvitationInput = z.input<typeof createInvitationInputSchema>;

export const invitationTokenSchema = requiredString()
  .min(1, { error: "is required" })
  .max(200, { error: "must be at most 200 characters" });

export const acceptInvitationInputSchema = z.strictObject({
  token: invitationTokenSchema,
  name: nameSchema.optional(),
  // Checked against the account's stored hash, or against the length rule for a new account.
  password: z.string({ error: "must be a string" }).max(1000).optional(),
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationInputSchema>;
