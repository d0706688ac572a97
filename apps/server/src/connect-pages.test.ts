// The Stripe Connect return and refresh pages: plain HTML telling the tester what happens next.
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";

import { connectPagesRouter } from "./connect-pages";

let base = "";
let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  const server = express().use(connectPagesRouter()).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
});
afterAll(() => close());

it.each([
  ["/payouts/connect/return", /Payout details sent/, /Earnings screen/],
  ["/payouts/connect/refresh", /This setup link has expired/, /Set up payouts/],
])("%s answers an HTML page", async (pathname, title, hint) => {
  const res = await fetch(`${base}${pathname}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).toMatch(title);
  expect(html).toMatch(hint);
  expect(html).toMatch(/<html lang="en">/);
});
