// Live job updates over SSE (jobs.onUpdate): each event carries the job's new view, written straight into the caches.
import { type InfiniteData, type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import type { JobView } from "./api";
import { useApi } from "./session";

export type Live = "connecting" | "live" | "offline";

export interface JobsPage {
  data: JobView[];
  next: string | null;
}

/** The jobs list's cache key: one list per status filter and search (`q`, as sent to the server). */
export function jobsKey(status: string | null, q: string | null = null) {
  return ["jobs", "list", status ?? "all", q ?? ""] as const;
}

/** Whether a job belongs in a list searched for `q`, as the server's search decides (id exactly, or in title, URL, description). */
export function matchesSearch(
  job: Pick<JobView, "id" | "title" | "url" | "description">,
  q: string,
): boolean {
  const needle = q.trim().toLowerCase();
  if (needle === "") return true;
  if (job.id === q.trim()) return true;
  return [job.title ?? "", job.url, job.description].some((field) => field.toLowerCase().includes(needle));
}
export function jobKey(id: string) {
  return ["jobs", "one", id] as const;
}

/** Puts a job's new view into every cached list it belongs to (and the single-job cache). */
export function applyJobUpdate(queryClient: QueryClient, job: JobView): void {
  queryClient.setQueryData(jobKey(job.id), job);
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<JobsPage>>({
    queryKey: ["jobs", "list"],
  })) {
    if (!data) continue;
    const filter = key[2];
    const q = typeof key[3] === "string" ? key[3] : "";
    const matches = (filter === "all" || filter === job.status) && matchesSearch(job, q);
    let found = false;
    const pages = data.pages.map((page) => {
      const index = page.data.findIndex((item) => item.id === job.id);
      if (index === -1) return page;
      found = true;
      const items = [...page.data];
      if (matches) items[index] = job;
      else items.splice(index, 1);
      return { ...page, data: items };
    });
    // A job this list has not seen is new (lists are newest first): it goes on top.
    if (!found && matches && pages[0]) pages[0] = { ...pages[0], data: [job, ...pages[0].data] };
    queryClient.setQueryData(key, { ...data, pages });
  }
}

/** Subscribes to one job's events (`id`) or to every job of the organisation, keeping the caches current. */
export function useLiveJobs(id?: string): Live {
  const api = useApi();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Live>("connecting");

  useEffect(() => {
    const subscription = api.jobs.onUpdate.subscribe(id === undefined ? {} : { id }, {
      onStarted() {
        setLive("live");
        // Whatever changed before the stream opened (or while it was down).
        void queryClient.invalidateQueries({ queryKey: id === undefined ? ["jobs", "list"] : jobKey(id) });
      },
      onData(update) {
        setLive("live");
        applyJobUpdate(queryClient, update.data.job);
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
  }, [api, queryClient, id]);

  return live;
}
