// `pnpm --filter @eyeball/sdk openapi:types`: writes src/generated/openapi.ts from the server's OpenAPI document.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { renderOpenApiTypes } from "./render-types";

const target = fileURLToPath(new URL("../src/generated/openapi.ts", import.meta.url));
await writeFile(target, await renderOpenApiTypes());
console.log(`wrote ${target}`);
