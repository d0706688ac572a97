// Who is calling: an integrator's API key, an owner's session, a tester, or nobody.
export type KeyModeName = "live" | "test";

export type Actor =
  | { kind: "anonymous" }
  | { kind: "apiKey"; orgId: string; apiKeyId: string; mode: KeyModeName }
  | { kind: "user"; userId: string; orgId: string | null; isAdmin: boolean; sessionId?: string }
  | { kind: "tester"; userId: string; testerId: string; sessionId?: string };

/** The organisation an owner-side caller acts for, if any. */
export function actorOrgId(actor: Actor): string | null {
  if (actor.kind === "apiKey") return actor.orgId;
  if (actor.kind === "user") return actor.orgId;
  return null;
}
