// The owner-account part of the API (auth.*): the shapes the portal reads, taken from the router's own types.
import type { Api, Outputs } from "./api";

type Auth = Outputs["auth"];

export type AccountView = NonNullable<Auth["me"]>;
export type MemberRole = AccountView["organizations"][number]["role"];
export type InvitationView = Auth["invitations"]["list"][number];
export type InvitationInspection = Auth["invitations"]["inspect"];
export type MemberView = Auth["members"]["list"][number];

/** The auth router of the client (one place to change should it move). */
export function authOf(api: Api): Api["auth"] {
  return api.auth;
}
