// API keys: create a live or test key (its secret shown once), see when each was last used, revoke or delete.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useRef, useState } from "react";

import { type ApiKeyView, errorMessage } from "../api";
import { ModeBadge, StatusBadge } from "../components/badges";
import { ConfirmButton, CopyButton, Empty, ErrorNote, Loading } from "../components/common";
import { formatDateTime, formatRelative } from "../format";
import { useApi } from "../session";
import { useTitle } from "../use-title";

const KEYS = ["apiKeys"] as const;

export function ApiKeysScreen() {
  useTitle("API keys");
  const api = useApi();
  const queryClient = useQueryClient();
  // "Last used" moves whenever an integration calls: always fresh when the screen opens.
  const keys = useQuery({ queryKey: KEYS, queryFn: () => api.apiKeys.list.query(), staleTime: 0 });
  const [created, setCreated] = useState<{ key: string; apiKey: ApiKeyView } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS });

  const revoke = useMutation({
    mutationFn: (id: string) => api.apiKeys.revoke.mutate({ id }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.apiKeys.delete.mutate({ id }),
    onSuccess: refresh,
  });
  const actionError = revoke.error ?? remove.error;

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <div>
          <h1 id="keys-title">API keys</h1>
          <p className="muted">
            Integrators send a key as <code>Authorization: Bearer &lt;key&gt;</code>. Test keys run jobs on
            the sandbox tester and never touch real credit.
          </p>
        </div>
      </div>

      {created ? (
        <NewKey
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : (
        <CreateKeyForm
          onCreated={(result) => {
            setCreated(result);
            void refresh();
          }}
        />
      )}

      <h2 className="section-title">Your keys</h2>
      {actionError && <ErrorNote error={actionError} />}
      {keys.isPending && <Loading label="Loading keys…" />}
      {keys.error && <ErrorNote error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.data?.length === 0 && (
        <Empty title="No API keys yet">
          <p className="muted">Create a test key above to run your first job on the sandbox.</p>
        </Empty>
      )}
      {keys.data && keys.data.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive">
            <caption className="sr-only">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Mode</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} className={key.revokedAt ? "dimmed" : undefined}>
                  <th scope="row" data-label="Name" id={`key-${key.id}`}>
                    {key.name}
                  </th>
                  <td data-label="Key">
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label="Mode">
                    <ModeBadge mode={key.mode} />
                  </td>
                  <td data-label="Created">{formatDateTime(key.createdAt)}</td>
                  <td
                    data-label="Last used"
                    title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}
                  >
                    {formatRelative(key.lastUsedAt)}
                  </td>
                  <td data-label="Status">
                    {key.revokedAt ? (
                      <StatusBadge status="revoked" label={`Revoked ${formatDateTime(key.revokedAt)}`} />
                    ) : (
                      <StatusBadge status="active" />
                    )}
                  </td>
                  <td className="row-actions">
                    {!key.revokedAt && (
                      <ConfirmButton
                        label="Revoke"
                        confirmLabel="Revoke"
                        question={`Revoke ${key.name}? Requests with it fail at once.`}
                        busy={revoke.isPending && revoke.variables === key.id}
                        describedBy={`key-${key.id}`}
                        onConfirm={() => {
                          revoke.mutate(key.id);
                        }}
                      />
                    )}
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete"
                      className="ghost small"
                      question={`Delete ${key.name} for good?`}
                      busy={remove.isPending && remove.variables === key.id}
                      describedBy={`key-${key.id}`}
                      onConfirm={() => {
                        remove.mutate(key.id);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: { key: string; apiKey: ApiKeyView }) => void }) {
  const api = useApi();
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"test" | "live">("test");
  const create = useMutation({
    mutationFn: () => api.apiKeys.create.mutate({ name: name.trim(), mode }),
    onSuccess(result) {
      setName("");
      onCreated(result);
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <div className="form-row">
        <label className="grow">
          Key name
          <input
            name="name"
            required
            maxLength={100}
            placeholder="CI pipeline"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </label>
        <fieldset className="segmented">
          <legend>Mode</legend>
          <label className={mode === "test" ? "on" : undefined}>
            <input
              type="radio"
              name="mode"
              value="test"
              checked={mode === "test"}
              onChange={() => {
                setMode("test");
              }}
            />
            Test
          </label>
          <label className={mode === "live" ? "on live" : undefined}>
            <input
              type="radio"
              name="mode"
              value="live"
              checked={mode === "live"}
              onChange={() => {
                setMode("live");
              }}
            />
            Live
          </label>
        </fieldset>
        <button type="submit" className="primary" disabled={create.isPending || name.trim() === ""}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </div>
      <p className="field-hint">
        {mode === "test"
          ? "Test keys (eb_test_…) run jobs on the simulated tester: free, done in seconds."
          : "Live keys (eb_live_…) post jobs to real testers and charge your credits."}
      </p>
      {create.error && (
        <p className="notice danger" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}

function NewKey({ created, onDone }: { created: { key: string; apiKey: ApiKeyView }; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="card secret" aria-labelledby="new-key-title">
      <h2 id="new-key-title" ref={heading} tabIndex={-1}>
        Your new key “{created.apiKey.name}” <ModeBadge mode={created.apiKey.mode} />
      </h2>
      <p className="notice warn">
        <strong>Copy it now.</strong> This is the only time Eyeball shows it: only a hash is stored. If you
        lose it, revoke it and create another.
      </p>
      <div className="secret-row">
        <code className="secret-value" aria-label="New API key" data-testid="new-api-key">
          {created.key}
        </code>
        <CopyButton text={created.key} label="Copy key" />
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
