// Sign-in: the server's address, email and password; the server's own message when it refuses.
import { type SyntheticEvent, useState } from "react";

import type { StoredSession } from "../../../shared/bridge";
import { createApi, errorMessage } from "../api";

const SERVER_KEY = "eyeball.serverUrl";
const DEFAULT_SERVER = "http://127.0.0.1:4000";

export function SignInScreen({ onSignedIn }: { onSignedIn: (session: StoredSession) => Promise<void> }) {
  const [serverUrl, setServerUrl] = useState(() => localStorage.getItem(SERVER_KEY) ?? DEFAULT_SERVER);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    let url: URL;
    try {
      url = new URL(serverUrl.trim());
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    } catch {
      setError("Server address must be an http(s) URL such as https://eyeball.example.com");
      return;
    }
    const base = url.origin + url.pathname.replace(/\/+$/, "");
    setBusy(true);
    try {
      const result = await createApi(base).tester.signIn.mutate({ email, password });
      localStorage.setItem(SERVER_KEY, base);
      await onSignedIn({
        serverUrl: base,
        token: result.token,
        expiresAt: result.expiresAt,
        testerAlias: result.tester.alias,
      });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form
        className="card signin-card"
        onSubmit={(event) => void submit(event)}
        aria-labelledby="signin-title"
      >
        <h1 id="signin-title">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{" "}
          Eyeball Tester
        </h1>
        <p className="muted">Test real sites, get paid by the second.</p>
        <label>
          Server
          <input
            name="server"
            type="url"
            required
            value={serverUrl}
            onChange={(event) => {
              setServerUrl(event.target.value);
            }}
          />
        </label>
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
