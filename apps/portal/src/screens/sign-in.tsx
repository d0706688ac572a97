// Sign in and sign up: email and password, the server's own message when it refuses.
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, type SyntheticEvent, useState } from "react";

import { errorMessage } from "../api";
import { authOf } from "../auth-api";
import { Link, useRouter } from "../router";
import { useApi, useSetAccount } from "../session";
import { useTitle } from "../use-title";

export const MIN_PASSWORD_LENGTH = 10;

export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string;
  intro: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="auth">
      <div className="auth-card card">
        <p className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{" "}
          Eyeball
        </p>
        <h1 id="auth-title">{title}</h1>
        <div className="muted">{intro}</div>
        {children}
      </div>
      <p className="auth-foot muted small-text">Human QA testing as an API.</p>
    </main>
  );
}

function Field({
  label,
  hint,
  ...input
}: { label: string; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const hintId = hint ? `${String(input.name)}-hint` : undefined;
  return (
    <label>
      {label}
      <input {...input} aria-describedby={hintId} />
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </label>
  );
}

export function SignInScreen() {
  useTitle("Sign in");
  const api = useApi();
  const setAccount = useSetAccount();
  const { search } = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => authOf(api).signIn.mutate({ email: email.trim(), password }),
    onSuccess: setAccount,
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  const next = search.get("next");
  return (
    <AuthLayout title="Sign in" intro={<p>Manage your API keys, jobs, projects and team.</p>}>
      <form onSubmit={submit} aria-labelledby="auth-title" noValidate={false}>
        <Field
          label="Email"
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
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
          }}
        />
        {signIn.error && (
          <p className="notice danger" role="alert">
            {errorMessage(signIn.error)}
          </p>
        )}
        <button type="submit" className="primary block" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="auth-switch">
        New to Eyeball?{" "}
        <Link to={next ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up"}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}

export function SignUpScreen() {
  useTitle("Create your account");
  const api = useApi();
  const setAccount = useSetAccount();
  const [form, setForm] = useState({ name: "", email: "", password: "", organizationName: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const signUp = useMutation({
    mutationFn: () =>
      authOf(api).signUp.mutate({
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        organizationName: form.organizationName.trim(),
      }),
    onSuccess: setAccount,
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setProblem(null);
    if (form.password.length < MIN_PASSWORD_LENGTH) {
      setProblem(`Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    signUp.mutate();
  }

  const set = (key: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setForm((current) => ({ ...current, [key]: event.target.value }));
  };
  const error = problem ?? (signUp.error ? errorMessage(signUp.error) : null);
  return (
    <AuthLayout
      title="Create your account"
      intro={<p>Start with a test key: a sandbox tester completes your first jobs in seconds, free.</p>}
    >
      <form onSubmit={submit} aria-labelledby="auth-title">
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          autoFocus
          value={form.name}
          onChange={set("name")}
        />
        <Field
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set("email")}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          value={form.password}
          onChange={set("password")}
        />
        <Field
          label="Organisation name"
          name="organizationName"
          autoComplete="organization"
          required
          value={form.organizationName}
          onChange={set("organizationName")}
        />
        {error && (
          <p className="notice danger" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary block" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthLayout>
  );
}
