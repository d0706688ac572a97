// jobs.create's mode through the caller on both engines: a signed-in owner picks test (sandbox, free) or live (billed); an API key's mode decides.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { QUEUES } from "../services/jobs/queue-names";
import { createHarness, type Harness } from "../services/jobs/testing/harness";
import { type CreateJobInput } from "./jobs";
import { trpcError } from "./testing/trpc-error";

const schema = {
  signupWorks: { type: "boolean", description: "Whether the tester could sign up" },
} as const;

describeEachEngine("jobs.create mode", (getDb) => {
  let h: Harness;
  let services: ContextServices;

  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  const create = (actor: Actor, extra: Partial<CreateJobInput> = {}) =>
    caller(actor).jobs.create({
      url: "https://example.com/signup",
      description: "Sign up",
      outputSchema: schema,
      ...extra,
    });

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
  });

  afterAll(async () => {
    await h.close();
  });

  it("a signed-in owner without live credit creates a test job the sandbox completes, free", async () => {
    const org = await h.newOrg({ creditMicros: 0n });
    const before = await h.deps.ledger.balance(org.orgId, "live");
    const job = await create(org.owner, { mode: "test" });
    expect(job).toMatchObject({ mode: "test", source: "portal", orgId: org.orgId });
    await h.runSandbox(job.id);
    const view = await caller(org.owner).jobs.get({ id: job.id });
    expect(view.status).toBe("completed");
    expect(view.result?.data).toMatchObject({ signupWorks: true });
    expect(await h.deps.ledger.balance(org.orgId, "live")).toEqual(before);
    // The test key of the organisation sees it; the live key does not.
    await expect(caller(org.test).jobs.get({ id: job.id })).resolves.toMatchObject({ id: job.id });
    expect((await trpcError(caller(org.live).jobs.get({ id: job.id }))).code).toBe("NOT_FOUND");
  });

  it("live (the default, or asked for) still needs live credit: 402 without it", async () => {
    const broke = await h.newOrg({ creditMicros: 0n });
    expect((await trpcError(create(broke.owner))).code).toBe("PAYMENT_REQUIRED");
    expect((await trpcError(create(broke.owner, { mode: "live" }))).code).toBe("PAYMENT_REQUIRED");
    expect(await h.db.job.count({ where: { orgId: broke.orgId } })).toBe(0);

    const funded = await h.newOrg();
    await expect(create(funded.owner)).resolves.toMatchObject({ mode: "live" });
    await expect(create(funded.owner, { mode: "live" })).resolves.toMatchObject({ mode: "live" });
    expect(h.queue.take(QUEUES.sandboxClaim)).toEqual([]);
  });

  it("an API key's mode decides: its own mode is accepted, the other one is 400 naming mode", async () => {
    const org = await h.newOrg();
    await expect(create(org.test)).resolves.toMatchObject({ mode: "test" });
    await expect(create(org.test, { mode: "test" })).resolves.toMatchObject({ mode: "test" });
    await expect(create(org.live, { mode: "live" })).resolves.toMatchObject({ mode: "live" });
    h.queue.take(QUEUES.sandboxClaim);

    const wrongForTest = await trpcError(create(org.test, { mode: "live" }));
    expect(wrongForTest.code).toBe("BAD_REQUEST");
    expect(wrongForTest.message).toMatch(/^mode: /);
    const wrongForLive = await trpcError(create(org.live, { mode: "test" }));
    expect(wrongForLive.code).toBe("BAD_REQUEST");
    expect(wrongForLive.message).toMatch(/^mode: /);
  });

  it("an unknown mode is 400 naming mode", async () => {
    const org = await h.newOrg();
    const error = await trpcError(create(org.owner, { mode: "sandbox" as "test" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^mode: /);
  });
});
