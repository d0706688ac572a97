// The server's tRPC API as the portal uses it: same origin, the session cookie rides along; SSE for live jobs.
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
export type JobView = Outputs["jobs"]["get"];
export type JobSlot = JobView["slots"][number];
export type ApiKeyView = Outputs["apiKeys"]["list"][number];
export type ProjectView = Outputs["projects"]["list"]["data"][number];

export function createApi(origin: string = window.location.origin): Api {
  const url = `${origin}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        // Same origin: fetch sends the httpOnly session cookie by default ("same-origin" credentials).
        false: httpBatchLink({
          url,
          fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
        }),
      }),
    ],
  });
}

/** The message to show for a failed call: the server's own words, or why the server could not be reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const message = (error as TRPCClientError<AppRouter>).message;
    if (/fetch|network|NetworkError/i.test(message)) {
      return "The Eyeball server cannot be reached. Check your connection and try again.";
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
