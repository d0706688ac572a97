// The app: public screens (sign in, sign up, invitations) and, once signed in, the owner's screens behind one top bar.
import { lazy, Suspense, useEffect } from "react";

import { errorMessage } from "./api";
import { TopBar } from "./components/top-bar";
import { isPublicRoute, type Route, useRouter } from "./router";
import { InviteScreen } from "./screens/invite";
import { JobsScreen } from "./screens/jobs";
import { NotFoundScreen } from "./screens/not-found";
import { SignInScreen, SignUpScreen } from "./screens/sign-in";
import { useMe } from "./session";

// The jobs list and the public screens ship in the first bundle; every other screen is its own
// chunk, fetched when first opened (Vite preloads its imports alongside it).
const JobScreen = lazy(() => import("./screens/job").then((m) => ({ default: m.JobScreen })));
const NewJobScreen = lazy(() => import("./screens/new-job").then((m) => ({ default: m.NewJobScreen })));
const ApiKeysScreen = lazy(() => import("./screens/api-keys").then((m) => ({ default: m.ApiKeysScreen })));
const ProjectsScreen = lazy(() => import("./screens/projects").then((m) => ({ default: m.ProjectsScreen })));
const ProjectScreen = lazy(() => import("./screens/project").then((m) => ({ default: m.ProjectScreen })));
const TeamScreen = lazy(() => import("./screens/team").then((m) => ({ default: m.TeamScreen })));
const BillingScreen = lazy(() => import("./screens/billing").then((m) => ({ default: m.BillingScreen })));
const WebhooksScreen = lazy(() => import("./screens/webhooks").then((m) => ({ default: m.WebhooksScreen })));
const UsageScreen = lazy(() => import("./screens/usage").then((m) => ({ default: m.UsageScreen })));
const AdminScreen = lazy(() => import("./screens/admin").then((m) => ({ default: m.AdminScreen })));

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
        <Suspense
          fallback={
            <p className="muted" aria-busy="true">
              Loading…
            </p>
          }
        >
          {route.name === "admin" && me.data.user.isAdmin ? (
            <AdminScreen section={route.section} id={route.id} />
          ) : me.data.currentOrganizationId === null ? (
            <NoOrganization />
          ) : (
            <Screen route={route} />
          )}
        </Suspense>
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
    case "project":
      return <ProjectScreen id={route.id} />;
    case "billing":
      return <BillingScreen />;
    case "webhooks":
      return <WebhooksScreen />;
    case "usage":
      return <UsageScreen />;
    case "admin":
      // Only platform administrators reach the admin area (the server enforces it too).
      return <NotFoundScreen path={window.location.pathname} signedIn />;
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
