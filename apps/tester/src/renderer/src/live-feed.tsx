// The live feed for the whole signed-in app: one subscription, mounted with the shell, so a job posted while
// the tester is on another screen (or testing) still reaches the Jobs list and raises a desktop notice.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";

import { useSignedIn } from "./api-context";
import { getBridge } from "./bridge";
import { formatUsd, screenLabel } from "./format";

export type Live = "connecting" | "live" | "offline";

const LiveContext = createContext<Live>("connecting");

export function useFeedLive(): Live {
  return useContext(LiveContext);
}

export function useFeed() {
  const { api } = useSignedIn();
  return useQuery({ queryKey: ["feed"], queryFn: () => api.tester.feed.query() });
}

export function LiveFeedProvider({ children }: { children: ReactNode }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Live>("connecting");
  const seen = useRef<Set<string> | null>(null);
  const feed = useFeed();

  // Jobs present at first load are not news; every job that appears after that gets a notice.
  useEffect(() => {
    if (!feed.data) return;
    const ids = new Set(feed.data.map((item) => item.jobId));
    if (seen.current) {
      for (const item of feed.data) {
        if (!seen.current.has(item.jobId)) {
          void getBridge().notify({
            title: "New job on Eyeball",
            body: `${item.title ?? item.url} · ${screenLabel(item.screenSize)} · pays ${formatUsd(item.payMicros)}`,
          });
        }
      }
    }
    seen.current = ids;
  }, [feed.data]);

  useEffect(() => {
    const subscription = api.tester.feedUpdates.subscribe(undefined, {
      onStarted() {
        setLive("live");
        // Whatever changed between the first load (or a lost connection) and now.
        void queryClient.invalidateQueries({ queryKey: ["feed"] });
      },
      onData(update) {
        setLive("live");
        queryClient.setQueryData(["feed"], update.data.feed);
      },
      onError() {
        setLive("offline");
      },
      onConnectionStateChange(state) {
        if (state.state === "connecting") setLive(state.error ? "offline" : "connecting");
        if (state.state === "pending") setLive("live");
      },
    });
    return () => {
      subscription.unsubscribe();
    };
  }, [api, queryClient]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
