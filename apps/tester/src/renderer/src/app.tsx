// The app shell: sign-in, then the tester's screens (jobs, the current test, history, earnings, profile) behind one navigation bar.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import type { StoredSession } from "../../shared/bridge";
import { createApi } from "./api";
import { SignedInContext, type SignedIn, useSignedIn } from "./api-context";
import { getBridge } from "./bridge";
import { UploadIndicator } from "./components/upload-indicator";
import { LiveFeedProvider } from "./live-feed";
import { EarningsScreen } from "./screens/earnings";
import { FeedScreen } from "./screens/feed";
import { HistoryScreen } from "./screens/history";
import { ProfileScreen } from "./screens/profile";
import { SignInScreen } from "./screens/sign-in";
import { WorkScreen } from "./screens/work";

type Tab = "jobs" | "work" | "history" | "earnings" | "profile";
const CURRENT_KEY = "eyeball.currentAssignment";

const TABS: { id: Tab; label: string }[] = [
  { id: "jobs", label: "Jobs" },
  { id: "work", label: "Current test" },
  { id: "history", label: "History" },
  { id: "earnings", label: "Earnings" },
  { id: "profile", label: "Profile" },
];

export function App() {
  const bridge = getBridge();
  const [session, setSession] = useState<StoredSession | null | undefined>(undefined);
  const queryClient = useQueryClient();

  useEffect(() => {
    void bridge.loadSession().then(setSession, () => {
      setSession(null);
    });
  }, [bridge]);

  const signOut = useCallback(async () => {
    if (session) {
      // Revoke on the server when it can be reached; signing out locally never waits on it.
      await createApi(session.serverUrl, session.token)
        .tester.signOut.mutate()
        .catch(() => undefined);
    }
    await bridge.clearSession();
    queryClient.clear();
    setSession(null);
  }, [bridge, session, queryClient]);

  const signedIn = useMemo<SignedIn | null>(
    () => (session ? { session, api: createApi(session.serverUrl, session.token), signOut } : null),
    [session, signOut],
  );

  if (session === undefined) {
    return (
      <main className="splash" aria-busy="true">
        <p>Starting…</p>
      </main>
    );
  }
  if (!signedIn) {
    return (
      <SignInScreen
        onSignedIn={async (next) => {
          await bridge.saveSession(next);
          setSession(next);
        }}
      />
    );
  }
  return (
    <SignedInContext.Provider value={signedIn}>
      <LiveFeedProvider>
        <Shell />
      </LiveFeedProvider>
    </SignedInContext.Provider>
  );
}

function Shell() {
  const { session, signOut } = useSignedIn();
  const [current, setCurrent] = useState<string | null>(() => localStorage.getItem(CURRENT_KEY));
  const [tab, setTab] = useState<Tab>(current ? "work" : "jobs");

  const openAssignment = useCallback((assignmentId: string) => {
    localStorage.setItem(CURRENT_KEY, assignmentId);
    setCurrent(assignmentId);
    setTab("work");
  }, []);
  const leaveAssignment = useCallback(() => {
    localStorage.removeItem(CURRENT_KEY);
    setCurrent(null);
    setTab("jobs");
  }, []);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand" aria-label="Eyeball Tester">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{" "}
          Eyeball <span className="brand-sub">Tester</span>
        </div>
        <nav aria-label="Main">
          <ul className="tabs" role="list">
            {TABS.filter((t) => t.id !== "work" || current).map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  className={`tab${tab === t.id ? " active" : ""}`}
                  aria-current={tab === t.id ? "page" : undefined}
                  onClick={() => {
                    setTab(t.id);
                  }}
                >
                  {t.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <UploadIndicator />
          <span className="who" title={session.serverUrl}>
            {session.testerAlias}
          </span>
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main">
        {tab === "jobs" && <FeedScreen onClaimed={openAssignment} />}
        {tab === "work" && current && <WorkScreen assignmentId={current} onLeave={leaveAssignment} />}
        {tab === "history" && <HistoryScreen />}
        {tab === "earnings" && <EarningsScreen />}
        {tab === "profile" && <ProfileScreen />}
      </main>
    </div>
  );
}
