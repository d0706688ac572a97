// Accepting an invitation: who invited you to what; sign in as the invited address, or create the account right here.
import { useMutation, useQuery } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { errorMessage } from "../api";
import { authOf } from "../auth-api";
import { Loading } from "../components/common";
import { Link, useRouter } from "../router";
import { useApi, useMe, useSetAccount } from "../session";
import { useTitle } from "../use-title";
import { AuthLayout, MIN_PASSWORD_LENGTH } from "./sign-in";

export function InviteScreen({ token }: { token: string }) {
  useTitle("Invitation");
  const api = useApi();
  const me = useMe();
  const setAccount = useSetAccount();
  const { navigate } = useRouter();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const invitation = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => authOf(api).invitations.inspect.query({ token }),
    retry: false,
  });
  const accept = useMutation({
    mutationFn: (input: { name?: string; password?: string }) =>
      authOf(api).acceptInvitation.mutate({ token, ...input }),
    onSuccess(account) {
      setAccount(account);
      navigate("/jobs");
    },
  });

  if (invitation.isPending) {
    return (
      <AuthLayout title="Invitation" intro={null}>
        <Loading label="Reading the invitation…" />
      </AuthLayout>
    );
  }
  if (invitation.error) {
    return (
      <AuthLayout title="This invitation cannot be used" intro={<p>{errorMessage(invitation.error)}</p>}>
        <p className="auth-switch">
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </AuthLayout>
    );
  }
  const { organizationName, email, role, expired } = invitation.data;
  if (expired) {
    return (
      <AuthLayout
        title="This invitation has expired"
        intro={<p>Ask an owner of {organizationName} to send you a new one.</p>}
      >
        <p className="auth-switch">
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </AuthLayout>
    );
  }

  const signedInAs = me.data?.user.email ?? null;
  const intro = (
    <p>
      You were invited to join <strong>{organizationName}</strong> as{" "}
      {role === "owner" ? "an owner" : "a member"} ({email}).
    </p>
  );
  const error = problem ?? (accept.error ? errorMessage(accept.error) : null);

  if (signedInAs) {
    return (
      <AuthLayout title={`Join ${organizationName}`} intro={intro}>
        <p>
          You are signed in as <strong>{signedInAs}</strong>.
        </p>
        {error && (
          <p className="notice danger" role="alert">
            {error}
          </p>
        )}
        <button
          type="button"
          className="primary block"
          disabled={accept.isPending}
          onClick={() => {
            accept.mutate({});
          }}
        >
          {accept.isPending ? "Joining…" : `Join ${organizationName}`}
        </button>
      </AuthLayout>
    );
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setProblem(null);
    if (password.length < MIN_PASSWORD_LENGTH) {
      setProblem(`Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    accept.mutate({ name: name.trim(), password });
  }

  return (
    <AuthLayout title={`Join ${organizationName}`} intro={intro}>
      <form onSubmit={submit} aria-labelledby="auth-title">
        <label>
          Email
          <input name="email" type="email" value={email} readOnly aria-readonly="true" />
        </label>
        <label>
          Your name
          <input
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
        <label>
          Choose a password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="invite-password-hint"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
            }}
          />
          <span className="field-hint" id="invite-password-hint">
            At least {MIN_PASSWORD_LENGTH} characters.
          </span>
        </label>
        {error && (
          <p className="notice danger" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary block" disabled={accept.isPending}>
          {accept.isPending ? "Joining…" : "Accept and join"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account?{" "}
        <Link to={`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`}>Sign in first</Link>
      </p>
    </AuthLayout>
  );
}
