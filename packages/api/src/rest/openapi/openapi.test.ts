// The OpenAPI document: valid 3.1 shape, resolvable refs, in sync with the registered routes, core's rules, served over HTTP.
import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

import { Ajv2020 } from "ajv/dist/2020";
import express, { type Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createJobRequestSchema, createRunRequestSchema } from "@eyeball/core";

import { type AppServices } from "../../app-services";
import { ManualClock } from "../../clock";
import { apiConfig } from "../../config";
import * as rest from "../index";
import { createRestRouter } from "../router";
import { type RestRouteModule } from "../toolkit";
import { buildOpenApiDocument, type JsonSchema, type OpenApiDocument, toOpenApiPath } from "./document";
import { renderDocsPage } from "./docs-page";
import { OPERATIONS } from "./operations";
import { apiServerUrl, createOpenApiRoutes } from "./openapi-routes";

const doc = buildOpenApiDocument({ serverUrl: "https://eyeball.example.com/api" });
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Services good enough to register routes (nothing is called until a request arrives). */
function stubServices(): AppServices {
  const services: Pick<AppServices, "clock" | "config"> = { clock: new ManualClock(), config: apiConfig() };
  return services as AppServices;
}

/** Any dependency bag a `create…Routes` factory may ask for: every member is an empty object (options stay unset). */
const OPTION_KEYS = new Set(["bodyLimit", "heartbeatMs"]);
const anyDeps: Record<string, object> = new Proxy(
  {},
  { get: (_target, key) => (OPTION_KEYS.has(String(key)) ? undefined : {}) },
);

type RouteFactory = (deps: Record<string, object>) => RestRouteModule;

/** Every route module the REST surface exports (`create…Routes`), so a new module is checked without edits here. */
function exportedRouteModules(): { name: string; module: RestRouteModule }[] {
  return Object.entries(rest)
    .filter(([name, value]) => /^create\w+Routes$/.test(name) && typeof value === "function")
    .map(([name, value]) => {
      const factory = value as RouteFactory;
      // Factories with only optional options (createOpenApiRoutes) are called bare, as compose does.
      return { name, module: factory.length === 0 ? factory({}) : factory(anyDeps) };
    });
}

interface RouteLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route on the /api router: built-ins plus every exported module. */
function registeredRoutes(extra: readonly RestRouteModule[] = []): string[] {
  const router: Router = createRestRouter(stubServices(), {
    rateLimit: false,
    routes: [...exportedRouteModules().map(({ module }) => module), ...extra],
  });
  const stack = (router as unknown as { stack: RouteLayer[] }).stack;
  const found: string[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, enabled] of Object.entries(layer.route.methods)) {
        if (enabled && method !== "_all") found.push(`${method.toUpperCase()} ${path}`);
      }
    }
  }
  return found.sort();
}

function documentedRoutes(document: OpenApiDocument): string[] {
  const found: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) found.push(`${method.toUpperCase()} ${path}`);
  }
  return found.sort();
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, refs);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

function resolvePointer(root: unknown, ref: string): unknown {
  expect(ref.startsWith("#/"), `${ref} is a local reference`).toBe(true);
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A validator for one component schema, with the document's components for its $refs. */
function validatorFor(name: string) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile({
    $ref: `#/components/schemas/${name}`,
    components: doc.components,
  } satisfies JsonSchema);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, servers and the bearer API-key scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe("Eyeball");
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(doc.servers).toEqual([
      { url: "https://eyeball.example.com/api", description: "This Eyeball server" },
    ]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(JSON.stringify(doc.components.securitySchemes.apiKey)).toMatch(/eb_live_.*eb_test_/);
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("gives every operation a unique id, a summary, a known tag, declared path parameters and described responses", () => {
    const tags = new Set(doc.tags.map((tag) => tag.name));
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\//);
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS).toContain(method);
        expect(ids.has(operation.operationId), operation.operationId).toBe(false);
        ids.add(operation.operationId);
        expect(operation.summary.length).toBeGreaterThan(0);
        expect(operation.tags.every((tag) => tags.has(tag))).toBe(true);
        const declared = (operation.parameters ?? [])
          .map((parameter) => ("$ref" in parameter ? resolvePointer(doc, parameter.$ref) : parameter))
          .filter(
            (parameter): parameter is { in: string; name: string } =>
              typeof parameter === "object" &&
              parameter !== null &&
              (parameter as { in?: unknown }).in === "path",
          )
          .map((parameter) => parameter.name)
          .sort();
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
        expect(declared, `${method} ${path}`).toEqual(inPath);
        const statuses = Object.keys(operation.responses);
        expect(statuses.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const status of statuses) expect(status).toMatch(/^[1-5]\d\d$/);
        expect(statuses.some((status) => status.startsWith("2") || status === "501")).toBe(true);
        for (const response of Object.values(operation.responses)) {
          const resolved = "$ref" in response ? resolvePointer(doc, response.$ref) : response;
          expect(typeof (resolved as { description?: unknown }).description).toBe("string");
        }
      }
    }
  });

  it("resolves every $ref and holds no stray shared definitions", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
    expect(Object.keys(doc.components.schemas).some((name) => name.startsWith("__"))).toBe(false);
  });

  it("has component schemas that compile as JSON Schema 2020-12", () => {
    for (const name of Object.keys(doc.components.schemas))
      expect(() => validatorFor(name), name).not.toThrow();
  });

  it("documents the main statuses: 201, 202, 200, 400, 401, 402, 403, 404, 408, 409, 413, 429", () => {
    const responses = (method: "get" | "post", path: string) =>
      Object.keys(doc.paths[path]?.[method]?.responses ?? {});
    expect(responses("post", "/jobs")).toEqual(["201", "400", "401", "402", "403", "404", "413", "429"]);
    expect(responses("post", "/run")).toEqual([
      "200",
      "400",
      "401",
      "402",
      "403",
      "404",
      "408",
      "413",
      "429",
    ]);
    expect(responses("post", "/v1/runs")).toEqual(["202", "400", "401", "402", "413", "429"]);
    expect(responses("post", "/v1/runs/{id}/cancel")).toEqual(["200", "401", "403", "404", "409", "429"]);
    expect(responses("get", "/health")).toEqual(["200", "503"]);
    expect(doc.paths["/health"]?.get?.security).toEqual([]);
    expect(doc.paths["/openapi.json"]?.get?.security).toEqual([]);
    expect(doc.paths["/jobs"]?.post?.parameters).toEqual([
      { $ref: "#/components/parameters/IdempotencyKey" },
    ]);
  });

  it("describes the response bodies: run(human) job, TesterArmy run, {data, next} pages and the error shape", () => {
    const schemas = doc.components.schemas;
    const properties = (name: string) => Object.keys(schemas[name]?.properties ?? {});
    expect(properties("RunhumanJob")).toEqual(
      expect.arrayContaining(["id", "status", "result", "costUsd", "testerAlias", "testerData"]),
    );
    expect(properties("TesterArmyRun")).toEqual(
      expect.arrayContaining(["id", "status", "output", "webhookStatus"]),
    );
    expect(properties("InstahumanJobPage")).toEqual(["data", "next"]);
    expect(properties("Error")).toEqual(["error", "message"]);
    expect(properties("RunTimeout")).toEqual(["error", "message", "jobId"]);
    const runResponse = doc.paths["/job/{jobId}"]?.get?.responses["200"];
    expect(runResponse).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/RunhumanJob" } } },
    });
  });
});

describe("the document and the registered routes", () => {
  it("documents exactly the routes the /api router registers", () => {
    const modules = exportedRouteModules().map(({ name }) => name);
    expect(modules).toEqual(
      expect.arrayContaining([
        "createRunhumanRoutes",
        "createTesterArmyRoutes",
        "createInstahumanJobsRoutes",
        "createInstahumanProjectsRoutes",
        "createInstahumanBillingRoutes",
        "createOpenApiRoutes",
      ]),
    );
    const registered = registeredRoutes().map((entry) => {
      const [method = "", path = ""] = entry.split(" ");
      return `${method} ${toOpenApiPath(path)}`;
    });
    expect(registered.length).toBeGreaterThanOrEqual(39);
    expect(new Set(registered).size, "no route is registered twice").toBe(registered.length);
    // Undocumented routes fail here: add them to OPERATIONS (operations.ts).
    expect(registered).toEqual(documentedRoutes(doc));
    expect(OPERATIONS).toHaveLength(registered.length);
  });

  it("notices a route added without documentation", () => {
    const undocumented: RestRouteModule = (router) => {
      router.get("/jobs/:id/secret", (_req, res) => {
        res.end();
      });
    };
    const registered = registeredRoutes([undocumented]).map((entry) => entry.replace(/:(\w+)/g, "{$1}"));
    expect(registered).toContain("GET /jobs/{id}/secret");
    expect(registered).not.toEqual(documentedRoutes(doc));
  });
});

describe("request schemas in the document", () => {
  const job = { url: "https://shop.example.com", description: "Buy a hat and report the total." };

  it.each([
    ["a minimal job", job],
    [
      "every option",
      {
        ...job,
        outputSchema: { total: { type: "number", description: "The total", example: 12.5 } },
        targetDurationMinutes: 60,
        allowDurationExtension: false,
        maxExtensionMinutes: 10,
        additionalValidationInstructions: "Check the currency.",
        screenSize: { width: 390, height: 844 },
        repoName: "acme/shop",
        canCreateGithubIssues: true,
        testerCount: 3,
        projectId: "prj_1",
        title: "Checkout",
        credentials: [{ username: "demo", password: "demo" }],
        webhookUrl: "https://hooks.example.com/eyeball",
        allowSlotReopen: false,
      },
    ],
    ["a screen preset", { ...job, screenSize: "mobile" }],
    ["maxExtensionMinutes false", { ...job, maxExtensionMinutes: false }],
    ["targetDurationMinutes 61 (above maximum)", { ...job, targetDurationMinutes: 61 }],
    ["targetDurationMinutes 0", { ...job, targetDurationMinutes: 0 }],
    ["targetDurationMinutes 5.5", { ...job, targetDurationMinutes: 5.5 }],
    ["testerCount 51", { ...job, testerCount: 51 }],
    ["no url", { description: job.description }],
    ["an empty description", { ...job, description: "" }],
    ["an unknown field", { ...job, priority: "high" }],
    ["an unknown screen preset", { ...job, screenSize: "watch" }],
    ["a screen too narrow", { ...job, screenSize: { width: 100, height: 800 } }],
    ["maxExtensionMinutes true", { ...job, maxExtensionMinutes: true }],
    ["a bad output field type", { ...job, outputSchema: { total: { type: "date", description: "x" } } }],
    ["a bad output field name", { ...job, outputSchema: { "1st": { type: "string", description: "x" } } }],
    ["a bad repo name", { ...job, repoName: "not a repo" }],
    [
      "21 credentials",
      { ...job, credentials: Array.from({ length: 21 }, () => ({ username: "u", password: "p" })) },
    ],
    ["a description over 20000 characters", { ...job, description: "x".repeat(20_001) }],
  ])("CreateJobRequest agrees with core on %s", (_label, example) => {
    const validate = validatorFor("CreateJobRequest");
    expect(validate(example)).toBe(createJobRequestSchema.safeParse(example).success);
  });

  it("puts targetDurationMinutes's range and default in the schema", () => {
    const properties = doc.components.schemas.CreateJobRequest?.properties as Record<string, JsonSchema>;
    expect(properties.targetDurationMinutes).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 60,
      default: 5,
    });
    expect(doc.components.schemas.CreateJobRequest?.required).toEqual(["url", "description"]);
  });

  it.each([
    ["a prompt", { prompt: "Test https://shop.example.com checkout" }],
    ["no prompt", {}],
    ["an unknown field", { prompt: "Test https://x.example", model: "fast" }],
    ["a credential without username", { prompt: "p", credentials: [{ password: "p" }] }],
  ])("CreateRunRequest agrees with core on %s", (_label, example) => {
    expect(validatorFor("CreateRunRequest")(example)).toBe(createRunRequestSchema.safeParse(example).success);
  });
});

describe("the docs page", () => {
  const html = renderDocsPage(doc);

  it("renders every operation, grouped by tag, without scripts or remote resources", () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    for (const spec of OPERATIONS) {
      expect(html).toContain(`id="${spec.operationId}"`);
      expect(html).toContain(`<code class="path">${toOpenApiPath(spec.path)}</code>`);
    }
    for (const tag of doc.tags) expect(html).toContain(`>${tag.name.replace("(", "(")}</h2>`);
    expect(html).not.toMatch(/<script|<link|src="http|@import|url\(/i);
    expect(html).toContain("Skip to the reference");
    expect(html).toContain("<caption>Request body</caption>");
  });

  it("escapes text from the document", () => {
    const hostile = buildOpenApiDocument({ serverUrl: '"><script>alert(1)</script>' });
    expect(renderDocsPage(hostile)).not.toContain("<script>alert(1)");
  });
});

describe("GET /api/openapi.json and GET /api/docs", () => {
  let server: Server;
  let base = "";

  beforeAll(async () => {
    const app = express();
    app.use("/api", createRestRouter(stubServices(), { rateLimit: false, routes: [createOpenApiRoutes()] }));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("serves the document without an API key, naming the public URL", async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as OpenApiDocument;
    expect(body.openapi).toBe(doc.openapi);
    expect(body.servers[0]?.url).toBe(apiServerUrl(apiConfig().publicUrl));
    expect(documentedRoutes(body)).toEqual(documentedRoutes(doc));
  });

  it("serves the HTML reference without an API key, with a strict content security policy", async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("Eyeball API reference");
    expect(html).toContain('href="openapi.json"');
  });

  it("strips trailing slashes of the public URL", () => {
    expect(apiServerUrl("https://eyeball.example.com/")).toBe("https://eyeball.example.com/api");
  });
});
