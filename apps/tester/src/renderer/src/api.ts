// The server's tRPC API as the renderer uses it: batched calls with the tester's token, SSE for the live feed.
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
} from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@eyeball/api";

export type Api = TRPCClient<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;
export type FeedItem = Outputs["tester"]["feed"][number];
export type Claimed = Outputs["tester"]["assignment"];
export type Profile = Outputs["tester"]["profile"]["get"];

export function trpcUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/trpc`;
}

export function createApi(serverUrl: string, token?: string): Api {
  const url = trpcUrl(serverUrl);
  const authorization = token ? `Bearer ${token}` : undefined;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // EventSource cannot send headers: the token travels as connection params.
        true: httpSubscriptionLink({ url, connectionParams: authorization ? { authorization } : {} }),
        false: httpBatchLink({ url, headers: authorization ? { authorization } : {} }),
      }),
    ],
  });
}

/** The message to show for a failed call: the server's own words, or why the server could not be reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const message = (error as TRPCClientError<AppRouter>).message;
    if (/fetch|network|Failed to fetch|NetworkError/i.test(message)) {
      return "The Eyeball server cannot be reached. Check the server address and your connection.";
    }
    return message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function isAuthError(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error as TRPCClientError<AppRouter>).data?.code === "UNAUTHORIZED"
  );
}
