// Webhooks: the organisation's endpoints, the signing secret (reveal, copy, rotate), recent deliveries and redelivery.
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useRef, useState } from "react";

import { errorMessage, type Outputs } from "../api";
import { StatusBadge } from "../components/badges";
import { ConfirmButton, CopyButton, Empty, ErrorNote, Loading } from "../components/common";
import { formatDateTime, formatRelative, formatShortDateTime } from "../format";
import { Link } from "../router";
import { useApi } from "../session";
import { useTitle } from "../use-title";

import "./webhooks.css";

type EndpointView = Outputs["webhooks"]["endpoints"][number];
type DeliveryView = Outputs["webhooks"]["deliveries"]["data"][number];
type DeliveryStatus = DeliveryView["status"];

const ENDPOINTS = ["webhooks", "endpoints"] as const;
const DELIVERIES = ["webhooks", "deliveries"] as const;
/** Deliveries settle within seconds (or retry with backoff): poll while the screen is open. */
const REFRESH_MS = 3000;
const STATUSES: readonly DeliveryStatus[] = ["pending", "delivered", "failed"];

/** The same rules as the server's verifyWebhookSignature (packages/api/src/services/webhooks/signing.ts). */
const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// header: the Eyeball-Signature request header ("t=<unix seconds>,v1=<hex>")
// body: the raw request body, exactly as received (before JSON.parse)
export function verifyEyeballSignature(secret, header, body, toleranceSeconds = 300) {
  let t;
  const signatures = [];
  for (const part of (header ?? "").split(",")) {
    const i = part.indexOf("=");
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (key === "t" && /^\\d+$/.test(value)) t = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (t === undefined || signatures.length === 0) return false;
  if (Math.abs(Math.floor(Date.now() / 1000) - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(\`\${t}.\${body}\`).digest();
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
}`;

/** What a delivery's badge says: a pending delivery that already failed once is retrying. */
function deliveryState(delivery: Pick<DeliveryView, "status" | "lastError">): {
  status: string;
  label: string;
} {
  if (delivery.status === "pending")
    return delivery.lastError
      ? { status: "retrying", label: "Retrying" }
      : { status: "pending", label: "Sending" };
  return { status: delivery.status, label: delivery.status === "delivered" ? "Delivered" : "Failed" };
}

function lastResponse(delivery: Pick<DeliveryView, "lastStatusCode" | "lastError" | "attempts">): string {
  if (delivery.attempts === 0) return "Not sent yet";
  if (delivery.lastStatusCode !== null && delivery.lastError === null)
    return `HTTP ${delivery.lastStatusCode}`;
  return delivery.lastError ?? (delivery.lastStatusCode === null ? "—" : `HTTP ${delivery.lastStatusCode}`);
}

export function WebhooksScreen() {
  useTitle("Webhooks");
  const api = useApi();
  const endpoints = useQuery({ queryKey: ENDPOINTS, queryFn: () => api.webhooks.endpoints.query() });
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <section aria-labelledby="webhooks-title" className="webhooks">
      <div className="page-head">
        <div>
          <h1 id="webhooks-title">Webhooks</h1>
          <p className="muted">
            When a job ends, Eyeball POSTs its run to every enabled endpoint, signed with your organisation's
            secret, and retries with backoff until the receiver answers 2xx.
          </p>
        </div>
      </div>

      <SigningSecret />
      <Endpoints endpoints={endpoints} />
      <Deliveries endpoints={endpoints.data ?? []} selected={selected} onSelect={setSelected} />
      {selected && (
        <DeliveryDetail
          id={selected}
          onClose={() => {
            setSelected(null);
          }}
          onRedelivered={setSelected}
        />
      )}
    </section>
  );
}

function SigningSecret() {
  const api = useApi();
  const [secret, setSecret] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => api.webhooks.revealSecret.mutate(),
    onSuccess: (result) => {
      setSecret(result.secret);
    },
  });
  const rotate = useMutation({
    mutationFn: () => api.webhooks.rotateSecret.mutate(),
    onSuccess: (result) => {
      setSecret(result.secret);
    },
  });
  const error = reveal.error ?? rotate.error;
  return (
    <section className="card" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <p className="muted">
        Every webhook carries <code>Eyeball-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: an
        HMAC-SHA256 of <code>&lt;t&gt;.&lt;raw body&gt;</code> with this secret. It signs your endpoints and
        each job's own <code>webhookUrl</code>.
      </p>
      <div className="secret-row">
        <code className="secret-value" aria-label="Signing secret" data-testid="webhook-secret">
          {secret ?? "whsec_••••••••••••••••••••"}
        </code>
        {secret ? (
          <>
            <CopyButton text={secret} label="Copy secret" />
            <button
              type="button"
              onClick={() => {
                setSecret(null);
              }}
            >
              Hide
            </button>
          </>
        ) : (
          <button
            type="button"
            disabled={reveal.isPending}
            onClick={() => {
              reveal.mutate();
            }}
          >
            {reveal.isPending ? "Revealing…" : "Reveal"}
          </button>
        )}
        <ConfirmButton
          label="Rotate"
          confirmLabel="Rotate"
          className="danger"
          question="Rotate the secret? The old one stops signing at once, also for retries."
          busy={rotate.isPending}
          onConfirm={() => {
            rotate.mutate();
          }}
        />
      </div>
      {rotate.isSuccess && secret && (
        <p className="notice ok" role="status">
          New secret in use. Update your receivers now: webhooks signed with the old one are no longer sent.
        </p>
      )}
      {error && <ErrorNote error={error} />}
      <details className="verify-snippet">
        <summary>Verify signatures (Node.js)</summary>
        <p className="muted">
          Verify against the raw body before parsing it, and answer 2xx quickly; a retry re-sends the same
          body with a fresh timestamp and signature. <code>Eyeball-Delivery</code> identifies each delivery.
        </p>
        <div className="snippet">
          <pre className="json" tabIndex={0} aria-label="Signature verification code">
            {VERIFY_SNIPPET}
          </pre>
          <CopyButton text={VERIFY_SNIPPET} label="Copy code" className="small" />
        </div>
      </details>
    </section>
  );
}

function Endpoints({ endpoints }: { endpoints: UseQueryResult<EndpointView[]> }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<EndpointView | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ENDPOINTS });
  const toggle = useMutation({
    mutationFn: (endpoint: EndpointView) =>
      api.webhooks.update.mutate({ id: endpoint.id, enabled: !endpoint.enabled }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.webhooks.delete.mutate({ id }),
    onSuccess: async () => {
      await refresh();
      await queryClient.invalidateQueries({ queryKey: DELIVERIES });
    },
  });
  const actionError = toggle.error ?? remove.error;

  return (
    <>
      <EndpointForm
        key={editing?.id ?? "new"}
        editing={editing}
        onDone={() => {
          setEditing(null);
          void refresh();
        }}
      />
      <h2 className="section-title">Endpoints</h2>
      {actionError && <ErrorNote error={actionError} />}
      {endpoints.isPending && <Loading label="Loading endpoints…" />}
      {endpoints.error && <ErrorNote error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
      {endpoints.data?.length === 0 && (
        <Empty title="No endpoints yet">
          <p className="muted">Add a URL above; finished jobs are sent to it from then on.</p>
        </Empty>
      )}
      {endpoints.data && endpoints.data.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive">
            <caption className="sr-only">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Description</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => (
                <tr key={endpoint.id} className={endpoint.enabled ? undefined : "dimmed"}>
                  <th scope="row" data-label="URL" id={`endpoint-${endpoint.id}`} className="wh-url">
                    {endpoint.url}
                  </th>
                  <td data-label="Description">{endpoint.description ?? <span className="muted">—</span>}</td>
                  <td data-label="Status">
                    <StatusBadge status={endpoint.enabled ? "enabled" : "disabled"} />
                  </td>
                  <td data-label="Added">{formatDateTime(endpoint.createdAt)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="small"
                      aria-describedby={`endpoint-${endpoint.id}`}
                      onClick={() => {
                        setEditing(endpoint);
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="small"
                      aria-describedby={`endpoint-${endpoint.id}`}
                      disabled={toggle.isPending && toggle.variables.id === endpoint.id}
                      onClick={() => {
                        toggle.mutate(endpoint);
                      }}
                    >
                      {endpoint.enabled ? "Disable" : "Enable"}
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete"
                      className="ghost small"
                      question="Delete this endpoint and its delivery history?"
                      busy={remove.isPending && remove.variables === endpoint.id}
                      describedBy={`endpoint-${endpoint.id}`}
                      onConfirm={() => {
                        if (editing?.id === endpoint.id) setEditing(null);
                        remove.mutate(endpoint.id);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function EndpointForm({ editing, onDone }: { editing: EndpointView | null; onDone: () => void }) {
  const api = useApi();
  const [url, setUrl] = useState(editing?.url ?? "");
  const [description, setDescription] = useState(editing?.description ?? "");
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const urlInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) urlInput.current?.focus();
  }, [editing]);
  const save = useMutation({
    mutationFn: () =>
      editing
        ? api.webhooks.update.mutate({
            id: editing.id,
            url: url.trim(),
            description: description.trim(),
            enabled,
          })
        : api.webhooks.create.mutate({ url: url.trim(), description: description.trim() || null, enabled }),
    onSuccess() {
      setUrl("");
      setDescription("");
      setEnabled(true);
      onDone();
    },
  });
  const message = save.error ? errorMessage(save.error) : null;
  const urlInvalid = message !== null && message.startsWith("url:");
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    save.mutate();
  }
  const title = editing ? "Edit endpoint" : "Add an endpoint";
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="endpoint-form-title" noValidate>
      <h2 id="endpoint-form-title">{title}</h2>
      <div className="form-row">
        <label className="grow">
          Endpoint URL
          <input
            ref={urlInput}
            name="url"
            type="url"
            required
            maxLength={2048}
            placeholder="https://example.com/eyeball-webhooks"
            value={url}
            aria-invalid={urlInvalid || undefined}
            aria-describedby={urlInvalid ? "endpoint-form-error" : undefined}
            onChange={(event) => {
              setUrl(event.target.value);
            }}
          />
        </label>
        <label className="grow">
          Description <span className="muted">(optional)</span>
          <input
            name="description"
            maxLength={500}
            placeholder="Production CI"
            value={description}
            onChange={(event) => {
              setDescription(event.target.value);
            }}
          />
        </label>
      </div>
      <div className="form-row wh-form-actions">
        <label className="check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(event) => {
              setEnabled(event.target.checked);
            }}
          />
          Enabled
        </label>
        <div className="actions">
          {editing && (
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={save.isPending || url.trim() === ""}>
            {save.isPending ? "Saving…" : editing ? "Save endpoint" : "Add endpoint"}
          </button>
        </div>
      </div>
      {message && (
        <p className="notice danger" role="alert" id="endpoint-form-error">
          {message.replace(/^url: /, "URL ")}
        </p>
      )}
    </form>
  );
}

function Deliveries({
  endpoints,
  selected,
  onSelect,
}: {
  endpoints: EndpointView[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const api = useApi();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [endpointId, setEndpointId] = useState("");
  const deliveries = useInfiniteQuery({
    queryKey: [...DELIVERIES, status, endpointId],
    queryFn: ({ pageParam }) =>
      api.webhooks.deliveries.query({
        limit: 20,
        cursor: pageParam,
        ...(status ? { status } : {}),
        ...(endpointId ? { endpointId } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
    refetchInterval: REFRESH_MS,
  });
  const rows = deliveries.data?.pages.flatMap((page) => page.data) ?? [];
  const endpointLabel = (id: string | null) => {
    if (id === null) return "Job webhookUrl";
    const endpoint = endpoints.find((e) => e.id === id);
    return endpoint?.description ?? endpoint?.url ?? "Deleted endpoint";
  };

  return (
    <section aria-labelledby="deliveries-title">
      <h2 className="section-title" id="deliveries-title">
        Recent deliveries
      </h2>
      <div className="toolbar" role="search" aria-label="Filter deliveries">
        <label className="inline">
          Status
          <select
            name="status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as DeliveryStatus | "");
            }}
          >
            <option value="">All statuses</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value === "pending" ? "Sending or retrying" : value === "delivered" ? "Delivered" : "Failed"}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Endpoint
          <select
            name="endpoint"
            value={endpointId}
            onChange={(event) => {
              setEndpointId(event.target.value);
            }}
          >
            <option value="">All endpoints</option>
            {endpoints.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.description ? `${endpoint.description} (${endpoint.url})` : endpoint.url}
              </option>
            ))}
          </select>
        </label>
      </div>
      {deliveries.isPending && <Loading label="Loading deliveries…" />}
      {deliveries.error && <ErrorNote error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      {deliveries.data && rows.length === 0 && (
        <Empty title={status || endpointId ? "No deliveries match these filters" : "No deliveries yet"}>
          <p className="muted">
            Deliveries appear here when a job ends. Run a test-mode job to send one to your endpoints.
          </p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive deliveries">
            <caption className="sr-only">Webhook deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Event</th>
                <th scope="col">Target</th>
                <th scope="col">Job</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last response</th>
                <th scope="col">Created</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Next attempt</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((delivery) => {
                const state = deliveryState(delivery);
                return (
                  <tr
                    key={delivery.id}
                    className={delivery.id === selected ? "selected" : undefined}
                    data-testid="delivery-row"
                    data-delivery-id={delivery.id}
                  >
                    <td data-label="Status">
                      <StatusBadge status={state.status} label={state.label} />
                    </td>
                    <th scope="row" data-label="Event" id={`delivery-${delivery.id}`}>
                      <code>{delivery.eventType}</code>
                    </th>
                    <td data-label="Target" className="wh-url" title={delivery.url}>
                      {endpointLabel(delivery.endpointId)}
                    </td>
                    <td data-label="Job">
                      {delivery.jobId ? (
                        <Link to={`/jobs/${delivery.jobId}`}>
                          <code>{delivery.jobId.slice(-8)}</code>
                          <span className="sr-only"> (job {delivery.jobId})</span>
                        </Link>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td data-label="Attempts">{delivery.attempts}</td>
                    <td data-label="Last response">{lastResponse(delivery)}</td>
                    <td data-label="Created" title={formatDateTime(delivery.createdAt)}>
                      {formatRelative(delivery.createdAt)}
                    </td>
                    <td data-label="Last attempt" title={formatDateTime(delivery.lastAttemptAt)}>
                      {formatShortDateTime(delivery.lastAttemptAt)}
                    </td>
                    <td data-label="Next attempt" title={formatDateTime(delivery.nextAttemptAt)}>
                      {formatShortDateTime(delivery.nextAttemptAt)}
                    </td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="small"
                        aria-describedby={`delivery-${delivery.id}`}
                        aria-pressed={delivery.id === selected}
                        onClick={() => {
                          onSelect(delivery.id);
                        }}
                      >
                        Details
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            disabled={deliveries.isFetchingNextPage}
            onClick={() => void deliveries.fetchNextPage()}
          >
            {deliveries.isFetchingNextPage ? "Loading…" : "Load older deliveries"}
          </button>
        </div>
      )}
    </section>
  );
}

function DeliveryDetail({
  id,
  onClose,
  onRedelivered,
}: {
  id: string;
  onClose: () => void;
  onRedelivered: (id: string) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const delivery = useQuery({
    queryKey: ["webhooks", "delivery", id],
    queryFn: () => api.webhooks.delivery.query({ id }),
    refetchInterval: REFRESH_MS,
  });
  useEffect(() => {
    heading.current?.focus();
  }, [id]);
  const redeliver = useMutation({
    mutationFn: () => api.webhooks.redeliver.mutate({ id }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ["webhooks"] });
      onRedelivered(result.id);
    },
  });
  const data = delivery.data;
  const state = data ? deliveryState(data) : null;
  return (
    <section className="card wh-detail" aria-labelledby="delivery-title">
      <div className="wh-detail-head">
        <h2 id="delivery-title" ref={heading} tabIndex={-1}>
          Delivery {state && <StatusBadge status={state.status} label={state.label} />}
        </h2>
        <button type="button" className="small" onClick={onClose}>
          Close
        </button>
      </div>
      {delivery.isPending && <Loading label="Loading the delivery…" />}
      {delivery.error && <ErrorNote error={delivery.error} onRetry={() => void delivery.refetch()} />}
      {data && (
        <>
          <dl className="wh-facts">
            <div>
              <dt>Delivery id</dt>
              <dd>
                <code>{data.id}</code>
              </dd>
            </div>
            <div>
              <dt>Event</dt>
              <dd>
                <code>{data.eventType}</code>
              </dd>
            </div>
            <div>
              <dt>Target URL</dt>
              <dd className="wh-url">{data.url}</dd>
            </div>
            <div>
              <dt>Job</dt>
              <dd>{data.jobId ? <Link to={`/jobs/${data.jobId}`}>{data.jobId}</Link> : "—"}</dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd data-testid="delivery-attempts">{data.attempts}</dd>
            </div>
            <div>
              <dt>Last response</dt>
              <dd data-testid="delivery-response">{lastResponse(data)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(data.createdAt)}</dd>
            </div>
            <div>
              <dt>Last attempt</dt>
              <dd>{formatDateTime(data.lastAttemptAt)}</dd>
            </div>
            <div>
              <dt>{data.deliveredAt ? "Delivered" : "Next attempt"}</dt>
              <dd>{formatDateTime(data.deliveredAt ?? data.nextAttemptAt)}</dd>
            </div>
          </dl>
          <p className="muted small-print">
            Eyeball keeps the receiver's status code and the error of the latest attempt, not its response
            body.
          </p>
          <div className="actions wh-redeliver">
            <button
              type="button"
              className="primary"
              disabled={redeliver.isPending || data.inFlight}
              title={data.inFlight ? "An attempt is already queued or running" : undefined}
              onClick={() => {
                redeliver.mutate();
              }}
            >
              {redeliver.isPending ? "Redelivering…" : "Redeliver"}
            </button>
            <span className="muted">
              {data.status === "pending"
                ? data.inFlight
                  ? "An attempt is queued or running."
                  : "Sends the next attempt now instead of waiting for the retry."
                : "Sends the same body again now, as a new delivery."}
            </span>
          </div>
          {redeliver.error && <ErrorNote error={redeliver.error} />}
          <h3>Payload</h3>
          <pre className="json wh-payload" tabIndex={0} aria-label="Delivery payload">
            {JSON.stringify(data.payload, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
