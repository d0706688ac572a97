// jobs.list's server-side search (`q`) through the caller on both engines: fields matched, with status and paging, scoping and errors.
import { afterAll, beforeAll, expect, it } from "vitest";

import { describeEachEngine } from "@eyeball/db/testing";

import { type Actor } from "../actor";
import { type ContextServices, createContextInner } from "../context";
import { createCaller } from "../root";
import { createHarness, type Harness, type TestOrg } from "../services/jobs/testing/harness";
import { trpcError } from "./testing/trpc-error";

describeEachEngine("jobs.list search", (getDb) => {
  let h: Harness;
  let services: ContextServices;
  let org: TestOrg;
  let other: TestOrg;
  const ids: Record<string, string> = {};

  const caller = (actor: Actor) => createCaller(createContextInner({ services, actor }));

  async function create(
    actor: Actor,
    name: string,
    request: { url: string; title?: string; description?: string },
  ): Promise<string> {
    h.clock.advance(1000);
    const job = await caller(actor).jobs.create({ description: "Look around", ...request });
    ids[name] = job.id;
    return job.id;
  }

  const listed = async (actor: Actor, input: Record<string, unknown>) =>
    (await caller(actor).jobs.list(input)).data.map((job) => job.id);

  beforeAll(async () => {
    h = await createHarness(getDb());
    services = h.contextServices;
    org = await h.newOrg();
    other = await h.newOrg();
    await create(org.live, "checkoutTitle", { url: "https://shop.example.com", title: "Checkout FLOW" });
    await create(org.live, "checkoutUrl", { url: "https://example.com/CHECKOUT/step-2" });
    await create(org.live, "checkoutDescription", {
      url: "https://example.com/cart",
      description: "Try the checkout with a coupon",
    });
    await create(org.live, "signup", { url: "https://example.com/signup", title: "Sign up 100% works" });
    for (let i = 0; i < 3; i++)
      await create(org.live, `filler${i}`, { url: `https://filler.example.com/${i}` });
    await create(org.test, "sandboxCheckout", { url: "https://example.com/checkout" });
    await create(other.live, "otherCheckout", { url: "https://example.com/checkout" });
    await h.services.jobs.cancel(org.live, ids.checkoutUrl ?? "");
  });

  afterAll(async () => {
    await h.close();
  });

  it("matches title, URL and description case-insensitively, newest first, trimmed", async () => {
    await expect(listed(org.live, { q: "  checkout " })).resolves.toEqual([
      ids.checkoutDescription,
      ids.checkoutUrl,
      ids.checkoutTitle,
    ]);
    // Portal users see both modes; an API key its own; never another organisation's.
    await expect(listed(org.owner, { q: "CHECKOUT" })).resolves.toEqual([
      ids.sandboxCheckout,
      ids.checkoutDescription,
      ids.checkoutUrl,
      ids.checkoutTitle,
    ]);
    await expect(listed(org.test, { q: "checkout" })).resolves.toEqual([ids.sandboxCheckout]);
    await expect(listed(other.owner, { q: "checkout" })).resolves.toEqual([ids.otherCheckout]);
  });

  it("matches a job id exactly, and only exactly", async () => {
    const id = ids.filler1 ?? "";
    await expect(listed(org.live, { q: id })).resolves.toEqual([id]);
    await expect(listed(org.live, { q: id.slice(0, -2) })).resolves.toEqual([]);
    await expect(listed(other.live, { q: id })).resolves.toEqual([]);
  });

  it("treats % and _ as text, not wildcards", async () => {
    await expect(listed(org.live, { q: "100%" })).resolves.toEqual([ids.signup]);
    await expect(listed(org.live, { q: "%" })).resolves.toEqual([ids.signup]);
    await expect(listed(org.live, { q: "_" })).resolves.toEqual([]);
  });

  it("combines with the status filter and cursor paging", async () => {
    await expect(listed(org.live, { q: "checkout", status: "cancelled" })).resolves.toEqual([
      ids.checkoutUrl,
    ]);
    await expect(listed(org.live, { q: "checkout", status: "waiting" })).resolves.toEqual([
      ids.checkoutDescription,
      ids.checkoutTitle,
    ]);
    const first = await caller(org.live).jobs.list({ q: "example.com", limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.next).not.toBeNull();
    const second = await caller(org.live).jobs.list({ q: "example.com", limit: 3, cursor: first.next });
    const third = await caller(org.live).jobs.list({ q: "example.com", limit: 3, cursor: second.next });
    expect(third.next).toBeNull();
    const all = [...first.data, ...second.data, ...third.data].map((job) => job.id);
    expect(all).toEqual(
      ["filler2", "filler1", "filler0", "signup", "checkoutDescription", "checkoutUrl", "checkoutTitle"].map(
        (name) => ids[name],
      ),
    );
    // Without a search, the list still pages over everything.
    await expect(listed(org.live, { limit: 100 })).resolves.toHaveLength(7);
  });

  it("names q when blank, too long or not a string", async () => {
    for (const [q, message] of [
      ["   ", /^q: must not be blank$/],
      ["x".repeat(201), /^q: must be at most 200 characters$/],
      [42, /q: must be a string/],
    ] as const) {
      const error = await trpcError(caller(org.live).jobs.list({ q } as never));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
    }
    await expect(listed(org.live, { q: "x".repeat(200) })).resolves.toEqual([]);
  });
});
