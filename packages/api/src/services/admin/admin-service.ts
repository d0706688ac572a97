// Platform-admin reads: every organisation and tester (paged), overview counts and the open disputes.
import { z } from "zod";

import { DomainError, JOB_STATUSES, type JobStatus, micros, microsToUsd, parseOrThrow } from "@eyeball/core";

import { type Prisma } from "@eyeball/db";

import { decodeCursor, type Page, pageByCreatedAt, pageLimit, pageRequestSchema } from "../../pagination";
import { type Db, type Mode } from "../types";
import { type OrgPricingResult, type OrgPricingView, orgPricingOf, setOrgPricing } from "./org-pricing";

/** An organisation as the operator sees it: identity plus the size of its footprint. */
export interface AdminOrgView {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  memberCount: number;
  projectCount: number;
  jobCount: number;
  /** Price per second and tester share, with null overrides meaning the platform default. */
  pricing: OrgPricingView;
}

/** A tester as the operator sees it (unlike owners, the operator sees the account email). */
export interface AdminTesterView {
  testerId: string;
  userId: string;
  email: string;
  alias: string;
  avatarUrl: string | null;
  color: string | null;
  country: string | null;
  languages: string[];
  isSandbox: boolean;
  assignmentCount: number;
  createdAt: Date;
}

export interface PlatformOverview {
  /** Jobs per status, every status present (0 when none); `mode` narrows to live or test jobs. */
  jobsByStatus: Record<JobStatus, number>;
  jobs: number;
  openDisputes: number;
  organisations: number;
  testers: number;
}

/** A dispute in the operator's queue, with what they need to pick it up. */
export interface OpenDisputeView {
  id: string;
  status: "open" | "upheld" | "refunded";
  jobId: string;
  jobTitle: string | null;
  jobUrl: string;
  mode: Mode;
  assignmentId: string;
  orgId: string;
  orgName: string;
  orgSlug: string;
  testerId: string | null;
  testerAlias: string | null;
  reason: string;
  /** The disputed assignment's charge: integer micro-dollars, and the same in dollars at full precision. */
  amountMicros: number;
  amountUsd: number;
  openedByUserId: string | null;
  /** When the owner opened it (same as createdAt). */
  openedAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
  disputeWindowEndsAt: Date;
}

/** Who is a platform admin after `setPlatformAdmin`. */
export interface PlatformAdminView {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

export interface AdminService {
  /** Newest first. */
  listOrgs(input?: unknown): Promise<Page<AdminOrgView>>;
  /** Newest first; sandbox testers only with `includeSandbox`. */
  listTesters(input?: unknown): Promise<Page<AdminTesterView>>;
  /** `{mode?}`: job counts of one key mode, or of both when omitted. */
  overview(input?: unknown): Promise<PlatformOverview>;
  /** Oldest first, the order an operator works through them. */
  listOpenDisputes(input?: unknown): Promise<Page<OpenDisputeView>>;
  /** `{status?}`: open (default), resolved (upheld or refunded), upheld or refunded; oldest first. */
  listDisputes(input?: unknown): Promise<Page<OpenDisputeView>>;
  /** Operator command: make the user with this email a platform admin, or no longer one (NOT_FOUND naming the email). */
  setPlatformAdmin(input: { email: string; isAdmin: boolean }): Promise<PlatformAdminView>;
  /** `{orgId, usdPerSecond, testerShareBps}` (null = platform default): the org's price and share for new jobs and approvals. */
  setOrgPricing(input: unknown): Promise<OrgPricingResult>;
}

export const DISPUTE_LIST_STATUSES = ["open", "resolved", "upheld", "refunded"] as const;

export const adminDisputesInputSchema = pageRequestSchema.extend({
  status: z
    .enum(DISPUTE_LIST_STATUSES, { error: `must be one of ${DISPUTE_LIST_STATUSES.join(", ")}` })
    .optional(),
});

const disputeStatusWhere: Record<(typeof DISPUTE_LIST_STATUSES)[number], Prisma.DisputeWhereInput> = {
  open: { status: "open" },
  resolved: { status: { in: ["upheld", "refunded"] } },
  upheld: { status: "upheld" },
  refunded: { status: "refunded" },
};

export const adminTestersInputSchema = pageRequestSchema.extend({
  includeSandbox: z.boolean({ error: "must be true or false" }).optional(),
});

export const adminOverviewInputSchema = z.strictObject({
  mode: z.enum(["live", "test"], { error: "must be live or test" }).optional(),
});

type Position = { createdAt: Date; id: string } | null;

function positionOf(cursor: string | null | undefined): Position {
  if (!cursor) return null;
  const [createdAtMs, id] = decodeCursor(cursor, ["number", "string"]) as [number, string];
  return { createdAt: new Date(createdAtMs), id };
}

/** Rows strictly after `position` in (createdAt, id) order, descending or ascending. */
function after(position: Position, direction: "lt" | "gt") {
  if (!position) return {};
  const { createdAt, id } = position;
  const beyond = <T>(value: T) => (direction === "lt" ? { lt: value } : { gt: value });
  return { OR: [{ createdAt: beyond(createdAt) }, { createdAt, id: beyond(id) }] };
}

export function createAdminService({ db }: { db: Db }): AdminService {
  async function listDisputes(input: unknown = {}): Promise<Page<OpenDisputeView>> {
    const query = parseOrThrow(adminDisputesInputSchema, input);
    const limit = pageLimit(query.limit);
    const rows = await db.dispute.findMany({
      where: { ...disputeStatusWhere[query.status ?? "open"], ...after(positionOf(query.cursor), "gt") },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit + 1,
      include: {
        settlement: { select: { jobId: true, disputeWindowEndsAt: true } },
        assignment: {
          select: {
            testerId: true,
            costMicros: true,
            tester: { select: { alias: true } },
            job: {
              select: {
                orgId: true,
                title: true,
                url: true,
                mode: true,
                org: { select: { name: true, slug: true } },
              },
            },
          },
        },
      },
    });
    return pageByCreatedAt(rows, limit, (row) => {
      const { job } = row.assignment;
      const amount = micros(Number(row.assignment.costMicros));
      return {
        id: row.id,
        status: row.status,
        jobId: row.settlement.jobId,
        jobTitle: job.title,
        jobUrl: job.url,
        mode: job.mode,
        assignmentId: row.assignmentId,
        orgId: job.orgId,
        orgName: job.org.name,
        orgSlug: job.org.slug,
        testerId: row.assignment.testerId,
        testerAlias: row.assignment.tester?.alias ?? null,
        reason: row.reason,
        amountMicros: amount,
        amountUsd: microsToUsd(amount),
        openedByUserId: row.openedByUserId,
        openedAt: row.createdAt,
        createdAt: row.createdAt,
        resolvedAt: row.resolvedAt,
        disputeWindowEndsAt: row.settlement.disputeWindowEndsAt,
      };
    });
  }

  return {
    async listOrgs(input = {}) {
      const query = parseOrThrow(pageRequestSchema, input);
      const limit = pageLimit(query.limit);
      const rows = await db.organization.findMany({
        where: after(positionOf(query.cursor), "lt"),
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        include: { _count: { select: { memberships: true, projects: true, jobs: true } } },
      });
      return pageByCreatedAt(rows, limit, (row) => ({
        id: row.id,
        slug: row.slug,
        name: row.name,
        createdAt: row.createdAt,
        memberCount: row._count.memberships,
        projectCount: row._count.projects,
        jobCount: row._count.jobs,
        pricing: orgPricingOf(row),
      }));
    },

    async listTesters(input = {}) {
      const query = parseOrThrow(adminTestersInputSchema, input);
      const limit = pageLimit(query.limit);
      const rows = await db.testerProfile.findMany({
        where: {
          ...(query.includeSandbox === true ? {} : { isSandbox: false }),
          ...after(positionOf(query.cursor), "lt"),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        include: { user: { select: { email: true } }, _count: { select: { assignments: true } } },
      });
      return pageByCreatedAt(rows, limit, (row) => ({
        testerId: row.id,
        userId: row.userId,
        email: row.user.email,
        alias: row.alias,
        avatarUrl: row.avatarUrl,
        color: row.color,
        country: row.country,
        languages: row.languages,
        isSandbox: row.isSandbox,
        assignmentCount: row._count.assignments,
        createdAt: row.createdAt,
      }));
    },

    async overview(input = {}) {
      const { mode } = parseOrThrow(adminOverviewInputSchema, input);
      const jobWhere: { mode?: Mode } = mode === undefined ? {} : { mode };
      const [groups, openDisputes, organisations, testers] = await Promise.all([
        db.job.groupBy({ by: ["status"], where: jobWhere, _count: { _all: true } }),
        db.dispute.count({ where: { status: "open" } }),
        db.organization.count(),
        db.testerProfile.count({ where: { isSandbox: false } }),
      ]);
      const jobsByStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<
        JobStatus,
        number
      >;
      for (const group of groups) jobsByStatus[group.status] = group._count._all;
      const jobs = Object.values(jobsByStatus).reduce((sum, count) => sum + count, 0);
      return { jobsByStatus, jobs, openDisputes, organisations, testers };
    },

    listOpenDisputes(input = {}) {
      return listDisputes({ ...(input as object), status: "open" });
    },

    listDisputes,

    async setPlatformAdmin({ email, isAdmin }) {
      const address = email.trim().toLowerCase();
      const user = await db.user.findFirst({ where: { email: { equals: address, mode: "insensitive" } } });
      if (!user) {
        throw new DomainError("NOT_FOUND", `No user with email "${email}"`, { details: { email } });
      }
      const updated = await db.user.update({ where: { id: user.id }, data: { isAdmin } });
      return { userId: updated.id, email: updated.email, name: updated.name, isAdmin: updated.isAdmin };
    },

    setOrgPricing: (input) => setOrgPricing(db, input),
  };
}
