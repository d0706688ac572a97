// tRPC context in two steps: createContextInner (tests, IPC) and createContextFromRequest (HTTP).
import { type IncomingHttpHeaders, type OutgoingHttpHeader } from "node:http";

import { DomainError, isDomainError } from "@eyeball/core";

import { type Actor } from "./actor";
import { ACCOUNT_TOKEN_PREFIX } from "./services/accounts";
import { bearerToken } from "./services/api-keys";
import { TESTER_TOKEN_PREFIX } from "./services/tester-auth";
import {
  clearSessionCookieHeader,
  isOwnOrigin,
  NO_SESSION_COOKIES,
  readCookie,
  SESSION_COOKIE_NAME,
  type SessionCookieJar,
  sessionCookieHeader,
} from "./session-cookie";
import { type AppServices } from "./app-services";
import { type Services } from "./services";
import { type BillingService } from "./services/billing";
import { type PayoutsService } from "./services/payouts";
import { type ProjectsService } from "./services/projects";
import { type UsageService } from "./services/usage";
import { type EventBus } from "./services/types";
import { type WebhooksService } from "./services/webhooks/webhooks-service";

export const ANONYMOUS: Actor = { kind: "anonymous" };

/** The job side a host composes next to the access services: `createServices(deps)` plus its event bus. */
export interface JobSideServices extends Services {
  events: EventBus;
}

/** Owner-side services a host composes beside the job side (apps/server compose.ts `OwnerServices`). */
export interface OwnerSideServices {
  projects: ProjectsService;
  billing: BillingService;
  webhooks: WebhooksService;
  /** Tester payouts: Stripe Connect onboarding and transfers, operator-recorded payouts. */
  payouts: PayoutsService;
  /** Jobs, spend and turnaround over time (read-only). */
  usage: UsageService;
}

/** What procedures reach: access services always; the job and owner sides once the host spreads them in. */
export type ContextServices = AppServices & Partial<JobSideServices> & Partial<OwnerSideServices>;

/** The job side, or INTERNAL when this host composed access services only (the jobs/tester routers need it). */
export function jobSideOf(services: ContextServices): JobSideServices {
  const { jobs, tester, sandbox, artifacts, adminDisputes, repoContext, githubIssues, slack, events } =
    services;
  if (
    !jobs ||
    !tester ||
    !sandbox ||
    !artifacts ||
    !adminDisputes ||
    !repoContext ||
    !githubIssues ||
    !slack ||
    !events
  ) {
    throw new DomainError("INTERNAL", "the job services are not composed in this host");
  }
  return { jobs, tester, sandbox, artifacts, adminDisputes, repoContext, githubIssues, slack, events };
}

/** The projects service, or INTERNAL when this host did not compose it (the projects router needs it). */
export function projectsOf(services: ContextServices): ProjectsService {
  if (!services.projects)
    throw new DomainError("INTERNAL", "the projects service is not composed in this host");
  return services.projects;
}

/** The billing service, or INTERNAL when this host did not compose it (the billing router needs it). */
export function billingOf(services: ContextServices): BillingService {
  if (!services.billing)
    throw new DomainError("INTERNAL", "the billing service is not composed in this host");
  return services.billing;
}

/** The usage service, or INTERNAL when this host did not compose it (the usage router needs it). */
export function usageOf(services: ContextServices): UsageService {
  if (!services.usage) throw new DomainError("INTERNAL", "the usage service is not composed in this host");
  return services.usage;
}

/** The payouts service, or INTERNAL when this host did not compose it (tester.payout.*, admin payouts need it). */
export function payoutsOf(services: ContextServices): PayoutsService {
  if (!services.payouts)
    throw new DomainError("INTERNAL", "the payouts service is not composed in this host");
  return services.payouts;
}

export interface Context {
  services: ContextServices;
  actor: Actor;
  /**
   * Why the request's credentials were refused (bad or revoked key). Protected procedures raise
   * it; public ones ignore it, so a stale key never breaks the health check.
   */
  authError: DomainError | null;
  /** Sets or clears the portal's session cookie on this request's response (auth.signIn, signOut…). */
  sessionCookie: SessionCookieJar;
  /**
   * Set when the caller was authenticated by the session cookie but the request's `Origin` is
   * another site's: every mutation raises it (CSRF guard, see createContextFromRequest).
   */
  csrfError: DomainError | null;
}

export interface CreateContextInnerOptions {
  services: ContextServices;
  actor?: Actor;
  authError?: DomainError | null;
  /** Default: cookies go nowhere (tests pass a fake that records them). */
  sessionCookie?: SessionCookieJar;
  csrfError?: DomainError | null;
}

export function createContextInner({
  services,
  actor = ANONYMOUS,
  authError = null,
  sessionCookie = NO_SESSION_COOKIES,
  csrfError = null,
}: CreateContextInnerOptions): Context {
  return { services, actor, authError, sessionCookie, csrfError };
}

/** The part of an HTTP request the context reads (express's `req` and Node's IncomingMessage fit). */
export interface RequestLike {
  headers: IncomingHttpHeaders;
  /** express: true over https (honouring "trust proxy"). */
  secure?: boolean;
}

/** The part of an HTTP response the context writes: Set-Cookie (express's `res` and Node's ServerResponse fit). */
export interface ResponseLike {
  getHeader(name: string): OutgoingHttpHeader | undefined;
  setHeader(name: string, value: OutgoingHttpHeader): unknown;
}

export const CSRF_MESSAGE =
  "Cross-site request refused: this call came from another site's page with your session cookie";

/** Appends Set-Cookie values to `res` (keeping any already set by this response). */
function responseCookieJar(res: ResponseLike, services: ContextServices, secure: boolean): SessionCookieJar {
  const append = (cookie: string) => {
    const previous = res.getHeader("set-cookie");
    const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
    res.setHeader("set-cookie", [...list, cookie]);
  };
  return {
    set(token, expiresAt) {
      const seconds = (expiresAt.getTime() - services.clock.now().getTime()) / 1000;
      append(sessionCookieHeader(token, seconds, { secure }));
    },
    clear() {
      append(clearSessionCookieHeader({ secure }));
    },
  };
}

/**
 * Resolves who is calling:
 * 1. `Authorization: Bearer eb_…` → an API key actor (integrators, CLI).
 * 2. `Authorization: Bearer eb_ses_…` → a portal user (tests, the CLI).
 * 3. `Authorization: Bearer eb_tst_…` → a tester session (the desktop app).
 * 4. No Authorization: the `eyeball_session` cookie → a portal user (owners, members, admins).
 * Nothing presented → anonymous. A refused credential leaves the caller anonymous with `authError`.
 *
 * CSRF: a browser attaches the cookie to any request to this host, also from another site's page.
 * SameSite=Lax already keeps it off cross-site POSTs in current browsers; as a second line, a
 * cookie-authenticated request whose `Origin` is present and is neither `config.publicUrl`'s origin
 * nor the request's own `Host` gets `csrfError`, and every mutation raises it (FORBIDDEN). Queries
 * stay allowed (CORS keeps their answers from the other site). Header credentials are not
 * affected: a page can only send a token it already holds.
 *
 * Pass `res` to let procedures set and clear the session cookie (apps/server does).
 */
export async function createContextFromRequest(
  services: ContextServices,
  req: RequestLike,
  /** tRPC `connectionParams` (SSE and WebSocket clients cannot always set headers): `{authorization}`. */
  connectionParams?: Readonly<Record<string, string | undefined>> | null,
  res?: ResponseLike,
): Promise<Context> {
  const secure = req.secure === true || services.config.publicUrl.startsWith("https:");
  const sessionCookie = res ? responseCookieJar(res, services, secure) : NO_SESSION_COOKIES;
  const authorization = req.headers.authorization ?? connectionParams?.authorization;
  if (authorization !== undefined && authorization.trim() !== "") {
    try {
      const token = bearerToken(authorization);
      const actor =
        token?.startsWith(TESTER_TOKEN_PREFIX) === true
          ? await services.testerAuth.authenticate(token)
          : token?.startsWith(ACCOUNT_TOKEN_PREFIX) === true
            ? await services.accounts.authenticate(token)
            : await services.apiKeys.authenticate(authorization);
      return createContextInner({ services, actor, sessionCookie });
    } catch (error) {
      if (isDomainError(error)) return createContextInner({ services, authError: error, sessionCookie });
      throw error;
    }
  }
  // Session cookies (owners, admins) are resolved here.
  const cookieToken = readCookie(req.headers.cookie, SESSION_COOKIE_NAME);
  if (cookieToken !== null) {
    try {
      const actor = await services.accounts.authenticate(cookieToken);
      const origin = req.headers.origin;
      const foreign =
        origin !== undefined && !isOwnOrigin(origin, services.config.publicUrl, req.headers.host);
      const csrfError = foreign ? new DomainError("FORBIDDEN", CSRF_MESSAGE) : null;
      return createContextInner({ services, actor, sessionCookie, csrfError });
    } catch (error) {
      if (isDomainError(error)) return createContextInner({ services, authError: error, sessionCookie });
      throw error;
    }
  }
  return createContextInner({ services, sessionCookie });
}
