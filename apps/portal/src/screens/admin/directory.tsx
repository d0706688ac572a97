// The platform's testers and organisations (with each organisation's pricing, editable), newest first, a page at a time.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useRef, useState } from "react";

import { errorMessage } from "../../api";
import { Empty, ErrorNote, Loading, LoadMore } from "../../components/common";
import { formatDateTime, formatShortDateTime } from "../../format";
import { useApi } from "../../session";
import { useTitle } from "../../use-title";

const PAGE_SIZE = 20;

export function AdminTestersScreen() {
  useTitle("Testers");
  const api = useApi();
  const [includeSandbox, setIncludeSandbox] = useState(false);
  const testers = useInfiniteQuery({
    queryKey: ["admin", "testers", includeSandbox],
    queryFn: ({ pageParam }) =>
      api.admin.testers.query({ limit: PAGE_SIZE, cursor: pageParam, includeSandbox }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = testers.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="admin-testers-title">
      <div className="page-head">
        <div>
          <h1 id="admin-testers-title">Testers</h1>
          <p className="muted">Everyone who tests on the platform, newest first.</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={includeSandbox}
            onChange={(event) => {
              setIncludeSandbox(event.target.checked);
            }}
          />
          Include the sandbox’s simulated testers
        </label>
      </div>
      {testers.isPending && <Loading label="Loading testers…" />}
      {testers.error && <ErrorNote error={testers.error} onRetry={() => void testers.refetch()} />}
      {testers.data && rows.length === 0 && (
        <Empty title="No testers yet">
          <p className="muted">Testers appear here once they sign up in the desktop app.</p>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">Testers, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Email</th>
                <th scope="col">Country</th>
                <th scope="col">Languages</th>
                <th scope="col" className="num">
                  Assignments
                </th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((tester) => (
                <tr key={tester.testerId}>
                  <th scope="row" data-label="Alias">
                    {tester.alias}
                    {tester.isSandbox && <span className="muted small-text"> (sandbox)</span>}
                  </th>
                  <td data-label="Email">{tester.email}</td>
                  <td data-label="Country">{tester.country ?? "—"}</td>
                  <td data-label="Languages">
                    {tester.languages.length > 0 ? tester.languages.join(", ") : "—"}
                  </td>
                  <td data-label="Assignments" className="num">
                    {tester.assignmentCount}
                  </td>
                  <td data-label="Joined">
                    <span title={formatDateTime(tester.createdAt)}>
                      {formatShortDateTime(tester.createdAt)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={testers} />
    </section>
  );
}

interface OrgPricing {
  usdPerSecond: number;
  rateOverrideMicrosPerSecond: number | null;
  testerShareBps: number | null;
}

interface PricedOrg {
  id: string;
  name: string;
  pricing: OrgPricing;
}

type PricingField = "usdPerSecond" | "testerShareBps";

/** The server's 400 ("usdPerSecond: must be …; testerShareBps: …") as messages per field. */
function pricingErrors(error: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const part of errorMessage(error).split("; ")) {
    const match = /^(usdPerSecond|testerShareBps): (.*)$/.exec(part);
    if (match?.[1] && match[2]) errors[match[1]] = match[2];
    else errors.form = errors.form ? `${errors.form}; ${part}` : part;
  }
  return errors;
}

/** Blank is the platform default (null); a number is sent as typed; anything else stays local (undefined). */
function numberInput(text: string): number | null | undefined {
  const value = text.trim();
  if (value === "") return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

function PricingDialog({ org, onClose }: { org: PricedOrg; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const [price, setPrice] = useState(
    org.pricing.rateOverrideMicrosPerSecond === null ? "" : String(org.pricing.usdPerSecond),
  );
  const [share, setShare] = useState(
    org.pricing.testerShareBps === null ? "" : String(org.pricing.testerShareBps),
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string> | null>(null);
  const save = useMutation({
    mutationFn: (input: { orgId: string; usdPerSecond: number | null; testerShareBps: number | null }) =>
      api.admin.setOrgPricing.mutate(input),
    async onSuccess() {
      await queryClient.invalidateQueries({ queryKey: ["admin", "orgs"] });
      dialog.current?.close();
    },
  });
  const errors = localErrors ?? (save.error ? pricingErrors(save.error) : {});
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const usdPerSecond = numberInput(price);
    const testerShareBps = numberInput(share);
    if (usdPerSecond === undefined || testerShareBps === undefined) {
      save.reset();
      setLocalErrors({
        ...(usdPerSecond === undefined
          ? { usdPerSecond: "must be a number of USD, or blank for the default" }
          : {}),
        ...(testerShareBps === undefined
          ? { testerShareBps: "must be basis points, or blank for the default" }
          : {}),
      });
      return;
    }
    setLocalErrors(null);
    save.mutate({ orgId: org.id, usdPerSecond, testerShareBps });
  }
  const field = (
    name: PricingField,
    label: string,
    hint: string,
    value: string,
    set: (v: string) => void,
  ) => (
    <div className={`field${errors[name] ? " invalid" : ""}`}>
      <label htmlFor={`pricing-${name}`}>{label}</label>
      <input
        id={`pricing-${name}`}
        name={name}
        inputMode="decimal"
        value={value}
        placeholder="Platform default"
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`pricing-${name}-hint${errors[name] ? ` pricing-${name}-error` : ""}`}
        onChange={(event) => {
          set(event.target.value);
        }}
      />
      <span className="muted small-text" id={`pricing-${name}-hint`}>
        {hint}
      </span>
      {errors[name] && (
        <span className="field-error" id={`pricing-${name}-error`}>
          {label} {errors[name]}
        </span>
      )}
    </div>
  );
  return (
    <dialog ref={dialog} className="pricing-dialog" aria-labelledby="pricing-title" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="pricing-title">Pricing for {org.name}</h2>
        <p className="muted">New jobs use the new price; holds of existing jobs are unchanged.</p>
        {field(
          "usdPerSecond",
          "Price per second (USD)",
          "More than 0, at most 1, up to 6 decimals; blank for the platform default ($0.0018).",
          price,
          setPrice,
        )}
        {field(
          "testerShareBps",
          "Tester share (basis points)",
          "0–10000 (7000 = 70 %); blank for the platform default.",
          share,
          setShare,
        )}
        {errors.form && (
          <p className="notice danger" role="alert">
            {errors.form}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save pricing"}
          </button>
          <button
            type="button"
            onClick={() => {
              dialog.current?.close();
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function shareText(bps: number | null): string {
  return bps === null ? "Default" : `${bps / 100} %`;
}

export function AdminOrgsScreen() {
  useTitle("Organisations");
  const api = useApi();
  const orgs = useInfiniteQuery({
    queryKey: ["admin", "orgs"],
    queryFn: ({ pageParam }) => api.admin.orgs.query({ limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = orgs.data?.pages.flatMap((page) => page.data) ?? [];
  const [editing, setEditing] = useState<PricedOrg | null>(null);

  return (
    <section aria-labelledby="admin-orgs-title">
      <div className="page-head">
        <div>
          <h1 id="admin-orgs-title">Organisations</h1>
          <p className="muted">Every organisation on the platform, newest first.</p>
        </div>
      </div>
      {orgs.isPending && <Loading label="Loading organisations…" />}
      {orgs.error && <ErrorNote error={orgs.error} onRetry={() => void orgs.refetch()} />}
      {orgs.data && rows.length === 0 && <Empty title="No organisations yet" />}
      {rows.length > 0 && (
        <div className="table-wrap card flush">
          <table className="responsive admin-table">
            <caption className="sr-only">Organisations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col" className="num">
                  Projects
                </th>
                <th scope="col" className="num">
                  Jobs
                </th>
                <th scope="col">Created</th>
                <th scope="col" className="num">
                  Price / second
                </th>
                <th scope="col" className="num">
                  Tester share
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((org) => (
                <tr key={org.id}>
                  <th scope="row" data-label="Name">
                    {org.name}
                  </th>
                  <td data-label="Slug">{org.slug}</td>
                  <td data-label="Members" className="num">
                    {org.memberCount}
                  </td>
                  <td data-label="Projects" className="num">
                    {org.projectCount}
                  </td>
                  <td data-label="Jobs" className="num">
                    {org.jobCount}
                  </td>
                  <td data-label="Created">
                    <span title={formatDateTime(org.createdAt)}>{formatShortDateTime(org.createdAt)}</span>
                  </td>
                  <td data-label="Price / second" className="num">
                    ${org.pricing.usdPerSecond}
                    {org.pricing.rateOverrideMicrosPerSecond === null && (
                      <span className="muted small-text"> (default)</span>
                    )}
                  </td>
                  <td data-label="Tester share" className="num">
                    {shareText(org.pricing.testerShareBps)}
                  </td>
                  <td data-label="Actions">
                    <button
                      type="button"
                      aria-label={`Edit pricing of ${org.name}`}
                      onClick={() => {
                        setEditing(org);
                      }}
                    >
                      Edit pricing
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={orgs} />
      {editing && (
        <PricingDialog
          key={editing.id}
          org={editing}
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}
