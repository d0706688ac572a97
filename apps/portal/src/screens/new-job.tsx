// New job: every jobs.create field (run(human) parameters and Eyeball extras), an output-schema builder, a viewport preview and the up-front hold.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { type ReactNode, type SyntheticEvent, useId, useRef, useState } from "react";

import { MAX_TESTER_COUNT, SCREEN_BOUNDS, SCREEN_PRESET_NAMES, TARGET_DURATION_MINUTES } from "@eyeball/core";

import { errorMessage } from "../api";
import { formatUsd, humanize } from "../format";
import {
  checkJobForm,
  type CredentialRow,
  estimateCost,
  type FieldErrors,
  initialJobForm,
  type JobFormState,
  type JobMode,
  type ScreenChoice,
  screenOf,
  serverFieldErrors,
  toCreateCall,
  toggleFilter,
} from "../job-form";
import { Link, useRouter } from "../router";
import {
  buildOutputSchema,
  moveRow,
  newRow,
  OUTPUT_FIELD_TYPES,
  type OutputFieldType,
  removeRow,
  rowLabel,
  type SchemaRow,
} from "../schema-builder";
import { useApi } from "../session";
import { useTitle } from "../use-title";
import "./targeting.css";

let credentialCounter = 0;

export function NewJobScreen() {
  useTitle("New job");
  const api = useApi();
  const { navigate, search } = useRouter();
  const queryClient = useQueryClient();
  // `?projectId=` (the project page's "New job in this project") preselects the project.
  const [form, setForm] = useState<JobFormState>(() => ({
    ...initialJobForm(),
    projectId: search.get("projectId") ?? "",
  }));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const inFlight = useRef(false);

  const projects = useInfiniteQuery({
    queryKey: ["projects", false],
    queryFn: ({ pageParam }) =>
      api.projects.list.query({ cursor: pageParam, limit: 50, includeArchived: false }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const projectList = projects.data?.pages.flatMap((page) => page.data) ?? [];

  const check = checkJobForm(form);
  const cost = estimateCost(form);
  const create = useMutation({
    mutationFn: () => api.jobs.create.mutate(toCreateCall(form, check.input)),
    onSuccess: async (job) => {
      await queryClient.invalidateQueries({ queryKey: ["jobs"] });
      navigate(`/jobs/${job.id}`);
    },
    onError: (error) => {
      inFlight.current = false;
      const code =
        error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
      setServerErrors(code === "BAD_REQUEST" ? serverFieldErrors(error.message) : {});
    },
  });

  const update = (patch: Partial<JobFormState>) => {
    setForm((current) => ({ ...current, ...patch }));
    setServerErrors({});
  };
  const shown = submitted ? check.errors : {};
  const errorFor = (path: string): string | undefined => serverErrors[path] ?? shown[path];
  const schemaErrors = submitted ? check.schema : buildOutputSchema([]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!check.ok || inFlight.current || create.isPending) {
      if (!check.ok) {
        window.requestAnimationFrame(() => {
          document.querySelector<HTMLElement>("#new-job [aria-invalid='true']")?.focus();
        });
      }
      return;
    }
    inFlight.current = true;
    create.mutate();
  }

  const errorCount = Object.keys(shown).length + (submitted ? check.schema.messages.length : 0);
  const unplacedServer = create.error && Object.keys(serverErrors).length === 0;

  return (
    <section aria-labelledby="new-job-title" className="new-job">
      <div className="page-head">
        <div>
          <p className="small-text back-link">
            <Link to="/jobs">← Jobs</Link>
          </p>
          <h1 id="new-job-title">New job</h1>
          <p className="muted">Ask real people to try a page and report back in the shape you define.</p>
        </div>
      </div>

      <form id="new-job" className="new-job-form" noValidate onSubmit={submit} aria-describedby="form-status">
        <ModeSection mode={form.mode} update={update} />
        <fieldset className="card form-section">
          <legend>What to test</legend>
          <Field
            label="URL"
            path="url"
            error={errorFor("url")}
            hint="An absolute http:// or https:// address."
          >
            {(props) => (
              <input
                {...props}
                name="url"
                type="url"
                inputMode="url"
                autoComplete="url"
                placeholder="https://example.com/checkout"
                required
                value={form.url}
                onChange={(e) => {
                  update({ url: e.target.value });
                }}
              />
            )}
          </Field>
          <Field label="Title" optional path="title" error={errorFor("title")}>
            {(props) => (
              <input
                {...props}
                name="title"
                value={form.title}
                onChange={(e) => {
                  update({ title: e.target.value });
                }}
              />
            )}
          </Field>
          <Field
            label="Instructions for the tester"
            path="description"
            error={errorFor("description")}
            hint="What to do and what to look for. This is the job's description."
          >
            {(props) => (
              <textarea
                {...props}
                name="description"
                rows={5}
                required
                value={form.description}
                onChange={(e) => {
                  update({ description: e.target.value });
                }}
              />
            )}
          </Field>
          <Field
            label="Additional validation instructions"
            optional
            path="additionalValidationInstructions"
            error={errorFor("additionalValidationInstructions")}
            hint="How a response is judged complete, for the reviewer."
          >
            {(props) => (
              <textarea
                {...props}
                name="additionalValidationInstructions"
                rows={3}
                value={form.additionalValidationInstructions}
                onChange={(e) => {
                  update({ additionalValidationInstructions: e.target.value });
                }}
              />
            )}
          </Field>
        </fieldset>

        <TargetingSection form={form} update={update} errorFor={errorFor} projects={projectList} />

        <ScreenSection form={form} update={update} errorFor={errorFor} />

        <fieldset className="card form-section">
          <legend>Time and testers</legend>
          <div className="form-grid">
            <Field
              label="Target duration (minutes)"
              path="targetDurationMinutes"
              error={errorFor("targetDurationMinutes")}
              hint={`${TARGET_DURATION_MINUTES.min}–${TARGET_DURATION_MINUTES.max} minutes per tester.`}
            >
              {(props) => (
                <input
                  {...props}
                  name="targetDurationMinutes"
                  type="number"
                  inputMode="numeric"
                  min={TARGET_DURATION_MINUTES.min}
                  max={TARGET_DURATION_MINUTES.max}
                  value={form.targetDurationMinutes}
                  onChange={(e) => {
                    update({ targetDurationMinutes: e.target.value });
                  }}
                />
              )}
            </Field>
            <Field
              label="Number of testers"
              path="testerCount"
              error={errorFor("testerCount")}
              hint={`1–${MAX_TESTER_COUNT}.`}
            >
              {(props) => (
                <input
                  {...props}
                  name="testerCount"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_TESTER_COUNT}
                  value={form.testerCount}
                  onChange={(e) => {
                    update({ testerCount: e.target.value });
                  }}
                />
              )}
            </Field>
          </div>
          <label className="check">
            <input
              type="checkbox"
              name="allowDurationExtension"
              checked={form.allowDurationExtension}
              onChange={(e) => {
                update({ allowDurationExtension: e.target.checked });
              }}
            />
            Allow testers to ask for more time
          </label>
          {form.allowDurationExtension && (
            <Field
              label="Max extension (minutes)"
              optional
              path="maxExtensionMinutes"
              error={errorFor("maxExtensionMinutes")}
              hint="Leave empty for unlimited extensions (each is held when granted)."
            >
              {(props) => (
                <input
                  {...props}
                  name="maxExtensionMinutes"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={form.maxExtensionMinutes}
                  onChange={(e) => {
                    update({ maxExtensionMinutes: e.target.value });
                  }}
                />
              )}
            </Field>
          )}
          <label className="check">
            <input
              type="checkbox"
              name="allowSlotReopen"
              checked={form.allowSlotReopen}
              onChange={(e) => {
                update({ allowSlotReopen: e.target.checked });
              }}
            />
            Reopen a tester’s slot if they abandon it
          </label>
          {form.mode === "live" ? (
            <CostBox form={form} cost={cost} />
          ) : (
            <p className="muted small-text cost-box" data-testid="cost-estimate">
              Test job: free. The simulated tester answers in seconds and nothing is taken from your live
              credit.
            </p>
          )}
        </fieldset>

        <SchemaSection
          rows={form.schemaRows}
          onChange={(schemaRows) => {
            update({ schemaRows });
          }}
          errors={schemaErrors}
          serverError={Object.entries(serverErrors).find(([path]) => path.startsWith("outputSchema"))}
        />

        <CredentialsSection form={form} update={update} errorFor={errorFor} />

        <fieldset className="card form-section">
          <legend>Integrations</legend>
          <Field
            label="Webhook URL"
            optional
            path="webhookUrl"
            error={errorFor("webhookUrl")}
            hint="Eyeball posts the job's events here."
          >
            {(props) => (
              <input
                {...props}
                name="webhookUrl"
                type="url"
                inputMode="url"
                value={form.webhookUrl}
                onChange={(e) => {
                  update({ webhookUrl: e.target.value });
                }}
              />
            )}
          </Field>
          <Field
            label="GitHub repository"
            optional
            path="repoName"
            error={errorFor("repoName")}
            hint="owner/repo"
          >
            {(props) => (
              <input
                {...props}
                name="repoName"
                placeholder="acme/storefront"
                value={form.repoName}
                onChange={(e) => {
                  update({ repoName: e.target.value });
                }}
              />
            )}
          </Field>
          <label className="check">
            <input
              type="checkbox"
              name="canCreateGithubIssues"
              checked={form.canCreateGithubIssues}
              aria-invalid={errorFor("canCreateGithubIssues") ? true : undefined}
              aria-describedby={errorFor("canCreateGithubIssues") ? "err-canCreateGithubIssues" : undefined}
              onChange={(e) => {
                update({ canCreateGithubIssues: e.target.checked });
              }}
            />
            Let testers file GitHub issues in that repository
          </label>
          {errorFor("canCreateGithubIssues") && (
            <span className="field-error" id="err-canCreateGithubIssues">
              {errorFor("canCreateGithubIssues")}
            </span>
          )}
        </fieldset>

        <div className="submit-bar card">
          <div id="form-status" className="min0" aria-live="polite">
            {submitted && errorCount > 0 && (
              <p className="error" role="alert">
                {errorCount === 1 ? "1 field needs attention." : `${errorCount} fields need attention.`}
              </p>
            )}
            {create.error && (
              <div className="notice danger" role="alert">
                <p>
                  {unplacedServer
                    ? errorMessage(create.error)
                    : `The server refused the job: ${errorMessage(create.error)}`}
                </p>
                {create.error instanceof TRPCClientError &&
                  (create.error.data as { code?: string } | undefined)?.code === "PAYMENT_REQUIRED" && (
                    <p className="small-text">
                      Live jobs hold their maximum cost from your live credit. Add credit, or choose Test to
                      try it free with the simulated tester.
                    </p>
                  )}
              </div>
            )}
            {cost && form.mode === "live" && (
              <p className="muted small-text">
                Holds up to <span className="money">{formatUsd(cost.holdMicros)}</span> of live credit.
              </p>
            )}
          </div>
          <button type="submit" className="primary" disabled={create.isPending || create.isSuccess}>
            {create.isPending || create.isSuccess ? "Creating…" : "Create job"}
          </button>
        </div>
      </form>
    </section>
  );
}

interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** Who the job is for: its project (and so the project's tester pool), category and participant filters. */
function TargetingSection({
  form,
  update,
  errorFor,
  projects,
}: {
  form: JobFormState;
  update: (patch: Partial<JobFormState>) => void;
  errorFor: (path: string) => string | undefined;
  projects: readonly { id: string; name: string }[];
}) {
  const api = useApi();
  const categories = useQuery({
    queryKey: ["catalogs", "categories"],
    queryFn: () => api.catalogs.list.query({ kind: "categories", limit: 100 }),
    staleTime: Infinity,
  });
  const filters = useQuery({
    queryKey: ["catalogs", "filters"],
    queryFn: () => api.catalogs.list.query({ kind: "filters", limit: 100 }),
    staleTime: Infinity,
  });
  const filtersError = errorFor("participantFilterIds");
  const filtersId = useId();
  return (
    <fieldset className="card form-section">
      <legend>Targeting</legend>
      <div className="form-grid">
        <Field
          label="Project"
          optional
          path="projectId"
          error={errorFor("projectId")}
          hint="Testers blocked in the project never see the job; if the project has a pool, only its testers do."
        >
          {(props) => (
            <select
              {...props}
              name="projectId"
              value={form.projectId}
              onChange={(e) => {
                update({ projectId: e.target.value });
              }}
            >
              <option value="">No project</option>
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Category" optional path="categoryId" error={errorFor("categoryId")}>
          {(props) => (
            <select
              {...props}
              name="categoryId"
              value={form.categoryId}
              disabled={categories.isPending}
              onChange={(e) => {
                update({ categoryId: e.target.value });
              }}
            >
              <option value="">{categories.isPending ? "Loading categories…" : "No category"}</option>
              {categories.data?.data.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {categories.error && (
        <p className="notice danger">Categories could not be loaded: {errorMessage(categories.error)}</p>
      )}
      <fieldset
        className={`filter-group${filtersError ? " invalid" : ""}`}
        aria-describedby={`${filtersId}-hint${filtersError ? ` ${filtersId}-error` : ""}`}
      >
        <legend>
          Participant filters <span className="muted">(optional)</span>
        </legend>
        <p className="field-hint" id={`${filtersId}-hint`}>
          Recorded with the job and shown on it. Who may claim is decided by the project pool; filters do not
          narrow it yet.
        </p>
        {filters.isPending && <p className="muted">Loading filters…</p>}
        {filters.error && (
          <p className="notice danger">Filters could not be loaded: {errorMessage(filters.error)}</p>
        )}
        {filters.data && filters.data.data.length === 0 && (
          <p className="muted">No participant filters defined.</p>
        )}
        {filters.data && filters.data.data.length > 0 && (
          <ul className="filter-list" role="list">
            {filters.data.data.map((filter) => (
              <li key={filter.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    name="participantFilterIds"
                    value={filter.id}
                    checked={form.participantFilterIds.includes(filter.id)}
                    onChange={(e) => {
                      update({
                        participantFilterIds: toggleFilter(
                          form.participantFilterIds,
                          filter.id,
                          e.target.checked,
                        ),
                      });
                    }}
                  />
                  <span>
                    {filter.name}
                    {filter.description && <span className="muted small-text"> — {filter.description}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {filtersError && (
          <p className="field-error" id={`${filtersId}-error`}>
            Participant filters {filtersError}
          </p>
        )}
      </fieldset>
    </fieldset>
  );
}

function Field({
  label,
  path,
  error,
  hint,
  optional,
  children,
}: {
  label: string;
  path: string;
  error: string | undefined;
  hint?: string;
  optional?: boolean;
  children: (props: ControlProps) => ReactNode;
}) {
  const base = useId();
  const id = `${base}-${path}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>
        {label} {optional && <span className="muted">(optional)</span>}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {label} {error}
        </span>
      )}
    </div>
  );
}

type SectionProps = {
  form: JobFormState;
  update: (patch: Partial<JobFormState>) => void;
  errorFor: (path: string) => string | undefined;
};

function ScreenSection({ form, update, errorFor }: SectionProps) {
  const screen = screenOf(form);
  const valid =
    Number.isFinite(screen.width) && Number.isFinite(screen.height) && screen.width > 0 && screen.height > 0;
  const scale = valid ? Math.min(220 / screen.width, 140 / screen.height) : 0;
  const choices: ScreenChoice[] = [...SCREEN_PRESET_NAMES, "custom"];
  return (
    <fieldset className="card form-section">
      <legend>Screen size</legend>
      <div className="screen-layout">
        <div className="min0">
          <div className="screen-choices" role="radiogroup" aria-label="Screen size preset">
            {choices.map((choice) => {
              const size = choice === "custom" ? null : screenOf({ ...form, screen: choice });
              return (
                <label key={choice} className={`screen-choice${form.screen === choice ? " on" : ""}`}>
                  <input
                    type="radio"
                    name="screen"
                    value={choice}
                    checked={form.screen === choice}
                    onChange={() => {
                      update({ screen: choice });
                    }}
                  />
                  <span>
                    {humanize(choice)}
                    <span className="muted small-text">
                      {size ? ` ${size.width}×${size.height}` : " width×height"}
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
          {form.screen === "custom" && (
            <div className="form-grid">
              <Field
                label="Width (px)"
                path="screenSize.width"
                error={errorFor("screenSize.width") ?? errorFor("screenSize")}
                hint={`${SCREEN_BOUNDS.width.min}–${SCREEN_BOUNDS.width.max}`}
              >
                {(props) => (
                  <input
                    {...props}
                    name="customWidth"
                    type="number"
                    inputMode="numeric"
                    value={form.customWidth}
                    onChange={(e) => {
                      update({ customWidth: e.target.value });
                    }}
                  />
                )}
              </Field>
              <Field
                label="Height (px)"
                path="screenSize.height"
                error={errorFor("screenSize.height")}
                hint={`${SCREEN_BOUNDS.height.min}–${SCREEN_BOUNDS.height.max}`}
              >
                {(props) => (
                  <input
                    {...props}
                    name="customHeight"
                    type="number"
                    inputMode="numeric"
                    value={form.customHeight}
                    onChange={(e) => {
                      update({ customHeight: e.target.value });
                    }}
                  />
                )}
              </Field>
            </div>
          )}
        </div>
        <figure className="screen-preview" aria-label="Screen preview" data-testid="screen-preview">
          <div className="screen-stage">
            {valid && (
              <div
                className="screen-rect"
                style={{
                  width: `${Math.round(screen.width * scale)}px`,
                  height: `${Math.round(screen.height * scale)}px`,
                }}
              />
            )}
          </div>
          <figcaption>
            <strong>{humanize(screen.preset)}</strong>{" "}
            {valid ? `${screen.width}×${screen.height}` : "enter a width and height"}
          </figcaption>
        </figure>
      </div>
    </fieldset>
  );
}

const MODE_CHOICES: readonly { mode: JobMode; label: string; detail: string }[] = [
  { mode: "test", label: "Test", detail: "a simulated tester answers in seconds, free" },
  { mode: "live", label: "Live", detail: "real testers, billed to your live credit" },
];

function ModeSection({ mode, update }: { mode: JobMode; update: (patch: Partial<JobFormState>) => void }) {
  return (
    <fieldset className="card form-section mode-note">
      <legend>Mode</legend>
      <div className="screen-choices" role="radiogroup" aria-label="Mode">
        {MODE_CHOICES.map((choice) => (
          <label key={choice.mode} className={`screen-choice${mode === choice.mode ? " on" : ""}`}>
            <input
              type="radio"
              name="mode"
              value={choice.mode}
              checked={mode === choice.mode}
              onChange={() => {
                update({ mode: choice.mode });
              }}
            />
            <span>
              <strong>{choice.label}</strong> — {choice.detail}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function CostBox({ form, cost }: { form: JobFormState; cost: ReturnType<typeof estimateCost> }) {
  if (!cost)
    return (
      <p className="muted small-text cost-box">
        Enter a valid duration and tester count for a cost estimate.
      </p>
    );
  return (
    <div className="cost-box" data-testid="cost-estimate">
      <p>
        Up-front hold: <span className="money">{formatUsd(cost.holdMicros)}</span>
      </p>
      <p className="muted small-text">
        {cost.holdMinutesPerTester} min × {form.testerCount} tester
        {form.testerCount.trim() === "1" ? "" : "s"} at the standard rate of {formatUsd(1800)}/s (
        {formatUsd(cost.perTesterMicros)} per tester). You are billed per second actually worked; the rest is
        released.
        {cost.unlimitedExtensions && " Extensions are unlimited, so each one is held when granted."}
      </p>
    </div>
  );
}

function SchemaSection({
  rows,
  onChange,
  errors,
  serverError,
}: {
  rows: SchemaRow[];
  onChange: (rows: SchemaRow[]) => void;
  errors: ReturnType<typeof buildOutputSchema>;
  serverError: [string, string] | undefined;
}) {
  const set = (index: number, patch: Partial<SchemaRow>) => {
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };
  const preview = JSON.stringify(buildOutputSchema(rows).schema ?? {}, null, 2);
  return (
    <fieldset className="card form-section">
      <legend>Output schema</legend>
      <p className="muted small-text">
        The fields each tester’s response is turned into. Leave empty to get the free-text response only.
      </p>
      {errors.schemaError && <p className="field-error">Output schema {errors.schemaError}</p>}
      {serverError && (
        <p className="field-error">
          {serverError[0]}: {serverError[1]}
        </p>
      )}
      <ol className="schema-rows" aria-label="Output fields">
        {rows.map((row, index) => (
          <SchemaRowEditor
            key={row.id}
            row={row}
            index={index}
            count={rows.length}
            errors={errors.rowErrors[index]}
            onChange={(patch) => {
              set(index, patch);
            }}
            onMove={(delta) => {
              onChange(moveRow(rows, index, delta));
            }}
            onRemove={() => {
              onChange(removeRow(rows, index));
            }}
          />
        ))}
      </ol>
      <button
        type="button"
        onClick={() => {
          onChange([...rows, newRow()]);
        }}
      >
        + Add field
      </button>
      <details className="schema-preview" open={rows.length > 0}>
        <summary>JSON preview</summary>
        <pre className="snippet" data-testid="schema-preview">
          {preview}
        </pre>
      </details>
    </fieldset>
  );
}

function SchemaRowEditor({
  row,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  row: SchemaRow;
  index: number;
  count: number;
  errors: ReturnType<typeof buildOutputSchema>["rowErrors"][number] | undefined;
  onChange: (patch: Partial<SchemaRow>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const label = rowLabel(row, index);
  const id = `schema-${row.id}`;
  const control = (key: "name" | "type" | "description" | "example") => ({
    id: `${id}-${key}`,
    "aria-invalid": errors?.[key] ? (true as const) : undefined,
    "aria-describedby": errors?.[key] ? `${id}-${key}-error` : undefined,
  });
  const error = (key: "name" | "type" | "description" | "example", name: string) =>
    errors?.[key] ? (
      <span className="field-error" id={`${id}-${key}-error`}>
        {label}: {name} {errors[key]}
      </span>
    ) : null;
  return (
    <li className="schema-row">
      <fieldset>
        <legend className="sr-only">Field {index + 1}</legend>
        <div className="schema-row-grid">
          <div className="field">
            <label htmlFor={`${id}-name`}>Field {index + 1} name</label>
            <input
              {...control("name")}
              value={row.name}
              spellCheck={false}
              autoCapitalize="off"
              placeholder="checkoutWorks"
              onChange={(e) => {
                onChange({ name: e.target.value });
              }}
            />
            {error("name", "name")}
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>Field {index + 1} type</label>
            <select
              {...control("type")}
              value={row.type}
              onChange={(e) => {
                onChange({ type: e.target.value as OutputFieldType });
              }}
            >
              {OUTPUT_FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
            {error("type", "type")}
          </div>
          <div className="field wide">
            <label htmlFor={`${id}-description`}>Field {index + 1} description</label>
            <input
              {...control("description")}
              value={row.description}
              placeholder="Whether the checkout completes"
              onChange={(e) => {
                onChange({ description: e.target.value });
              }}
            />
            {error("description", "description")}
          </div>
          <div className="field wide">
            <label htmlFor={`${id}-example`}>
              Field {index + 1} example <span className="muted">(optional)</span>
            </label>
            <input
              {...control("example")}
              value={row.example}
              spellCheck={false}
              placeholder={
                row.type === "string"
                  ? "$12.00"
                  : row.type === "boolean"
                    ? "true"
                    : row.type === "number"
                      ? "42"
                      : row.type === "array"
                        ? '["a"]'
                        : '{"k": 1}'
              }
              onChange={(e) => {
                onChange({ example: e.target.value });
              }}
            />
            {error("example", "example")}
          </div>
        </div>
        <div className="schema-row-actions">
          <button
            type="button"
            className="small"
            disabled={index === 0}
            aria-label={`Move ${label} up`}
            onClick={() => {
              onMove(-1);
            }}
          >
            ↑
          </button>
          <button
            type="button"
            className="small"
            disabled={index === count - 1}
            aria-label={`Move ${label} down`}
            onClick={() => {
              onMove(1);
            }}
          >
            ↓
          </button>
          <button type="button" className="small danger" aria-label={`Remove ${label}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function CredentialsSection({ form, update, errorFor }: SectionProps) {
  const set = (index: number, patch: Partial<CredentialRow>) => {
    update({ credentials: form.credentials.map((c, i) => (i === index ? { ...c, ...patch } : c)) });
  };
  return (
    <fieldset className="card form-section">
      <legend>Site credentials</legend>
      <p className="muted small-text">
        Logins the tester may use on the site. Stored encrypted, shown only to the tester.
      </p>
      {errorFor("credentials") && <p className="field-error">Credentials {errorFor("credentials")}</p>}
      {form.credentials.map((credential, index) => (
        <div className="form-grid credential" key={credential.id}>
          <Field
            label={`Login ${index + 1} username`}
            path={`credentials.${index}.username`}
            error={errorFor(`credentials.${index}.username`)}
          >
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                value={credential.username}
                onChange={(e) => {
                  set(index, { username: e.target.value });
                }}
              />
            )}
          </Field>
          <Field
            label={`Login ${index + 1} password`}
            path={`credentials.${index}.password`}
            error={errorFor(`credentials.${index}.password`)}
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="new-password"
                value={credential.password}
                onChange={(e) => {
                  set(index, { password: e.target.value });
                }}
              />
            )}
          </Field>
          <button
            type="button"
            className="small danger"
            aria-label={`Remove login ${index + 1}`}
            onClick={() => {
              update({ credentials: form.credentials.filter((_, i) => i !== index) });
            }}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          credentialCounter += 1;
          update({
            credentials: [
              ...form.credentials,
              { id: `cred-${credentialCounter}`, username: "", password: "" },
            ],
          });
        }}
      >
        + Add login
      </button>
    </fieldset>
  );
}
