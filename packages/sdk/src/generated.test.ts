// The committed path types are exactly what openapi-typescript renders from the server's OpenAPI document.
import { readFile } from "node:fs/promises";

import { expect, it } from "vitest";

import { renderOpenApiTypes } from "../scripts/render-types";

it("src/generated/openapi.ts matches /api/openapi.json (run `pnpm --filter @eyeball/sdk openapi:types` after an API change)", async () => {
  const committed = await readFile(new URL("./generated/openapi.ts", import.meta.url), "utf8");
  expect(committed).toBe(await renderOpenApiTypes());
}, 60_000);
