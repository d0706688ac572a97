// The one composition root: database → ledger, events, queue, extractor → services → what the app serves.
import path from "node:path";

import {
  type ApiConfig,
  apiConfig,
  type AppServices,
  type Clock,
  createAccessServices,
  createChromiumSandboxBrowser,
  createLocalArtifactStore,
  createBillingService,
  createInstahumanBillingRoutes,
  createJobEventsRoutes,
  createInstahumanJobsRoutes,
  createInstahumanProjectsRoutes,
  createProjectsService,
  createPayoutsService,
  createConnectEventHandlers,
  createStripeClient,
  combineStripeHandlers,
  createStripeCardPaymentsFeature,
  createStripeWebhookReceiver,
  createStripeWebhookRoutes,
  registerAutoReloadWorker,
  type PayoutsService,
  type BillingService,
  type ProjectsService,
  createEventBus,
  createLedger,
  createOpenApiRoutes,
  createQueue,
  createRunhumanRoutes,
  createServices,
  createTesterArmyRoutes,
  createUsageService,
  createWebhookDeliverer,
  createWebhooksService,
  type EventBus,
  type EyeballEventBus,
  type PgBossQueue,
  purgeExpiredIdempotencyKeys,
  reconcile,
  registerPayoutsWorker,
  registerWebhookWorker,
  registerWorkers,
  type RestRouteModule,
  type SandboxBrowser,
  startJobWebhookDispatch,
  type RestRouterOptions,
  type ServiceDeps,
  type Services,
  systemClock,
  type UsageService,
  type WebhooksService,
} from "@eyeball/api";
import { type Database } from "@eyeball/db";
import { createConfiguredExtractor, type Extractor } from "@eyeball/extraction";

import { openDatabase } from "./database";
import { type ServerEnv } from "./env";
import { loadOrCreateSecretKey } from "./secret-key";

const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The REST dialect modules (run(human), TesterArmy, Instahuman) mounted under /api: register new ones here. */
export function dialectRoutes(services: Services & OwnerServices & { events: EventBus }): RestRouteModule[] {
  return [
    createRunhumanRoutes(services),
    createJobEventsRoutes(services),
    createTesterArmyRoutes(services),
    createInstahumanJobsRoutes(services),
    createInstahumanProjectsRoutes(services),
    createInstahumanBillingRoutes(services),
    createOpenApiRoutes(),
  ];
}

/** Owner-side services beside the job services: projects and their tester pools, billing, webhooks, tester payouts, usage. */
export interface OwnerServices {
  projects: ProjectsService;
  billing: BillingService;
  webhooks: WebhooksService;
  payouts: PayoutsService;
  usage: UsageService;
}

/** Everything the transports reach: access services (keys, orgs, catalogs) and the job-side services. */
export type PlatformServices = AppServices & Services & OwnerServices & { events: EventBus };

export interface Platform {
  env: ServerEnv;
  database: Database;
  config: ApiConfig;
  services: PlatformServices;
  events: EyeballEventBus;
  queue: PgBossQueue;
  extractor: Extractor;
  /** 32 bytes: site-credential encryption (createServices `credentialsKey`). */
  secretKey: Buffer;
  /** REST options for createApp: limits from the environment and the dialect route modules. */
  rest: RestRouterOptions;
  /** Starts the event listener and the queue (every role: API processes send jobs and wait on events). */
  start(): Promise<void>;
  /** Registers the background handlers, re-enqueues work left by a crash, and consumes (role worker or both). */
  startWorkers(): Promise<void>;
  /** Stops workers, queue and event listeners, then closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  clock?: Clock;
  /** An already open database (tests); otherwise opened from the environment and migrated. */
  database?: Database;
  /** REST route modules; default dialectRoutes(services). */
  routes?: readonly RestRouteModule[];
}

export function apiConfigFromEnv(env: ServerEnv): ApiConfig {
  return apiConfig({
    mode: env.mode,
    publicUrl: env.publicUrl,
    runWaitMs: env.runWaitMs,
    stripe: env.stripe,
    github: env.github,
    disputeWindowMs: env.money.disputeWindowMs,
    autoApproveSweepMs: env.money.autoApproveSweepMs,
    testerShareBps: env.money.testerShareBps,
    payouts: { minimumUsd: env.money.payoutMinimumUsd, scheduleMs: env.money.payoutScheduleMs },
    sandbox: {
      enabled: env.sandbox.enabled,
      claimDelayMs: env.sandbox.claimDelayMs,
      workDurationMs: env.sandbox.workDurationMs,
    },
  });
}

function warn(scope: string) {
  return (error: unknown) => {
    console.warn(`${scope}:`, error instanceof Error ? error.message : error);
  };
}

export async function composePlatform(env: ServerEnv, options: ComposeOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openDatabase(env));
  try {
    const secretKey = env.secretKey ?? loadOrCreateSecretKey(env.dataDir);
    const config = apiConfigFromEnv(env);
    const db = database.prisma;
    const extractor = createConfiguredExtractor(env.extraction, {
      onFallback: warn("extraction: the language model failed; the built-in extractor answered"),
    });
    const ledger = createLedger(db);
    const events = createEventBus(database, { onError: warn("events") });
    const queue = createQueue(database, { onError: warn("queue") });
    const deps: ServiceDeps = { db, clock, config, ledger, events, queue, extractor };
    const sandboxBrowser: SandboxBrowser | null =
      env.sandbox.enabled && env.sandbox.browserPath !== null
        ? createChromiumSandboxBrowser({
            executablePath: env.sandbox.browserPath,
            mode: env.mode,
            timeoutMs: env.sandbox.browserTimeoutMs,
          })
        : null;
    const jobServices = createServices({
      ...deps,
      credentialsKey: secretKey,
      artifactStore: createLocalArtifactStore(path.join(env.dataDir, "artifacts")),
      sandboxBrowser,
    });
    // Stripe (STRIPE_SECRET_KEY): card payments; each feature's webhook handlers join one receiver.
    const stripe = config.stripe ? createStripeClient(config.stripe) : null;
    const card = stripe
      ? createStripeCardPaymentsFeature({
          db,
          clock,
          ledger,
          stripe,
          portalUrl: () => config.publicUrl,
          log: warn("stripe"),
        })
      : null;
    const stripeHandlers = [
      card?.handlers ?? {},
      stripe ? createConnectEventHandlers({ db, ledger, stripe }) : {},
    ];
    const stripeRoutes: RestRouteModule[] =
      stripe && config.stripe
        ? [
            createStripeWebhookRoutes({
              receiver: createStripeWebhookReceiver({
                db,
                clock,
                stripe,
                webhookSecret: config.stripe.webhookSecret,
                handlers: combineStripeHandlers(...stripeHandlers),
              }),
            }),
          ]
        : [];
    const ownerServices: OwnerServices = {
      projects: createProjectsService({ db, clock, config }),
      billing: createBillingService({ db, ledger, cardPayments: card?.cardPayments ?? null }),
      webhooks: createWebhooksService({ db, queue, clock, config }),
      payouts: createPayoutsService({ db, clock, config, ledger }, { stripe }),
      usage: createUsageService({ db }),
    };
    const services: PlatformServices = {
      db,
      clock,
      config,
      ...createAccessServices({ db, clock }),
      ...jobServices,
      ...ownerServices,
      events,
    };

    const deliverer = createWebhookDeliverer({ db, queue, clock, config });
    let dispatch: { stop(): void } | undefined;
    let purgeTimer: NodeJS.Timeout | undefined;
    let closed: Promise<void> | undefined;
    return {
      env,
      database,
      config,
      services,
      events,
      queue,
      extractor,
      secretKey,
      rest: {
        bodyLimit: env.bodyLimit,
        // Counted in the database on both engines: on PostgreSQL every process behind the load
        // balancer shares each key's count (the only correct choice there); on embedded PGlite the
        // in-memory store would do, but one code path, tested on both engines, costs one small query.
        rateLimit: { ...env.rateLimit, store: "database" },
        routes: [
          ...(options.routes ?? dialectRoutes({ ...jobServices, ...ownerServices, events })),
          ...stripeRoutes,
        ],
      },
      async start() {
        await events.start();
        await queue.start();
      },
      async startWorkers() {
        await registerWorkers(jobServices, queue, { autoApproveSweepMs: config.autoApproveSweepMs });
        await registerWebhookWorker(queue, deliverer, { clock });
        if (card) await registerAutoReloadWorker(queue, card.autoReload);
        await registerPayoutsWorker(queue, ownerServices.payouts, {
          scheduleMs: config.payouts.scheduleMs,
          now: () => clock.now(),
        });
        // Sends a finished job's webhook right after its commit; the deliverer's sweep is the fallback.
        dispatch ??= startJobWebhookDispatch({ db, events, deliverer, onError: warn("webhooks") });
        await reconcile(jobServices, queue);
        purgeTimer ??= setInterval(() => {
          purgeExpiredIdempotencyKeys(db, clock.now()).catch(warn("idempotency purge"));
        }, IDEMPOTENCY_PURGE_INTERVAL_MS).unref();
      },
      close() {
        closed ??= (async () => {
          clearInterval(purgeTimer);
          dispatch?.stop();
          await queue.stop().catch(warn("queue stop"));
          await events.stop().catch(warn("events stop"));
          await sandboxBrowser?.close().catch(warn("sandbox browser close"));
          await database.close();
        })();
        return closed;
      },
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}
