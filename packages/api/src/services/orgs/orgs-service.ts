// Organisations: creation with a validated slug and a webhook signing secret, lookup, and the demo seed.
import { z } from "zod";

import { DomainError, parseOrThrow, validationError } from "@eyeball/core";
import { isUniqueViolation, type Organization } from "@eyeball/db";

import { type Clock } from "../../clock";
import { requireOwner, type OrgCaller } from "../accounts/org-roles";
import { type ApiKeysService, type ApiKeyView } from "../api-keys";
import { slackWebhookUrlProblem } from "../slack/webhook-url";
import { type Db, type Tx } from "../types";
import { orgSlugSchema } from "./slug";
import { ensureOrgWebhookSecret, newWebhookSecret } from "./webhook-secret";

export const DEMO_ORG_SLUG = "demo";
export const DEMO_OWNER_EMAIL = "demo@eyeball.local";
export const DEMO_TESTER_EMAIL = "tester@eyeball.local";

/** What clients see of an organisation (the webhook secret is fetched on purpose, never listed). */
export interface OrgView {
  id: string;
  slug: string;
  name: string;
  /** Incoming webhook for new-job notices of jobs without a project URL of their own; null = none. */
  slackWebhookUrl: string | null;
  createdAt: Date;
}

const orgNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(200, { error: "must be at most 200 characters" });

export const createOrgInputSchema = z.strictObject({
  slug: orgSlugSchema,
  name: orgNameSchema.optional(),
});
export type CreateOrgInput = z.input<typeof createOrgInputSchema>;

/** orgs.update: the organisation's settings; `slackWebhookUrl: null` clears it. */
export const updateOrgInputSchema = z.strictObject({
  name: orgNameSchema.optional(),
  slackWebhookUrl: z.string({ error: "must be a string" }).trim().nullish(),
});
export type UpdateOrgInput = z.input<typeof updateOrgInputSchema>;

export interface DemoSeed {
  /** True only for the call that created the demo organisation. */
  created: boolean;
  org: OrgView;
  ownerUserId: string;
  testerUserId: string;
  testerId: string;
  /** A new test-mode key, returned only when `created`; print it once. */
  testKey: { key: string; apiKey: ApiKeyView } | null;
}

export interface OrgsService {
  /** A new organisation with its webhook secret; inside the caller's transaction when `tx` is given. */
  create(input: CreateOrgInput, tx?: Tx): Promise<OrgView>;
  getById(orgId: string): Promise<OrgView>;
  getBySlug(slug: string): Promise<OrgView>;
  list(): Promise<OrgView[]>;
  /**
   * Owners only: name and Slack webhook. VALIDATION naming `slackWebhookUrl` unless it is an
   * https://hooks.slack.com URL (production) or any http(s) URL (development).
   */
  update(
    caller: OrgCaller,
    input: UpdateOrgInput,
    options: { mode: "development" | "production" },
  ): Promise<OrgView>;
  /** The secret that signs this organisation's per-job webhooks. */
  webhookSecret(orgId: string): Promise<string>;
  /** Idempotent: the demo organisation, its owner and a tester; a test key only the first time. */
  seedDemo(): Promise<DemoSeed>;
}

export function toOrgView(row: Organization): OrgView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    slackWebhookUrl: row.slackWebhookUrl,
    createdAt: row.createdAt,
  };
}

export function createOrgsService({
  db,
  clock,
  apiKeys,
}: {
  db: Db;
  clock: Clock;
  apiKeys: ApiKeysService;
}): OrgsService {
  async function create(input: CreateOrgInput, tx?: Tx): Promise<OrgView> {
    const client = tx ?? db;
    const { slug, name } = parseOrThrow(createOrgInputSchema, input);
    const taken = new DomainError("CONFLICT", `slug: the organisation slug "${slug}" is already taken`, {
      details: { field: "slug" },
    });
    if (await client.organization.findUnique({ where: { slug }, select: { id: true } })) throw taken;
    try {
      const row = await client.organization.create({
        data: { slug, name: name ?? slug, webhookSecret: newWebhookSecret(), createdAt: clock.now() },
      });
      return toOrgView(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw taken;
      throw error;
    }
  }

  async function getBySlug(slug: string): Promise<OrgView> {
    const row = await db.organization.findUnique({ where: { slug } });
    if (!row) throw new DomainError("NOT_FOUND", `No organisation with slug "${slug}"`);
    return toOrgView(row);
  }

  async function ensureDemoPeople(
    orgId: string,
  ): Promise<{ ownerUserId: string; testerUserId: string; testerId: string }> {
    const owner = await db.user.upsert({
      where: { email: DEMO_OWNER_EMAIL },
      create: { email: DEMO_OWNER_EMAIL, name: "Demo Owner" },
      update: {},
    });
    await db.membership.upsert({
      where: { userId_orgId: { userId: owner.id, orgId } },
      create: { userId: owner.id, orgId, role: "owner" },
      update: {},
    });
    const testerUser = await db.user.upsert({
      where: { email: DEMO_TESTER_EMAIL },
      create: { email: DEMO_TESTER_EMAIL, name: "Demo Tester" },
      update: {},
    });
    const profile = await db.testerProfile.upsert({
      where: { userId: testerUser.id },
      create: { userId: testerUser.id, alias: "Demo Tester", languages: ["en"], country: "US" },
      update: {},
    });
    return { ownerUserId: owner.id, testerUserId: testerUser.id, testerId: profile.id };
  }

  return {
    create,
    getBySlug,

    async getById(orgId) {
      const row = await db.organization.findUnique({ where: { id: orgId } });
      if (!row) throw new DomainError("NOT_FOUND", `Organisation ${orgId} was not found`);
      return toOrgView(row);
    },

    async list() {
      const rows = await db.organization.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      return rows.map(toOrgView);
    },

    async update(caller, input, { mode }) {
      const { name, slackWebhookUrl } = parseOrThrow(updateOrgInputSchema, input);
      const url = slackWebhookUrl === "" ? null : slackWebhookUrl;
      if (typeof url === "string") {
        const problem = slackWebhookUrlProblem(url, mode);
        if (problem !== null) throw validationError("slackWebhookUrl", problem);
      }
      await requireOwner(db, caller);
      const row = await db.organization.update({
        where: { id: caller.orgId },
        data: {
          ...(name === undefined ? {} : { name }),
          ...(url === undefined ? {} : { slackWebhookUrl: url }),
        },
      });
      return toOrgView(row);
    },

    webhookSecret(orgId) {
      return ensureOrgWebhookSecret(db, orgId);
    },

    async seedDemo() {
      let created = false;
      let org = await db.organization.findUnique({ where: { slug: DEMO_ORG_SLUG } });
      if (!org) {
        try {
          org = await db.organization.create({
            data: {
              slug: DEMO_ORG_SLUG,
              name: "Demo",
              webhookSecret: newWebhookSecret(),
              createdAt: clock.now(),
            },
          });
          created = true;
        } catch (error) {
          // Another process seeded it at the same moment: theirs is the first start, not ours.
          if (!isUniqueViolation(error)) throw error;
          org = await db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORG_SLUG } });
        }
      }
      const orgId = org.id;
      // Upserts can race another starting process on PostgreSQL; the second attempt finds the rows.
      const people = await ensureDemoPeople(orgId).catch((error: unknown) => {
        if (isUniqueViolation(error)) return ensureDemoPeople(orgId);
        throw error;
      });
      const testKey = created
        ? await apiKeys.create(org.id, {
            name: "Demo test key",
            mode: "test",
            createdByUserId: people.ownerUserId,
          })
        : null;
      return { created, org: toOrgView(org), ...people, testKey };
    },
  };
}
