// A tiny router over window.history: the URL is the state; links push, back/forward pop.
import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";

export type Route =
  | { name: "sign-in" }
  | { name: "sign-up" }
  | { name: "invite"; token: string }
  | { name: "jobs" }
  | { name: "new-job" }
  | { name: "job"; id: string }
  | { name: "api-keys" }
  | { name: "projects" }
  | { name: "team" }
  | { name: "project"; id: string }
  | { name: "billing" }
  | { name: "webhooks" }
  | { name: "usage" }
  | { name: "admin"; section: AdminSection; id?: string }
  | { name: "home" }
  | { name: "not-found"; path: string };

/** The admin area's screens: `/admin` (overview), `/admin/disputes[/:id]`, `/admin/testers`, `/admin/orgs`, `/admin/payouts`. */
export const ADMIN_SECTIONS = ["overview", "disputes", "testers", "orgs", "payouts"] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

function matchAdmin(path: string, segments: string[]): Route {
  const [, section = "overview", id, ...rest] = segments;
  if (rest.length > 0 || (section === "overview" && segments.length > 1)) return { name: "not-found", path };
  if (!(ADMIN_SECTIONS as readonly string[]).includes(section)) return { name: "not-found", path };
  if (id !== undefined && section !== "disputes") return { name: "not-found", path };
  return id === undefined
    ? { name: "admin", section: section as AdminSection }
    : { name: "admin", section: section as AdminSection, id };
}

/** The route a pathname names. */
export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "home" };
  const segments = path.split("/").slice(1).map(decodeURIComponent);
  const [first, second, ...rest] = segments;
  if (first === "admin") return matchAdmin(path, segments);
  if (rest.length > 0) return { name: "not-found", path };
  switch (first) {
    case "sign-in":
    case "sign-up":
    case "api-keys":
    case "team":
    case "billing":
    case "webhooks":
    case "usage":
      return second === undefined ? { name: first } : { name: "not-found", path };
    case "projects":
      return second === undefined ? { name: "projects" } : { name: "project", id: second };
    case "jobs":
      if (second === "new") return { name: "new-job" };
      return second === undefined ? { name: "jobs" } : { name: "job", id: second };
    case "invite":
      return second ? { name: "invite", token: second } : { name: "not-found", path };
    default:
      return { name: "not-found", path };
  }
}

/** Routes that need no signed-in account. */
export function isPublicRoute(route: Route): boolean {
  return route.name === "sign-in" || route.name === "sign-up" || route.name === "invite";
}

interface Location {
  pathname: string;
  search: URLSearchParams;
}

interface RouterValue extends Location {
  route: Route;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

function currentLocation(): Location {
  return { pathname: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);

  useEffect(() => {
    const onPop = () => {
      setLocation(currentLocation());
    };
    window.addEventListener("popstate", onPop);
    return () => {
      window.removeEventListener("popstate", onPop);
    };
  }, []);

  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) window.history.replaceState(null, "", to);
    else window.history.pushState(null, "", to);
    setLocation(currentLocation());
    if (!options.replace) window.scrollTo(0, 0);
  }, []);

  const value = useMemo<RouterValue>(
    () => ({ ...location, route: matchRoute(location.pathname), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter outside RouterProvider");
  return value;
}

/** An <a href> that navigates in place (a modified click still opens a new tab). */
export function Link({ to, children, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} {...rest} onClick={onClick}>
      {children}
    </a>
  );
}
