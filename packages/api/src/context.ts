// tRPC context in two steps: createContextInner (tests, IPC) and createContextFromRequest (HTTP).
import { type IncomingHttpHeaders } from "node:http";

import { DomainError, isDomainError } from "@eyeball/core";

import { type Actor } from "./actor";
import { bearerToken } from "./services/api-keys";
import { TESTER_TOKEN_PREFIX } from "./services/tester-auth";
import { type AppServices } from "./app-services";
import { type Services } from "./services";
import { type ProjectsService } from "./services/projects";
import { type EventBus } from "./services/types";

export const ANONYMOUS: Actor = { kind: "anonymous" };

/** The job side a host composes next to the access services: `createServices(deps)` plus its event bus. */
export interface JobSideServices extends Services {
  events: EventBus;
}

/** Owner-side services a host composes beside the job side (apps/server compose.ts `OwnerServices`). */
export interface OwnerSideServices {
  projects: ProjectsService;
}

/** What procedures reach: access services always; the job and owner sides once the host spreads them in. */
export type ContextServices = AppServices & Partial<JobSideServices> & Partial<OwnerSideServices>;

/** The job side, or INTERNAL when this host composed access services only (the jobs/tester routers need it). */
export function jobSideOf(services: ContextServices): JobSideServices {
  const { jobs, tester, sandbox, artifacts, events } = services;
  if (!jobs || !tester || !sandbox || !artifacts || !events) {
    throw new DomainError("INTERNAL", "the job services are not composed in this host");
  }
  return { jobs, tester, sandbox, artifacts, events };
}

/** The projects service, or INTERNAL when this host did not compose it (the projects router needs it). */
export function projectsOf(services: ContextServices): ProjectsService {
  if (!services.projects)
    throw new DomainError("INTERNAL", "the projects service is not composed in this host");
  return services.projects;
}

export interface Context {
  services: ContextServices;
  actor: Actor;
  /**
   * Why the request's credentials were refused (bad or revoked key). Protected procedures raise
   * it; public ones ignore it, so a stale key never breaks the health check.
   */
  authError: DomainError | null;
}

export interface CreateContextInnerOptions {
  services: ContextServices;
  actor?: Actor;
  authError?: DomainError | null;
}

export function createContextInner({
  services,
  actor = ANONYMOUS,
  authError = null,
}: CreateContextInnerOptions): Context {
  return { services, actor, authError };
}

/** The part of an HTTP request the context reads (express's `req` and Node's IncomingMessage fit). */
export interface RequestLike {
  headers: IncomingHttpHeaders;
}

/**
 * Resolves who is calling:
 * 1. `Authorization: Bearer eb_…` → an API key actor (integrators, CLI).
 * 2. (seam) owner/admin session cookie → `{kind: "user"}` once the sessions service lands.
 * 3. `Authorization: Bearer eb_tst_…` → a tester session (the desktop app).
 * Nothing presented → anonymous.
 */
export async function createContextFromRequest(
  services: ContextServices,
  req: RequestLike,
  /** tRPC `connectionParams` (SSE and WebSocket clients cannot always set headers): `{authorization}`. */
  connectionParams?: Readonly<Record<string, string | undefined>> | null,
): Promise<Context> {
  const authorization = req.headers.authorization ?? connectionParams?.authorization;
  if (authorization !== undefined && authorization.trim() !== "") {
    try {
      const token = bearerToken(authorization);
      const actor =
        token?.startsWith(TESTER_TOKEN_PREFIX) === true
          ? await services.testerAuth.authenticate(token)
          : await services.apiKeys.authenticate(authorization);
      return createContextInner({ services, actor });
    } catch (error) {
      if (isDomainError(error)) return createContextInner({ services, authError: error });
      throw error;
    }
  }
  // Seam: session cookies (owners, admins) are resolved here.
  return createContextInner({ services });
}
