// The top bar: brand, the owner's screens, the organisation switcher (with several organisations) and the account.
import { errorMessage } from "../api";
import { Link, useRouter } from "../router";
import { useAccount, useSignOut, useSwitchOrganization } from "../session";

const NAV = [
  { to: "/jobs", label: "Jobs", match: ["jobs", "job"] },
  { to: "/api-keys", label: "API keys", match: ["api-keys"] },
  { to: "/projects", label: "Projects", match: ["projects", "project"] },
  { to: "/usage", label: "Usage", match: ["usage"] },
  { to: "/billing", label: "Billing", match: ["billing"] },
  { to: "/webhooks", label: "Webhooks", match: ["webhooks"] },
  { to: "/team", label: "Team", match: ["team"] },
] as const;

const ADMIN_NAV = { to: "/admin", label: "Admin", match: ["admin"] } as const;

export function TopBar() {
  const account = useAccount();
  const { route, navigate } = useRouter();
  const signOut = useSignOut();
  const switchOrg = useSwitchOrganization();
  const current = account.organizations.find((org) => org.id === account.currentOrganizationId);

  return (
    <header className="topbar">
      <Link to="/jobs" className="brand" aria-label="Eyeball home">
        <span className="brand-mark" aria-hidden="true">
          ◉
        </span>
        Eyeball
      </Link>
      <nav aria-label="Main" className="nav">
        <ul role="list">
          {(account.user.isAdmin ? [...NAV, ADMIN_NAV] : NAV).map((item) => {
            const active = (item.match as readonly string[]).includes(route.name);
            return (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={`nav-link${active ? " active" : ""}`}
                  aria-current={active ? "page" : undefined}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="topbar-end">
        {account.organizations.length > 1 ? (
          <label className="org-switch">
            <span className="sr-only">Organisation</span>
            <select
              value={account.currentOrganizationId ?? ""}
              disabled={switchOrg.isPending}
              onChange={(event) => {
                switchOrg.mutate(event.target.value, {
                  onSuccess() {
                    navigate("/jobs");
                  },
                });
              }}
            >
              {account.organizations.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          current && <span className="org-name">{current.name}</span>
        )}
        {switchOrg.error && (
          <span className="error small-text" role="alert">
            {errorMessage(switchOrg.error)}
          </span>
        )}
        <span className="who" title={account.user.email}>
          <span className="avatar" aria-hidden="true">
            {(account.user.name || account.user.email).charAt(0).toUpperCase()}
          </span>
          <span className="who-name">{account.user.name || account.user.email}</span>
        </span>
        <button
          type="button"
          className="ghost"
          disabled={signOut.isPending}
          onClick={() => {
            signOut.mutate(undefined, {
              onSettled() {
                navigate("/sign-in");
              },
            });
          }}
        >
          {signOut.isPending ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </header>
  );
}
