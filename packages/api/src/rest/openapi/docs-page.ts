// renderDocsPage: a self-contained HTML reference (no scripts, no CDN) rendered from the OpenAPI document.
import {
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiReference,
  type OpenApiResponse,
} from "./document";
import { type HttpMethod } from "./operations";

const METHODS: readonly HttpMethod[] = ["get", "post", "patch", "delete"];

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Paragraphs with `code` spans: the only markdown the document's descriptions use. */
function prose(text: string | undefined): string {
  if (!text) return "";
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("\n");
}

/** Sentences joined with ". ", without doubling a sentence's own period. */
function sentences(parts: readonly string[]): string {
  return parts
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/\.\s*$/, ""))
    .join(". ");
}

function isReference(value: unknown): value is OpenApiReference {
  return (
    typeof value === "object" && value !== null && typeof (value as { $ref?: unknown }).$ref === "string"
  );
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

function schemaAnchor(name: string): string {
  return `schema-${name}`;
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === "object" && value !== null ? (value as JsonSchema) : {};
}

/** A short type label: `string`, `integer | null`, `array of Project`, a link for a $ref. */
export function typeLabel(schema: JsonSchema): string {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return `<a href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(" | ");
  }
  const variants = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : null;
  if (variants) return variants.map((variant) => typeLabel(asSchema(variant))).join(" | ");
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : typeof schema.type === "string"
      ? [schema.type]
      : [];
  if (types.includes("array")) {
    const rest = types.filter((type) => type !== "array").map(escapeHtml);
    return [`array of ${typeLabel(asSchema(schema.items))}`, ...rest].join(" | ");
  }
  if (
    types.includes("object") &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === "object"
  ) {
    return `map of ${typeLabel(asSchema(schema.additionalProperties))}`;
  }
  if (types.length > 0) return types.map(escapeHtml).join(" | ");
  return "any";
}

const CONSTRAINTS: readonly [key: string, label: string][] = [
  ["minimum", "min"],
  ["maximum", "max"],
  ["minLength", "min length"],
  ["maxLength", "max length"],
  ["minItems", "min items"],
  ["maxItems", "max items"],
  ["pattern", "pattern"],
  ["format", "format"],
  ["default", "default"],
];

/** Description, limits and default of a property, as HTML. */
function details(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.description === "string") parts.push(escapeHtml(schema.description));
  const limits = CONSTRAINTS.filter(
    ([key]) => schema[key] !== undefined && schema[key] !== Number.MAX_SAFE_INTEGER,
  )
    .map(([key, label]) => `${label} <code>${escapeHtml(JSON.stringify(schema[key]))}</code>`)
    .join(", ");
  if (limits) parts.push(limits);
  if (Array.isArray(schema.anyOf)) {
    const nested = schema.anyOf.map((variant) => details(asSchema(variant))).filter(Boolean);
    if (nested.length > 0) parts.push(nested.join("; "));
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    parts.push(`e.g. <code>${escapeHtml(JSON.stringify(schema.examples[0]))}</code>`);
  }
  return sentences(parts);
}

/** An object schema's properties as a table; nested objects get their own rows (`a.b`). */
function propertyRows(schema: JsonSchema, prefix = "", depth = 0): string[] {
  const properties = asSchema(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows: string[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const property = asSchema(raw);
    const label = `${prefix}${name}`;
    rows.push(
      `<tr><th scope="row"><code>${escapeHtml(label)}</code></th><td>${typeLabel(property)}</td>` +
        `<td>${required.has(name) ? "required" : "optional"}</td><td>${details(property)}</td></tr>`,
    );
    const nested = property.type === "array" ? asSchema(property.items) : property;
    if (depth < 3 && nested.properties) {
      rows.push(...propertyRows(nested, `${label}${property.type === "array" ? "[]" : ""}.`, depth + 1));
    }
  }
  return rows;
}

function schemaBlock(schema: JsonSchema, caption: string): string {
  if (typeof schema.$ref === "string") {
    return `<p>${escapeHtml(caption)}: ${typeLabel(schema)}</p>`;
  }
  const rows = propertyRows(schema);
  const table =
    rows.length > 0
      ? `<table><caption>${escapeHtml(caption)}</caption><thead><tr><th scope="col">Field</th>` +
        `<th scope="col">Type</th><th scope="col">Presence</th><th scope="col">Details</th></tr></thead>` +
        `<tbody>${rows.join("")}</tbody></table>`
      : `<p>${escapeHtml(caption)}: ${typeLabel(schema)}</p>`;
  const extra =
    schema.additionalProperties === false ? '<p class="note">No other fields are accepted.</p>' : "";
  return `${table}${extra}<details><summary>JSON Schema</summary><pre><code>${escapeHtml(
    JSON.stringify(schema, null, 2),
  )}</code></pre></details>`;
}

function resolveParameter(
  doc: OpenApiDocument,
  parameter: OpenApiParameter | OpenApiReference,
): OpenApiParameter {
  if (!isReference(parameter)) return parameter;
  const found = doc.components.parameters[refName(parameter.$ref)];
  if (!found) throw new Error(`Unresolved parameter ${parameter.$ref}`);
  return found;
}

function resolveResponse(
  doc: OpenApiDocument,
  response: OpenApiResponse | OpenApiReference,
): OpenApiResponse {
  if (!isReference(response)) return response;
  const found = doc.components.responses[refName(response.$ref)];
  if (!found) throw new Error(`Unresolved response ${response.$ref}`);
  return found;
}

function parametersTable(doc: OpenApiDocument, operation: OpenApiOperation): string {
  if (!operation.parameters || operation.parameters.length === 0) return "";
  const rows = operation.parameters.map((raw) => {
    const parameter = resolveParameter(doc, raw);
    return (
      `<tr><th scope="row"><code>${escapeHtml(parameter.name)}</code></th><td>${escapeHtml(parameter.in)}</td>` +
      `<td>${typeLabel(parameter.schema)}</td><td>${parameter.required ? "required" : "optional"}</td>` +
      `<td>${sentences([escapeHtml(parameter.description ?? ""), details(parameter.schema)])}</td></tr>`
    );
  });
  return (
    `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th>` +
    `<th scope="col">Type</th><th scope="col">Presence</th><th scope="col">Details</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function responsesTable(doc: OpenApiDocument, operation: OpenApiOperation): string {
  const rows = Object.entries(operation.responses).map(([status, raw]) => {
    const response = resolveResponse(doc, raw);
    const media = response.content ? Object.values(response.content)[0] : undefined;
    const kind = status.startsWith("2") ? "ok" : "error";
    return (
      `<tr><th scope="row"><span class="status ${kind}">${escapeHtml(status)}</span></th>` +
      `<td>${prose(response.description)}</td><td>${media ? typeLabel(media.schema) : "—"}</td></tr>`
    );
  });
  return (
    `<table><caption>Responses</caption><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th>` +
    `<th scope="col">Body</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}

/** The request body's fields inline (its component resolved), with a link to the named schema. */
function requestBody(doc: OpenApiDocument, schema: JsonSchema): string {
  if (typeof schema.$ref !== "string") return schemaBlock(schema, "Request body");
  const resolved = doc.components.schemas[refName(schema.$ref)];
  if (!resolved) throw new Error(`Unresolved schema ${schema.$ref}`);
  return `<p>JSON, schema ${typeLabel(schema)}.</p>${schemaBlock(resolved, "Request body")}`;
}

function operationSection(
  doc: OpenApiDocument,
  path: string,
  method: HttpMethod,
  operation: OpenApiOperation,
): string {
  const body = operation.requestBody ? Object.values(operation.requestBody.content)[0] : undefined;
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  return `<section class="operation" id="${escapeHtml(operation.operationId)}" aria-labelledby="${escapeHtml(
    operation.operationId,
  )}-title">
<h3 id="${escapeHtml(operation.operationId)}-title"><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code> <span class="summary">${escapeHtml(operation.summary)}</span></h3>
${prose(operation.description)}
<p class="auth">${isPublic ? "Public: no API key needed." : "Requires an API key (<code>Authorization: Bearer eb_…</code>)."}</p>
${parametersTable(doc, operation)}
${body ? `<h4>Request body</h4>${requestBody(doc, body.schema)}` : ""}
${responsesTable(doc, operation)}
</section>`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#0a58ca}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:2}
header{padding:24px 32px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 4px;font-size:28px}
.layout{display:grid;grid-template-columns:260px 1fr;gap:0}
nav{border-right:1px solid var(--line);padding:16px 20px;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;font-size:14px}
nav h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:16px 0 6px}
nav ul{list-style:none;margin:0;padding:0}nav li{margin:2px 0}
nav a{text-decoration:none;color:var(--fg)}nav a:hover,nav a:focus{text-decoration:underline}
main{padding:8px 32px 48px;min-width:0}
main>section>h2{margin-top:36px;padding-bottom:6px;border-bottom:2px solid var(--line)}
.operation{border:1px solid var(--line);border-radius:8px;padding:4px 18px 12px;margin:18px 0}
.operation h3{font-size:17px;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.summary{font-weight:500;color:var(--muted)}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 4px;border-radius:4px}
.path{font-size:15px;background:none;padding:0}
.method{display:inline-block;min-width:64px;text-align:center;font:700 12px/1 ui-monospace,monospace;padding:6px 8px;border-radius:4px;color:#fff}
.method.get{background:#1a7f37}.method.post{background:#0a58ca}.method.patch{background:#8a4600}.method.delete{background:#b42318}
.nav-method{display:inline-block;width:50px;font:700 11px ui-monospace,monospace;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:12px 0;font-size:14px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
tbody th{font-weight:400;white-space:nowrap}
td p{margin:0}
.status{font:700 13px ui-monospace,monospace}.status.ok{color:#1a7f37}.status.error{color:#b42318}
.auth,.note{color:var(--muted);font-size:14px}
details{margin:6px 0 12px}summary{cursor:pointer;color:var(--accent)}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:420px}
pre code{background:none;padding:0}
@media (max-width:800px){.layout{grid-template-columns:1fr}nav{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line)}}
`;

/** The reference page: grouped by tag, every operation with parameters, body and responses, then the schemas. */
export function renderDocsPage(doc: OpenApiDocument, options: { specUrl?: string } = {}): string {
  const specUrl = options.specUrl ?? "openapi.json";
  const byTag = new Map<string, { path: string; method: HttpMethod; operation: OpenApiOperation }[]>();
  for (const tag of doc.tags) byTag.set(tag.name, []);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags[0] ?? "other";
      const list = byTag.get(tag) ?? [];
      list.push({ path, method, operation });
      byTag.set(tag, list);
    }
  }
  const tagId = (name: string) => `tag-${name.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}`;
  const nav = [...byTag.entries()]
    .filter(([, operations]) => operations.length > 0)
    .map(
      ([tag, operations]) =>
        `<h2><a href="#${tagId(tag)}">${escapeHtml(tag)}</a></h2><ul>${operations
          .map(
            ({ method, path, operation }) =>
              `<li><a href="#${escapeHtml(operation.operationId)}"><span class="nav-method">${method.toUpperCase()}</span>${escapeHtml(path)}</a></li>`,
          )
          .join("")}</ul>`,
    )
    .join("");
  const sections = [...byTag.entries()]
    .filter(([, operations]) => operations.length > 0)
    .map(([tag, operations]) => {
      const description = doc.tags.find((entry) => entry.name === tag)?.description;
      return `<section aria-labelledby="${tagId(tag)}"><h2 id="${tagId(tag)}">${escapeHtml(tag)}</h2>${prose(description)}${operations
        .map(({ path, method, operation }) => operationSection(doc, path, method, operation))
        .join("\n")}</section>`;
    })
    .join("\n");
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section class="operation" id="${schemaAnchor(name)}" aria-labelledby="${schemaAnchor(name)}-title"><h3 id="${schemaAnchor(
          name,
        )}-title"><code class="path">${escapeHtml(name)}</code></h3>${prose(
          typeof schema.description === "string" ? schema.description : undefined,
        )}${schemaBlock(schema, name)}</section>`,
    )
    .join("\n");
  const server = doc.servers[0]?.url ?? "/api";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} API reference</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#content">Skip to the reference</a>
<header>
<h1>${escapeHtml(doc.info.title)} API reference</h1>
<p>Version ${escapeHtml(doc.info.version)} · OpenAPI ${escapeHtml(doc.openapi)} · Base URL <code>${escapeHtml(server)}</code> · <a href="${escapeHtml(specUrl)}">openapi.json</a></p>
</header>
<div class="layout">
<nav aria-label="Endpoints"><h2><a href="#overview">Overview</a></h2>${nav}<h2><a href="#schemas">Schemas</a></h2></nav>
<main id="content">
<section id="overview" aria-labelledby="overview-title"><h2 id="overview-title">Overview</h2>${prose(doc.info.description)}</section>
${sections}
<section id="schemas" aria-labelledby="schemas-title"><h2 id="schemas-title">Schemas</h2>${schemas}</section>
</main>
</div>
</body>
</html>
`;
}
