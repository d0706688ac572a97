// The API client and the signed-in account, handed down the tree.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext } from "react";

import type { Api } from "./api";
import { type AccountView, authOf } from "./auth-api";

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiContext");
  return api;
}

export const ME_KEY = ["auth", "me"] as const;

/** The signed-in account (null when signed out). */
export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: ME_KEY, queryFn: () => authOf(api).me.query(undefined), staleTime: 60_000 });
}

/** The account of a signed-in screen (the shell renders those only once `me` is known). */
export function useAccount(): AccountView {
  const me = useMe();
  if (!me.data) throw new Error("useAccount outside a signed-in screen");
  return me.data;
}

/** After sign-in, sign-up, invitation or switch: the new account, and nothing cached from the old one. */
export function useSetAccount() {
  const queryClient = useQueryClient();
  return (account: AccountView | null) => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, account);
  };
}

export function useSignOut() {
  const api = useApi();
  const setAccount = useSetAccount();
  return useMutation({
    mutationFn: () => authOf(api).signOut.mutate(undefined),
    onSettled() {
      setAccount(null);
    },
  });
}

export function useSwitchOrganization() {
  const api = useApi();
  const setAccount = useSetAccount();
  return useMutation({
    mutationFn: (organizationId: string) => authOf(api).switchOrganization.mutate({ organizationId }),
    onSuccess: setAccount,
  });
}
