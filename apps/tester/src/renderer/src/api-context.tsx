// The signed-in API client and session, handed down the tree.
import { createContext, useContext } from "react";

import type { StoredSession } from "../../shared/bridge";
import type { Api } from "./api";

export interface SignedIn {
  api: Api;
  session: StoredSession;
  signOut: () => Promise<void>;
}

export const SignedInContext = createContext<SignedIn | null>(null);

export function useSignedIn(): SignedIn {
  const value = useContext(SignedInContext);
  if (!value) throw new Error("useSignedIn outside a signed-in screen");
  return value;
}
