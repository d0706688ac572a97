// The app: public screens (sign in, sign up, invitations) and, once signed in, the owner's screens behind one top bar.
import { useEffect } from "react";

import { errorMessage } from "./api";
import { TopBar } from "./components/top-bar";
import { isPublicRoute, type Route, useRouter } from "./router";
import { ApiKeysScreen } from "./screens/api-keys";
import { InviteScreen } from "./screens/invite";
import { JobScreen } from "./screens/job";
import { JobsScreen } from "./screens/jobs";
import { NewJobScreen } from "./screens/new-job";
import { NotFoundScreen } from "./screens/not-found";
import { ProjectsScreen } from "./screens/projects";
import { SignInScreen, SignUpScreen } from "./screens/sign-in";
import { TeamScreen } from "./screens/team";
import { useMe } from "./session";

/** Where to go after signing in: the `next` the sign-in page was sent with, if it is one of ours. */
function nextPath(search: URLSearchParams): string {
  const next = search.get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/jobs";
}

export function App() {
  const me = useMe();
  const { route, pathname, search, navigate } = useRouter();
  const signedIn = Boolean(me.data);

  useEffect(() => {
    if (me.isPending || me.isError) return;
    if (route.name === "home") navigate(signedIn ? "/jobs" : "/sign-in", { replace: true });
    else if (!signedIn && !isPublicRoute(route) && route.name !== "not-found")
      navigate(`/sign-in?next=${encodeURIComponent(pathname)}`, { replace: true });
    else if (signedIn && (route.name === "sign-in" || route.name === "sign-up"))
      navigate(nextPath(search), { replace: true });
  }, [me.isPending, me.isError, signedIn, route, pathname, search, navigate]);

  if (me.isPending) {
    return (
      <main className="splash" aria-busy="true">
        <p>Loading Eyeball…</p>
      </main>
    );
  }
  if (me.isError) {
    return (
      <main className="splash">
        <div className="card narrow" role="alert">
          <h1>Eyeball is not answering</h1>
          <p>{errorMessage(me.error)}</p>
          <button type="button" className="primary" onClick={() => void me.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (route.name === "invite") return <InviteScreen token={route.token} />;
  if (!me.data) {
    if (route.name === "sign-up") return <SignUpScreen />;
    if (route.name === "not-found") return <NotFoundScreen path={route.path} signedIn={false} />;
    return <SignInScreen />;
  }
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <main className="content" id="main" tabIndex={-1}>
        {me.data.currentOrganizationId === null ? <NoOrganization /> : <Screen route={route} />}
      </main>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case "jobs":
      return <JobsScreen />;
    case "new-job":
      return <NewJobScreen />;
    case "job":
      return <JobScreen id={route.id} />;
    case "api-keys":
      return <ApiKeysScreen />;
    case "projects":
      return <ProjectsScreen />;
    case "team":
      return <TeamScreen />;
    case "not-found":
      return <NotFoundScreen path={route.path} signedIn />;
    default:
      return null;
  }
}

function NoOrganization() {
  return (
    <div className="empty">
      <h1>No organisation yet</h1>
      <p className="muted">Ask an owner to invite you, then open the link from the invitation.</p>
    </div>
  );
}
