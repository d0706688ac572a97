// buildOpenApiDocument: the OpenAPI 3.1 document of /api, generated from the operations table and its zod schemas.
import { z } from "zod";

import {
  ERROR_RESPONSES,
  type ErrorStatus,
  type HttpMethod,
  OPERATIONS,
  type OperationSpec,
  REQUEST_COMPONENTS,
  RESPONSE_COMPONENTS,
  TAGS,
} from "./operations";

export const OPENAPI_VERSION = "3.1.0";
export const API_VERSION = "1.0.0";

/** A JSON Schema (2020-12) object as it appears in the document. */
export type JsonSchema = { [key: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiReference {
  $ref: string;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: (OpenApiParameter | OpenApiReference)[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
}

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    parameters: Record<string, OpenApiParameter>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

export interface OpenApiOptions {
  /** The base URL of the API, e.g. `https://eyeball.example.com/api` (default `/api`). */
  serverUrl?: string;
  version?: string;
}

const SCHEMA_REF = "#/components/schemas/";
export const BEARER_SCHEME = "apiKey";

const DESCRIPTION = [
  "Eyeball is a self-hostable marketplace for human QA testing: you describe a test, real people run it, ",
  "and you get structured results.",
  "",
  "Three API dialects share one backend: run(human)-compatible (`/jobs`, `/job/{jobId}`, `/run`), ",
  "TesterArmy-compatible (`/v1/runs`) and Instahuman (`/jobs`, `/owner/...`, `/projects`).",
  "",
  "Authenticate with an API key as a Bearer token: `Authorization: Bearer eb_live_…` (real testers, real ",
  'credit) or `eb_test_…` (sandbox). Errors answer `{"error", "message"}`; lists answer `{data, next}` ',
  "cursor pages. Create endpoints accept an `Idempotency-Key` header: a retry with the same key replays the ",
  "first successful answer.",
].join("\n");

/** Converts named zod schemas to JSON Schema 2020-12; references between them become component $refs. */
function convertComponents(
  components: Record<string, z.ZodType>,
  io: "input" | "output",
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    uri: (id) => `${SCHEMA_REF}${id}`,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

/** One inline schema (query parameters), without the `$schema` marker. */
function convertInline(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** `/jobs/:id/testers/:testerId` → `/jobs/{id}/testers/{testerId}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function pathParameterNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? "");
}

function queryParameters(query: z.ZodObject): OpenApiParameter[] {
  const schema = convertInline(query);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: property,
  }));
}

const json = (schema: JsonSchema): Record<string, OpenApiMediaType> => ({ "application/json": { schema } });
const ref = (name: string): JsonSchema => ({ $ref: `${SCHEMA_REF}${name}` });

/** The error statuses an operation answers besides its own responses. */
export function errorStatusesOf(spec: OperationSpec): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(spec.errors ?? []);
  if (spec.auth !== false) {
    statuses.add(401);
    statuses.add(429);
  }
  if (spec.body !== undefined) {
    statuses.add(400);
    statuses.add(413);
  }
  if (spec.query !== undefined) statuses.add(400);
  if (pathParameterNames(spec.path).length > 0) {
    statuses.add(403);
    statuses.add(404);
  }
  return [...statuses].sort((a, b) => a - b);
}

function operationOf(spec: OperationSpec): OpenApiOperation {
  const parameters: (OpenApiParameter | OpenApiReference)[] = [
    ...pathParameterNames(spec.path).map((name): OpenApiParameter => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...(spec.query ? queryParameters(spec.query) : []),
    ...(spec.idempotent ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
  ];
  const responses: Record<string, OpenApiResponse | OpenApiReference> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema
        ? {
            content:
              response.contentType === undefined
                ? json(ref(response.schema))
                : { [response.contentType]: { schema: ref(response.schema) } },
          }
        : {}),
    };
  }
  for (const status of errorStatusesOf(spec)) {
    responses[String(status)] ??= { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  }
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.auth === false ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: json(ref(spec.body)) } } : {}),
    responses: sorted,
  };
}

/** The OpenAPI 3.1 document of every endpoint under /api. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const paths: Record<string, OpenApiPathItem> = {};
  for (const spec of OPERATIONS) {
    const item = (paths[toOpenApiPath(spec.path)] ??= {});
    item[spec.method] = operationOf(spec);
  }
  const errorResponses: Record<string, OpenApiResponse> = {};
  for (const { name, description } of Object.values(ERROR_RESPONSES)) {
    errorResponses[name] = { description, content: json(ref("Error")) };
  }
  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: { title: "Eyeball", version: options.version ?? API_VERSION, description: DESCRIPTION },
    servers: [{ url: options.serverUrl ?? "/api", description: "This Eyeball server" }],
    security: [{ [BEARER_SCHEME]: [] }],
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      schemas: {
        ...convertComponents(REQUEST_COMPONENTS, "input"),
        ...convertComponents(RESPONSE_COMPONENTS, "output"),
      },
      responses: errorResponses,
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "A unique key per logical request: a retry with the same key replays the first 2xx answer.",
          schema: { type: "string", maxLength: 255 },
        },
      },
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "eb_live_… or eb_test_…",
          description:
            "An API key from the portal. `eb_live_` keys use real testers and credit; `eb_test_` keys use the sandbox.",
        },
      },
    },
  };
}
