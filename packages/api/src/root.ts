// The application router: every tRPC router of the platform, and its type for clients.
import { adminRouter } from "./routers/admin";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { billingRouter } from "./routers/billing";
import { catalogsRouter } from "./routers/catalogs";
import { healthRouter } from "./routers/health";
import { jobsRouter } from "./routers/jobs";
import { orgsRouter } from "./routers/orgs";
import { projectsRouter } from "./routers/projects";
import { testerRouter } from "./routers/tester";
import { usageRouter } from "./routers/usage";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  apiKeys: apiKeysRouter,
  orgs: orgsRouter,
  catalogs: catalogsRouter,
  jobs: jobsRouter,
  tester: testerRouter,
  projects: projectsRouter,
  admin: adminRouter,
  billing: billingRouter,
  webhooks: webhooksRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

/** `createCaller(createContextInner({services, actor}))` for tests and in-process callers. */
export const createCaller = createCallerFactory(appRouter);
