// A path the portal does not know.
import { Link } from "../router";
import { useTitle } from "../use-title";

export function NotFoundScreen({ path, signedIn }: { path: string; signedIn: boolean }) {
  useTitle("Not found");
  const body = (
    <div className="empty">
      <h1>Page not found</h1>
      <p className="muted">
        Nothing lives at <code>{path}</code>.
      </p>
      <p>
        <Link to={signedIn ? "/jobs" : "/sign-in"}>{signedIn ? "Go to your jobs" : "Go to sign in"}</Link>
      </p>
    </div>
  );
  return signedIn ? body : <main className="auth">{body}</main>;
}
