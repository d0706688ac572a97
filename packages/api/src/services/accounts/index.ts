// Public surface of the portal accounts service (sign-up, sign-in, sessions, invitations, members).
export * from "./accounts-service";
export * from "./account-inputs";
export {
  ACCOUNT_SESSION_TTL_MS,
  ACCOUNT_TOKEN_PREFIX,
  currentOrgOf,
  type NewSession,
  type UserSessionActor,
} from "./account-sessions";
export * from "./account-view";
export {
  INVITATION_TOKEN_PREFIX,
  INVITATION_TTL_MS,
  invitationAcceptUrl,
  type AcceptedInvitation,
  type CreatedInvitation,
  type InvitationAcceptor,
  type InvitationPreview,
  type PendingInvitationView,
} from "./invitations";
export { type MemberView } from "./members";
export { type OrgCaller } from "./org-roles";
