// The application router: every tRPC router of the platform, and its type for clients.
import { apiKeysRouter } from "./routers/api-keys";
import { catalogsRouter } from "./routers/catalogs";
import { healthRouter } from "./routers/health";
import { jobsRouter } from "./routers/jobs";
import { orgsRouter } from "./routers/orgs";
import { testerRouter } from "./routers/tester";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  apiKeys: apiKeysRouter,
  orgs: orgsRouter,
  catalogs: catalogsRouter,
  jobs: jobsRouter,
  tester: testerRouter,
});

export type AppRouter = typeof appRouter;

/** `createCaller(createContextInner({services, actor}))` for tests and in-process callers. */
export const createCaller = createCallerFactory(appRouter);
