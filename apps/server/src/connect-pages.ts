// The pages Stripe Connect onboarding returns a tester to (the account link's return_url and refresh_url).
import { type Request, type Response, Router } from "express";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Eyeball</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7f9; color: #1b1f24; }
  main { max-width: 32rem; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  h1 { font-size: 1.35rem; margin: 0 0 0.5rem; }
</style>
</head>
<body><main><h1>${title}</h1>${body}</main></body>
</html>`;
}

/** `/payouts/connect/return` and `/payouts/connect/refresh`: plain pages, no session needed. */
export function connectPagesRouter(): Router {
  const router = Router();
  router.get("/payouts/connect/return", (_req: Request, res: Response) => {
    res
      .type("html")
      .send(
        page(
          "Payout details sent",
          "<p>Stripe has your details. Go back to the Eyeball app: the Earnings screen shows when payouts are enabled, which can take a few minutes while Stripe checks them.</p><p>You can close this window.</p>",
        ),
      );
  });
  router.get("/payouts/connect/refresh", (_req: Request, res: Response) => {
    res
      .type("html")
      .send(
        page(
          "This setup link has expired",
          "<p>Stripe setup links work once and expire after a few minutes. In the Eyeball app, open Earnings and choose <strong>Set up payouts</strong> again for a new link.</p>",
        ),
      );
  });
  return router;
}
