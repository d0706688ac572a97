// billing.* ledger, CSV and receipts through the caller on both engines: rows and balance-after, paging, exact CSV, scoping.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createBillingService, grantOrgCredits, parseGrantUsd } from "../services/billing";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { createJob, inTx } from "../services/ledger/ledger-fixtures";
import { trpcError } from "./testing/trpc-error";

const USD = 1_000_000n;

describeEachEngine("billing router: ledger, CSV and receipts", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  let other: TestOrg;
  let slug: string;
  let jobId: string;

  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = {
      ...h.contextServices,
      billing: createBillingService({ db: h.db, ledger: h.deps.ledger, clock: h.clock }),
    };
    org = await h.newOrg({ creditMicros: 0n });
    other = await h.newOrg({ creditMicros: 7n * USD });
    slug = (await h.db.organization.findUniqueOrThrow({ where: { id: org.orgId } })).slug;

    // A grant, then one job's hold, a raise, a capture of part of it and the close that releases the rest.
    await grantOrgCredits(
      { db: h.db, ledger: h.deps.ledger },
      { slug, micros: parseGrantUsd("25.0018"), memo: 'Pilot, "phase 1"' },
    );
    const job = await createJob(h.db, org.orgId, "live");
    jobId = job.jobId;
    const slot = job.assignmentIds[0] ?? "";
    await inTx(h.db, (tx) =>
      h.deps.ledger.placeHold(tx, { orgId: org.orgId, jobId, mode: "live", micros: 540_000n }),
    );
    await inTx(h.db, (tx) => h.deps.ledger.raiseHold(tx, { jobId, micros: 108_000n }));
    await inTx(h.db, (tx) =>
      h.deps.ledger.captureCharge(tx, { jobId, assignmentId: slot, micros: 396_000n }),
    );
    await inTx(h.db, (tx) => h.deps.ledger.closeHold(tx, { jobId }));
  });

  afterAll(async () => {
    await h.close();
  });

  it("lists every transaction on the org's credit and hold, newest first, with exact changes and balance after", async () => {
    const page = await caller(org.owner).billing.ledger({});
    expect(page.next).toBeNull();
    expect(
      page.data.map((row) => [
        row.kind,
        row.kindLabel,
        row.balanceChangeUsd,
        row.heldChangeUsd,
        row.balanceAfterUsd,
        row.heldAfterUsd,
        row.availableAfterUsd,
      ]),
    ).toEqual([
      ["hold_release", "Hold released", 0, -0.252, 24.6058, 0, 24.6058],
      ["hold_capture", "Charge captured", -0.396, -0.396, 24.6058, 0.252, 24.3538],
      ["hold_raise", "Hold raised", 0, 0.108, 25.0018, 0.648, 24.3538],
      ["hold_place", "Hold placed", 0, 0.54, 25.0018, 0.54, 24.4618],
      ["credit_grant", "Credit grant", 25.0018, 0, 25.0018, 0, 25.0018],
    ]);
    expect(page.data.slice(0, 4).every((row) => row.jobId === jobId)).toBe(true);
    expect(page.data[4]).toMatchObject({ jobId: null, memo: 'Pilot, "phase 1"' });
    // The statement ends where the overview stands.
    const overview = await caller(org.owner).billing.overview();
    expect(overview).toMatchObject({ balanceUsd: 24.6058, heldUsd: 0, availableUsd: 24.6058 });
  });

  it("pages stably by cursor: the pages join into the full list with no gaps or repeats", async () => {
    const full = await caller(org.owner).billing.ledger({ limit: 100 });
    const seen: string[] = [];
    const afters: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof caller>["billing"]["ledger"]>> = await caller(
        org.owner,
      ).billing.ledger({ limit: 2, cursor });
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((row) => row.id));
      afters.push(...page.data.map((row) => row.balanceAfterUsd));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(full.data.map((row) => row.id));
    expect(afters).toEqual(full.data.map((row) => row.balanceAfterUsd));

    // A new transaction while paging appears on top, never inside pages already read.
    const first = await caller(org.owner).billing.ledger({ limit: 2 });
    await grantOrgCredits({ db: h.db, ledger: h.deps.ledger }, { slug, micros: 1n });
    const second = await caller(org.owner).billing.ledger({ limit: 2, cursor: first.next });
    expect(second.data.map((row) => row.id)).toEqual(full.data.slice(2, 4).map((row) => row.id));
    const top = await caller(org.owner).billing.ledger({ limit: 1 });
    expect(top.data[0]).toMatchObject({
      kind: "credit_grant",
      balanceChangeUsd: 0.000001,
      balanceAfterUsd: 24.605801,
    });

    await expect(caller(org.owner).billing.ledger({ cursor: "nope" })).rejects.toThrow(/cursor/);
    expect(await trpcError(caller(org.owner).billing.ledger({ limit: 0 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("filters by time: from inclusive, to exclusive, with the true balance after each row", async () => {
    const all = await caller(org.owner).billing.ledger({ limit: 100 });
    const grant = all.data.at(-1);
    if (!grant) throw new Error("no grant row");
    const later = await caller(org.owner).billing.ledger({
      from: new Date(grant.createdAt.getTime() + 1).toISOString(),
    });
    expect(later.data.every((row) => row.createdAt.getTime() > grant.createdAt.getTime())).toBe(true);
    const upTo = await caller(org.owner).billing.ledger({ to: new Date(Date.now() + 60_000).toISOString() });
    expect(upTo.data.map((row) => row.balanceAfterUsd)).toEqual(all.data.map((row) => row.balanceAfterUsd));
    await expect(
      caller(org.owner).billing.ledger({ from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z" }),
    ).rejects.toThrow(/to: must be after from/);
    await expect(caller(org.owner).billing.ledger({ from: "yesterday" })).rejects.toThrow(/from/);
  });

  it("exports the statement as exact RFC 4180 CSV named after the org and the day", async () => {
    const { filename, csv, rows } = await caller(org.owner).billing.ledgerCsv({});
    expect(filename).toBe(`eyeball-ledger-${slug}-2030-01-01.csv`);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "transaction_id,time_utc,kind,description,memo,job_id,balance_change_usd,held_change_usd,balance_after_usd,held_after_usd,available_after_usd",
    );
    expect(lines.at(-1)).toBe("");
    expect(rows).toBe(6);
    expect(lines).toHaveLength(rows + 2);
    const statement = await caller(org.owner).billing.ledger({ limit: 100 });
    const grant = statement.data.at(-1);
    const capture = statement.data.find((row) => row.kind === "hold_capture");
    if (!grant || !capture) throw new Error("rows missing");
    expect(lines[rows]).toBe(
      `${grant.id},${grant.createdAt.toISOString()},credit_grant,Credit grant,"Pilot, ""phase 1""",,25.001800,0.000000,25.001800,0.000000,25.001800`,
    );
    expect(lines).toContain(
      `${capture.id},${capture.createdAt.toISOString()},hold_capture,Charge captured,,${jobId},-0.396000,-0.396000,24.605800,0.252000,24.353800`,
    );
    expect(lines[1]).toMatch(/,0\.000001,0\.000000,24\.605801,0\.000000,24\.605801$/);
    // An API key's own books: the test key has none here.
    await expect(caller(org.test).billing.ledgerCsv({})).resolves.toMatchObject({
      filename: `eyeball-ledger-${slug}-test-2030-01-01.csv`,
      rows: 0,
    });
  });

  it("lists receipts for every credit that arrived, and opens one", async () => {
    const receipts = await caller(org.owner).billing.receipts({});
    expect(receipts.data).toHaveLength(2);
    const first = receipts.data[1];
    if (!first) throw new Error("no receipt");
    expect(first).toMatchObject({
      amountUsd: 25.0018,
      method: "operator grant",
      memo: 'Pilot, "phase 1"',
      balanceAfterUsd: 25.0018,
      organization: { slug },
      mode: "live",
    });
    expect(first.number).toMatch(/^EB-\d{8}-[0-9A-F]{8}$/);
    expect(receipts.data[0]).toMatchObject({ amountUsd: 0.000001, balanceAfterUsd: 24.605801 });
    await expect(caller(org.live).billing.receipt({ id: first.id })).resolves.toEqual(first);
    const paged = await caller(org.owner).billing.receipts({ limit: 1 });
    expect(paged.data.map((r) => r.id)).toEqual([receipts.data[0]?.id]);
    const rest = await caller(org.owner).billing.receipts({ limit: 1, cursor: paged.next });
    expect(rest).toMatchObject({ data: [{ id: first.id }], next: null });
    // Hold movements are not receipts.
    const hold = (await caller(org.owner).billing.ledger({})).data.find((row) => row.kind === "hold_place");
    expect(await trpcError(caller(org.owner).billing.receipt({ id: hold?.id ?? "" }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("shows a member of another organisation nothing of this one", async () => {
    const theirs = await caller(other.owner).billing.ledger({});
    expect(theirs.data).toHaveLength(1);
    expect(theirs.data[0]).toMatchObject({ kind: "credit_grant", balanceAfterUsd: 7 });
    const ours = await caller(org.owner).billing.ledger({ limit: 100 });
    const ourIds = new Set(ours.data.map((row) => row.id));
    expect(theirs.data.some((row) => ourIds.has(row.id))).toBe(false);
    const csv = await caller(other.owner).billing.ledgerCsv({});
    expect(csv.rows).toBe(1);
    expect(csv.csv).not.toContain(jobId);
    const receipt = (await caller(org.owner).billing.receipts({})).data[0];
    expect(await trpcError(caller(other.owner).billing.receipt({ id: receipt?.id ?? "" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    // A test key sees only its own (empty) books.
    await expect(caller(org.test).billing.ledger({})).resolves.toEqual({ data: [], next: null });
    await expect(caller(org.test).billing.receipts({})).resolves.toEqual({ data: [], next: null });
  });

  it("grants exact amounts only, naming the problem", async () => {
    expect(parseGrantUsd("12.5")).toBe(12_500_000n);
    expect(parseGrantUsd("0.000001")).toBe(1n);
    expect(parseGrantUsd("3.1000000")).toBe(3_100_000n);
    expect(() => parseGrantUsd("0.0000001", "--usd")).toThrow(/--usd: must have at most 6 decimals/);
    expect(() => parseGrantUsd("0", "--usd")).toThrow(/--usd: must be more than 0/);
    expect(() => parseGrantUsd("-5", "--usd")).toThrow(/--usd: must be a positive amount/);
    expect(() => parseGrantUsd("1e3", "--usd")).toThrow(/--usd/);
    expect(() => parseGrantUsd("1000000.000001", "--usd")).toThrow(/--usd: must be at most 1000000/);
    await expect(
      grantOrgCredits({ db: h.db, ledger: h.deps.ledger }, { slug: "no-such-org", micros: 1n }),
    ).rejects.toThrow(/No organisation with slug "no-such-org"/);
    const once = await grantOrgCredits(
      { db: h.db, ledger: h.deps.ledger },
      { slug, micros: 2n * USD, idempotencyKey: "topup-1" },
    );
    const again = await grantOrgCredits(
      { db: h.db, ledger: h.deps.ledger },
      { slug, micros: 2n * USD, idempotencyKey: "topup-1" },
    );
    expect(once).toMatchObject({ replayed: false, grantedUsd: 2 });
    expect(again).toMatchObject({ replayed: true, balanceUsd: once.balanceUsd });
    await expect(
      grantOrgCredits(
        { db: h.db, ledger: h.deps.ledger },
        { slug, micros: 3n * USD, idempotencyKey: "topup-1" },
      ),
    ).rejects.toThrow(/different grant/);
  });
});
