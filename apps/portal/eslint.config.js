import globals from "globals";

import { baseConfig } from "@eyeball/eslint-config/base";

export default [
  ...baseConfig({ tsconfigRootDir: import.meta.dirname, ignores: ["test-results/**"] }),
  { files: ["src/**"], languageOptions: { globals: { ...globals.browser } } },
  {
    // The bundle keeps `import { type X } from "m"` as `import "m"`: that would pull the server into the page.
    files: ["src/**"],
    rules: { "@typescript-eslint/no-import-type-side-effects": "error" },
  },
  {
    files: ["e2e/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
];
